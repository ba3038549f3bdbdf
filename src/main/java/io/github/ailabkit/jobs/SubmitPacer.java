package io.github.ailabkit.jobs;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The submit rate, additive increase and multiplicative decrease: unlimited until the API pushes back
 * (429, 503 flow restriction); then half the rate seen just before, halved again at each push-back, and
 * raised by one submit per second for every second of accepted submits, until it is unlimited again.
 * Thread-safe.
 */
final class SubmitPacer {
  /** The lowest rate, in submits per second: one every five seconds. */
  static final double MIN_RATE = 0.2;
  /** Above this rate the pacer stops pacing. */
  static final double UNLIMITED_ABOVE = 1000;
  private static final long SECOND = 1_000_000_000L;

  private final LongSupplier nanoTime;
  private final long[] recentStarts = new long[64];
  private int started;
  private double rate = Double.POSITIVE_INFINITY;
  private long nextStart;

  SubmitPacer(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Reserves the next submit slot; returns how long to wait before sending it (zero when unlimited). */
  synchronized Duration reserve() {
    long now = nanoTime.getAsLong();
    long start = Double.isInfinite(rate) ? now : Math.max(now, nextStart);
    if (!Double.isInfinite(rate)) {
      nextStart = start + (long) (SECOND / rate);
    }
    recentStarts[started++ % recentStarts.length] = start;
    return Duration.ofNanos(start - now);
  }

  /** The API pushed back: halve the rate, and send nothing for {@code pause} if it asked for one. */
  synchronized void onThrottled(Duration pause) {
    long now = nanoTime.getAsLong();
    rate = Math.max(MIN_RATE, (Double.isInfinite(rate) ? recentRate(now) : rate) / 2);
    long wait = Math.max(pause == null ? 0 : pause.toNanos(), (long) (SECOND / rate));
    nextStart = Math.max(nextStart, now + wait);
  }

  /** A submit was accepted: raise the rate by one per second of accepted submits. */
  synchronized void onAccepted() {
    if (Double.isInfinite(rate)) {
      return;
    }
    rate += 1 / rate;
    if (rate > UNLIMITED_ABOVE) {
      rate = Double.POSITIVE_INFINITY;
    }
  }

  /** Submits per second now; infinite when not pacing. */
  synchronized double rate() {
    return rate;
  }

  /** Starts per second over the recent starts (at least one a second, so a lone submit counts). */
  private double recentRate(long now) {
    int count = Math.min(started, recentStarts.length);
    if (count < 2) {
      return 1;
    }
    long oldest = recentStarts[(started - count) % recentStarts.length];
    double seconds = Math.max(1e-3, (now - oldest) / (double) SECOND);
    return Math.max(1, count / seconds);
  }
}
