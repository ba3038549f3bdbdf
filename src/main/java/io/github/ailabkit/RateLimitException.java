package io.github.ailabkit;

import java.time.Duration;

/**
 * HTTP 429: a request limit was exceeded ({@code EXCEEDING_LIMITS}, retryable) or the account has no
 * credits left ({@code ERROR_NOT_ENOUGH_CREDITS}, not retryable: waiting cannot help).
 */
public class RateLimitException extends AILabApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; see {@link AILabApiException} for the parameters. */
  public RateLimitException(String message, int httpStatus, ErrorDetail errorDetail, String requestId,
      String logId, boolean retryable, Duration retryAfter) {
    super(message, httpStatus, errorDetail, requestId, logId, retryable, retryAfter);
  }

  /** Whether the account ran out of credits (as opposed to a temporary limit). */
  public boolean isOutOfCredits() {
    return "ERROR_NOT_ENOUGH_CREDITS".equals(errorCode());
  }
}
