package io.github.ailabkit.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition to hold, checking often, failing the test after a generous bound (never timing it). */
public final class Conditions {
  private Conditions() {
  }

  /** Returns once {@code condition} holds; fails with {@code what} if it still does not after {@code bound}. */
  public static void await(String what, BooleanSupplier condition, Duration bound) {
    long end = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("still not true after " + bound + ": " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what, e);
      }
    }
  }
}
