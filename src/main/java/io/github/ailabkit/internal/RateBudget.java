package io.github.ailabkit.internal;

import java.util.function.LongSupplier;

/**
 * A shared budget of requests per second: permits are handed out no closer together than
 * {@code 1 / rate}, so any number of waits together never exceed the rate. Thread-safe.
 */
public final class RateBudget {
  private final long spacingNanos;
  private final LongSupplier nanoTime;
  private long nextFreeNanos;

  /** A budget of {@code permitsPerSecond}, reading time from {@code nanoTime}. */
  public RateBudget(double permitsPerSecond, LongSupplier nanoTime) {
    if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
      throw new IllegalArgumentException("permitsPerSecond must be positive and finite: " + permitsPerSecond);
    }
    // Saturates at Long.MAX_VALUE for absurdly slow rates; the arithmetic below tolerates that.
    this.spacingNanos = Math.max(1, (long) (1_000_000_000L / permitsPerSecond));
    this.nanoTime = nanoTime;
    this.nextFreeNanos = nanoTime.getAsLong();
  }

  /**
   * Takes a permit if one is free now.
   *
   * @return 0 if a permit was taken, else the nanoseconds until the next one is free (nothing taken)
   */
  public synchronized long tryAcquire() {
    long now = nanoTime.getAsLong();
    // Differences, never comparisons, of nanoTime values: correct across overflow of the counter.
    long wait = nextFreeNanos - now;
    if (wait > 0) {
      return wait;
    }
    // The next permit is one spacing after this one. Idle time does not build up credit: a burst of
    // permits after a quiet spell would break the promised spacing.
    nextFreeNanos = now + spacingNanos;
    return 0;
  }
}
