package io.github.ailabkit.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Decides when the poller's shared budget (rate and in-flight cap) held a due poll back long enough to
 * matter, and says so on the {@code io.github.ailabkit.poller} logger at WARN at most once a minute. A poll
 * counts as held back when it waited for admission longer than a tenth of the interval (the most jitter
 * adds) and at least {@value #MIN_HELD_MILLIS} ms, so ordinary scheduling noise is never reported.
 */
final class ThrottleNotice {
  /** Shorter holds are noise on any machine. */
  static final long MIN_HELD_MILLIS = 100;
  private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

  private final Logger log;
  private final PollEngine.Settings settings;
  private final LongSupplier nanoTime;
  private final long thresholdNanos;
  private final AtomicLong lastWarnNanos;

  ThrottleNotice(Logger log, PollEngine.Settings settings, LongSupplier nanoTime) {
    this.log = log;
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.thresholdNanos = Math.max(settings.interval().toNanos() / 10, Duration.ofMillis(MIN_HELD_MILLIS).toNanos());
    this.lastWarnNanos = new AtomicLong(nanoTime.getAsLong() - WARN_EVERY_NANOS); // the first may warn at once
  }

  /** Whether a poll held back {@code heldNanos} before admission was throttled. */
  boolean isThrottled(long heldNanos) {
    return heldNanos >= thresholdNanos;
  }

  /** The time between two polls of a task whose poll was held back {@code heldNanos}. */
  Duration effectiveInterval(long heldNanos) {
    return settings.interval().plusNanos(heldNanos);
  }

  /** Logs the throttling at WARN unless it was logged less than a minute ago. */
  void warn(int pendingWaits, Duration effectiveInterval) {
    long now = nanoTime.getAsLong();
    long last = lastWarnNanos.get();
    if (now - last < WARN_EVERY_NANOS || !lastWarnNanos.compareAndSet(last, now)) {
      return; // warned less than a minute ago, or another thread is warning right now
    }
    log.warn("Task polls are held back by the poller's budget: {} waits pending, each task polled about every"
        + " {} ms instead of every {} ms. The budget is {} polls/s and {} in flight across all waits of this"
        + " poller; raise it with TaskPoller.builder(client).maxPollsPerSecond(..).maxPollsInFlight(..) if the"
        + " API allows it (this message repeats at most once a minute)", pendingWaits, effectiveInterval.toMillis(),
        settings.interval().toMillis(), settings.maxPollsPerSecond(), settings.maxPollsInFlight());
  }
}
