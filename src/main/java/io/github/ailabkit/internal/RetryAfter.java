package io.github.ailabkit.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import okhttp3.Response;

/**
 * Parses {@code Retry-After} (delay seconds or an HTTP date) into a wait clamped to [0, {@link #CAP}].
 *
 * <p>Delay seconds are digits only, as RFC 9110 defines them (a fraction is tolerated); anything else
 * that is not an RFC 1123 date, such as {@code -5}, {@code 1e9} or {@code Infinity}, is unreadable.
 */
public final class RetryAfter {
  /** The longest wait a server may ask for; longer requests are cut to this. */
  public static final Duration CAP = Duration.ofSeconds(60);

  private static final Pattern DELAY_SECONDS = Pattern.compile("\\d+(\\.\\d+)?");

  /** Where {@link #shield} keeps a response's {@code Retry-After}. */
  public static final String SHIELDED_HEADER = "AILab-Retry-After";

  /**
   * Moves {@code Retry-After} out of the sight of OkHttp's own follow-up logic, which (even with
   * {@code retryOnConnectionFailure(false)}) repeats a 503 that says {@code Retry-After: 0} behind the retry
   * layer's back, and throws {@code NumberFormatException} on a numeric value past {@code Integer.MAX_VALUE}.
   * Applied to every network response; read the value with {@link #header}.
   */
  static Response shield(Response response) {
    String value = response.header("Retry-After");
    return value == null ? response : response.newBuilder()
        .headers(response.headers().newBuilder().removeAll("Retry-After").addUnsafeNonAscii(SHIELDED_HEADER, value)
            .build())
        .build();
  }

  /** The {@code Retry-After} of a response, wherever {@link #shield} left it; null if none. */
  public static String header(Response response) {
    String shielded = response.header(SHIELDED_HEADER);
    return shielded != null ? shielded : response.header("Retry-After");
  }

  private RetryAfter() {
  }

  /** The wait the header asks for, or null when absent or unreadable. Past dates give zero. */
  public static Duration parse(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    Duration wait;
    if (DELAY_SECONDS.matcher(value).matches()) {
      BigDecimal seconds = new BigDecimal(value);
      if (seconds.compareTo(BigDecimal.valueOf(CAP.getSeconds())) >= 0) {
        return CAP;
      }
      wait = Duration.ofMillis(seconds.movePointRight(3).longValue());
    } else {
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
