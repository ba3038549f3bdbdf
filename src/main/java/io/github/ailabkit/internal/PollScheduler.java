package io.github.ailabkit.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The timer thread shared by every wait of one client: a single named daemon thread, started on the
 * first wait, that only schedules (polls themselves are asynchronous HTTP calls). Also the registry of
 * pending waits, so closing the client ends them all.
 */
public final class PollScheduler {
  private final Set<Runnable> closeHooks = ConcurrentHashMap.newKeySet();
  private ScheduledThreadPoolExecutor executor;
  private boolean closed;

  /** Runs {@code task} after {@code delay}; returns null when the scheduler is closed. */
  public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    ScheduledExecutorService timer = executor();
    if (timer == null) {
      return null;
    }
    try {
      return timer.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
      return null;
    }
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

  /** The number of waits pending. */
  public int pending() {
    return closeHooks.size();
  }

  /** Ends every pending wait through its hook, then stops the timer thread. Idempotent. */
  public void close() {
    ScheduledThreadPoolExecutor toStop;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toStop = executor;
    }
    closeHooks.forEach(runSafely());
    closeHooks.clear();
    if (toStop != null) {
      toStop.shutdownNow();
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
      executor = new ScheduledThreadPoolExecutor(1, DaemonThreads.factory("ailab-poller"));
      executor.setRemoveOnCancelPolicy(true);
      executor.setKeepAliveTime(30, TimeUnit.SECONDS);
      executor.allowCoreThreadTimeOut(true);
    }
    return executor;
  }
}
