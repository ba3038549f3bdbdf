package io.github.ailabkit.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The timer thread of one client: a single named daemon thread, started when first needed, that only
 * schedules (polls and calls themselves are asynchronous HTTP calls). It times every wait's polls and
 * deadlines and the deadlines of asynchronous calls. Also the registry of pending waits, so closing the
 * client ends them all.
 */
public final class ClientTimer {
  /** Threads that complete futures off the timer thread; they exist only while there is work. */
  private static final int COMPLETER_THREADS = 2;
  /** How long an idle completion thread lives. */
  private static final long COMPLETER_KEEP_ALIVE_SECONDS = 10;

  private final Set<Runnable> closeHooks = ConcurrentHashMap.newKeySet();
  private ScheduledThreadPoolExecutor executor;
  private ThreadPoolExecutor completer;
  private boolean closed;

  /** Runs {@code task} on the timer thread after {@code delay}; returns null once the timer is closed. */
  public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    ScheduledExecutorService timer = executor();
    if (timer == null) {
      return null;
    }
    try {
      return timer.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closedMeanwhile) {
      return null;
    }
  }

  /**
   * Runs a completion of a caller's future away from the timer thread: code chained on the future must
   * never block the one thread that drives every wait, nor wait behind busy HTTP threads. Runs on
   * {@value #COMPLETER_THREADS} daemon threads that exist only while there is work (so a blocking
   * callback delays other timeouts but never adds threads); runs it here once the client is closing.
   */
  public void runOffTimer(Runnable completion) {
    ThreadPoolExecutor pool = completer();
    try {
      if (pool != null) {
        pool.execute(completion);
        return;
      }
    } catch (RejectedExecutionException closedMeanwhile) {
      // fall through
    }
    completion.run();
  }

  /**
   * Registers what to do to a pending wait when the client closes.
   *
   * @return false if already closed (the caller should end the wait itself)
   */
  public boolean register(Runnable onClose) {
    closeHooks.add(onClose);
    synchronized (this) {
      if (!closed) {
        return true;
      }
    }
    closeHooks.remove(onClose);
    return false;
  }

  /** Removes a wait that ended. */
  public void unregister(Runnable onClose) {
    closeHooks.remove(onClose);
  }

  /** Whether {@link #close()} was called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** The number of waits pending. */
  public int pending() {
    return closeHooks.size();
  }

  /** Ends every pending wait through its hook, then stops the timer thread. Idempotent. */
  public void close() {
    ScheduledThreadPoolExecutor toStop;
    ThreadPoolExecutor completerToStop;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toStop = executor;
      completerToStop = completer;
    }
    closeHooks.forEach(runSafely());
    closeHooks.clear();
    if (toStop != null) {
      toStop.shutdownNow();
    }
    if (completerToStop != null) {
      completerToStop.shutdown(); // completions already handed over still run
    }
  }

  private static Consumer<Runnable> runSafely() {
    return hook -> {
      try {
        hook.run();
      } catch (RuntimeException ignored) {
        // one wait's cleanup must not stop the others'
      }
    };
  }

  private synchronized ScheduledExecutorService executor() {
    if (closed) {
      return null;
    }
    if (executor == null) {
      executor = new ScheduledThreadPoolExecutor(1, DaemonThreads.factory("ailab-timer"));
      executor.setRemoveOnCancelPolicy(true);
      executor.setKeepAliveTime(30, TimeUnit.SECONDS);
      executor.allowCoreThreadTimeOut(true);
    }
    return executor;
  }

  private synchronized ThreadPoolExecutor completer() {
    if (closed) {
      return null;
    }
    if (completer == null) {
      completer = new ThreadPoolExecutor(COMPLETER_THREADS, COMPLETER_THREADS, COMPLETER_KEEP_ALIVE_SECONDS,
          TimeUnit.SECONDS, new LinkedBlockingQueue<>(), DaemonThreads.factory("ailab-complete"));
      completer.allowCoreThreadTimeOut(true);
    }
    return completer;
  }
}
