package io.github.ailabkit.testing;

import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Thread inspection for poller tests: which SDK threads exist that did not exist before. */
public final class PollThreads {
  private final Set<Thread> before;

  private PollThreads(Set<Thread> before) {
    this.before = before;
  }

  /** Remembers the threads alive now; later calls report only threads started after this. */
  public static PollThreads snapshot() {
    return new PollThreads(Thread.getAllStackTraces().keySet());
  }

  /**
   * SDK threads started since the snapshot and still alive: the timer ({@code ailab-timer-N}), the
   * completion threads ({@code ailab-complete-N}) and the HTTP dispatcher threads ({@code ailab-http-N},
   * which OkHttp renames {@code OkHttp <url>} while they run a call).
   */
  public List<Thread> newSdkThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t)
            && (isTimer(t) || isHttp(t) || t.getName().startsWith("ailab-complete-")))
        .collect(Collectors.toList());
  }

  /** New timer threads. */
  public List<Thread> newTimerThreads() {
    return newSdkThreads().stream().filter(PollThreads::isTimer).collect(Collectors.toList());
  }

  /** New HTTP dispatcher threads, idle or busy. */
  public List<Thread> newHttpThreads() {
    return newSdkThreads().stream().filter(PollThreads::isHttp).collect(Collectors.toList());
  }

  /** Whether {@code thread} is a client's timer thread. */
  public static boolean isTimer(Thread thread) {
    return thread.getName().startsWith("ailab-timer-");
  }

  /** Whether {@code thread} is an SDK HTTP dispatcher thread (named so while idle, renamed while busy). */
  public static boolean isHttp(Thread thread) {
    return thread.getName().startsWith("ailab-http-") || thread.getName().startsWith("OkHttp http");
  }

  /** Whether the current thread is one of the SDK's. */
  public static boolean onSdkThread() {
    Thread current = Thread.currentThread();
    return isTimer(current) || isHttp(current);
  }

  /** Polls {@code condition} every 10 ms for up to {@code millis}; returns its last value. */
  public static boolean eventually(long millis, BooleanSupplier condition) {
    long end = System.nanoTime() + millis * 1_000_000;
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() - end > 0) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return condition.getAsBoolean();
      }
    }
  }
}
