package io.github.ailabkit.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/** Waits between retries. Injected so tests record the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  /** The real thing: {@link Thread#sleep(long)} for blocking calls, the client's timer for asynchronous ones. */
  Sleeper SYSTEM = new Sleeper() {
    @Override
    public void sleep(Duration duration) throws InterruptedException {
      Thread.sleep(duration.toMillis());
    }

    @Override
    public ScheduledFuture<?> schedule(ClientTimer timer, Runnable next, Duration delay) {
      return timer.schedule(next, delay);
    }
  };

  /** Blocks for {@code duration}; stops early by throwing when the thread is interrupted. */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Runs {@code next} after {@code delay} without holding a thread while it waits: {@link #SYSTEM} schedules it
   * on {@code timer}. A test's sleeper records the wait through {@link #sleep} (returning at once) and then
   * hands {@code next} to the timer. Returns null once the timer is closed.
   */
  default ScheduledFuture<?> schedule(ClientTimer timer, Runnable next, Duration delay) {
    try {
      sleep(delay);
    } catch (InterruptedException e) {
      // a cancelled call: next sees that and does nothing
    }
    return timer.schedule(next, Duration.ZERO);
  }
}
