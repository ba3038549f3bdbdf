package io.github.ailabkit.internal;

import java.time.Duration;

/** Waits between retries. Injected so tests record the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  /** The real thing: {@link Thread#sleep(long)}. */
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  /** Blocks for {@code duration}; stops early by throwing when the thread is interrupted. */
  void sleep(Duration duration) throws InterruptedException;
}
