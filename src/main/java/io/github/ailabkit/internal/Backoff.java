package io.github.ailabkit.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: 0.5 s doubling to 8 s, each wait scaled by a random 0.75–1.0. */
public final class Backoff {
  private static final long INITIAL_MILLIS = 500;
  private static final long MAX_MILLIS = 8_000;

  private Backoff() {
  }

  /** The wait before retry number {@code retry} (1 for the first retry). */
  public static Duration delay(int retry) {
    long base = Math.min(MAX_MILLIS, INITIAL_MILLIS << Math.min(Math.max(retry - 1, 0), 10));
    double jitter = 0.75 + 0.25 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis((long) (base * jitter));
  }
}
