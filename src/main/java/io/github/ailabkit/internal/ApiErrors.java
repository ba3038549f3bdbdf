package io.github.ailabkit.internal;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AuthenticationException;
import io.github.ailabkit.ErrorDetail;
import io.github.ailabkit.RateLimitException;
import java.time.Duration;

/** The one place that maps an error answer (status and code) to the exception type users catch. */
public final class ApiErrors {
  private ApiErrors() {
  }

  /**
   * Creates the exception for an error answer the API sent as JSON.
   *
   * @param message the message (already free of secrets)
   * @param httpStatus the real HTTP status
   * @param effectiveStatus the status that describes the error: the HTTP status, or for a 200 the
   *     {@code error_code} / {@code error_detail.status_code} the body reported
   * @param detail the error detail
   * @param requestId the request id, or empty
   * @param logId the log id, or empty
   * @param retryAfter the server's {@code Retry-After}, or null
   */
  public static AILabApiException create(String message, int httpStatus, int effectiveStatus, ErrorDetail detail,
      String requestId, String logId, Duration retryAfter) {
    return build(message, httpStatus, effectiveStatus, detail, requestId, logId, retryAfter,
        Retryability.isRetryable(effectiveStatus, detail.code()));
  }

  /**
   * Creates the exception for an answer whose body is not the API's JSON (empty, cut off, a proxy's
   * page), retryable as {@link Retryability#isRetryableUnreadable(int, boolean)} decides.
   *
   * @param repeatable whether the request may be sent again without duplicating a side effect
   */
  public static AILabApiException unreadable(String message, int httpStatus, Duration retryAfter,
      boolean repeatable) {
    return build(message, httpStatus, httpStatus, ErrorDetail.NONE, "", "", retryAfter,
        Retryability.isRetryableUnreadable(httpStatus, repeatable));
  }

  private static AILabApiException build(String message, int httpStatus, int effectiveStatus, ErrorDetail detail,
      String requestId, String logId, Duration retryAfter, boolean retryable) {
    return switch (effectiveStatus) {
      case 401, 403 -> new AuthenticationException(message, httpStatus, detail, requestId, logId);
      case 429 -> new RateLimitException(message, httpStatus, detail, requestId, logId, retryable, retryAfter);
      default -> new AILabApiException(message, httpStatus, detail, requestId, logId, retryable, retryAfter);
    };
  }
}
