package io.github.ailabkit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses {@code Retry-After} (delay seconds or an HTTP date) into a wait clamped to [0, {@link #CAP}]. */
public final class RetryAfter {
  /** The longest wait a server may ask for; longer requests are cut to this. */
  public static final Duration CAP = Duration.ofSeconds(60);

  private RetryAfter() {
  }

  /** The wait the header asks for, or null when absent or unreadable. Past dates give zero. */
  public static Duration parse(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    Duration wait;
    try {
      wait = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        wait = Duration.between(clock.instant(), at);
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(CAP) > 0 ? CAP : wait;
  }
}
