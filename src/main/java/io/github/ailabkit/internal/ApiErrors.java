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
   * Creates the exception for an error answer.
   *
   * @param message the message (already free of secrets)
   * @param httpStatus the real HTTP status
   * @param effectiveStatus the status that describes the error: the HTTP status, or for a 200 the
   *     {@code error_code} / {@code error_detail.status_code} the body reported
   * @param detail the error detail
   * @param requestId the request id, or empty
   * @param logId the log id, or empty
   * @param retryAfter the server's {@code Retry-After}, or null
   * @param bodyWasValid false when the body was not the JSON the API sends (then a 200 is retryable:
   *     a truncated or garbled answer is transient)
   */
  public static AILabApiException create(String message, int httpStatus, int effectiveStatus, ErrorDetail detail,
      String requestId, String logId, Duration retryAfter, boolean bodyWasValid) {
    boolean retryable = (!bodyWasValid && effectiveStatus == 200)
        || Retryability.isRetryable(effectiveStatus, detail.code());
    switch (effectiveStatus) {
      case 401:
      case 403:
        return new AuthenticationException(message, httpStatus, detail, requestId, logId);
      case 429:
        return new RateLimitException(message, httpStatus, detail, requestId, logId, retryable, retryAfter);
      default:
        return new AILabApiException(message, httpStatus, detail, requestId, logId, retryable, retryAfter);
    }
  }
}
