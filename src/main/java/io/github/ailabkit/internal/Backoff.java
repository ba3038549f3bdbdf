package io.github.ailabkit.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The SDK's one description of how long to wait before repeating something that failed transiently: API
 * calls, downloads ({@link #CALLS}) and polls ({@link #polls(Duration)}) differ only in their numbers.
 *
 * <p>Retry {@code n} waits {@code base × factor^(n-1)}, at most {@code cap}, then lengthened by a random
 * fraction up to {@code jitter} (never shortened: whatever the server or the interval asked for is a floor).
 * A server's {@code Retry-After}, already clamped to [0, {@link RetryAfter#CAP}] where it is parsed (and
 * clamped again here), either replaces the backoff exactly or only lengthens it.
 *
 * @param base the wait before the first retry
 * @param factor how much each further retry multiplies the wait
 * @param cap the longest wait before jitter
 * @param jitter the largest fraction by which a wait is lengthened at random
 * @param retryAfter how a server's {@code Retry-After} is used
 */
public record Backoff(Duration base, int factor, Duration cap, double jitter, RetryAfterUse retryAfter) {
  /**
   * API calls and downloads: 0.4 s doubling to 6.4 s, lengthened by up to 25 % (so 0.4–0.5 s before the
   * first retry, never more than 8 s); a {@code Retry-After} is waited exactly.
   */
  public static final Backoff CALLS =
      new Backoff(Duration.ofMillis(400), 2, Duration.ofMillis(6_400), 0.25, RetryAfterUse.REPLACES);

  /** Polls wait at least this long after repeated failures, unless the interval itself is longer. */
  static final Duration POLL_CAP = Duration.ofSeconds(60);

  /** The random lengthening of every poll's wait, so waits started together spread out. */
  static final double POLL_JITTER = 0.1;

  /** How a server's {@code Retry-After} combines with the backoff. */
  public enum RetryAfterUse {
    /** The server's wait is used as it is (calls: the server knows when it will have room). */
    REPLACES,
    /** The server's wait is a floor under the backoff, then jittered (polls: many waits must not align). */
    LENGTHENS
  }

  /**
   * Polls after transient failures: the poll interval doubling up to 60 s (or the interval, if longer),
   * lengthened by up to 10 %; a {@code Retry-After} longer than that is a floor.
   */
  public static Backoff polls(Duration interval) {
    return new Backoff(interval, 2, interval.compareTo(POLL_CAP) > 0 ? interval : POLL_CAP, POLL_JITTER,
        RetryAfterUse.LENGTHENS);
  }

  /** The wait before retry {@code retry} (1 for the first) of an API call or download without Retry-After. */
  public static Duration delay(int retry) {
    return CALLS.delay(retry, null);
  }

  /**
   * The wait before retry number {@code retry} (1 for the first).
   *
   * @param retryAfter the server's {@code Retry-After}, or null
   */
  public Duration delay(int retry, Duration retryAfter) {
    Duration asked = retryAfter == null || retryAfter.compareTo(RetryAfter.CAP) <= 0 ? retryAfter : RetryAfter.CAP;
    if (asked != null && this.retryAfter == RetryAfterUse.REPLACES) {
      return asked;
    }
    Duration wait = grown(retry);
    if (asked != null && asked.compareTo(wait) > 0) {
      wait = asked;
    }
    return lengthened(wait);
  }

  /** {@code wait} lengthened by a random fraction up to {@link #jitter()}. */
  public Duration lengthened(Duration wait) {
    double fraction = 1 + jitter * ThreadLocalRandom.current().nextDouble();
    return Duration.ofNanos((long) (wait.toNanos() * fraction));
  }

  /** {@code base × factor^(retry-1)}, at most {@code cap}. */
  private Duration grown(int retry) {
    Duration wait = base;
    for (int i = 1; i < retry && wait.compareTo(cap) < 0; i++) {
      wait = wait.multipliedBy(factor);
    }
    return wait.compareTo(cap) > 0 ? cap : wait;
  }
}
