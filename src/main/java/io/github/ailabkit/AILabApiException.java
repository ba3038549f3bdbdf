package io.github.ailabkit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The API answered, and the answer is an error: an HTTP status other than 200, an {@code error_code}
 * other than 0, a non-empty {@code error_detail.code}, or a body that is not the JSON the API sends.
 *
 * <p>Carries everything support needs: {@link #httpStatus()}, {@link #errorDetail()}, {@link #requestId()}
 * and {@link #logId()}. {@link #isRetryable()} says whether the same request may succeed later
 * (flow restriction, 5xx, 429 without credit exhaustion).
 */
public class AILabApiException extends AILabException implements PublicResponseFields {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final ErrorDetail errorDetail;
  private final String requestId;
  private final String logId;
  private final boolean retryable;
  private final Duration retryAfter;

  /**
   * Creates an API error. Prefer the subtypes where they apply; the SDK picks the type in one place.
   *
   * @param message the message, without secrets
   * @param httpStatus the response's real HTTP status (200 when the error came inside a 200 body)
   * @param errorDetail the error detail, {@link ErrorDetail#NONE} when the body had none
   * @param requestId the request id, empty if unknown
   * @param logId the log id, empty if unknown
   * @param retryable whether the same request may succeed if repeated later
   * @param retryAfter the server's {@code Retry-After}, or null
   */
  public AILabApiException(String message, int httpStatus, ErrorDetail errorDetail, String requestId,
      String logId, boolean retryable, Duration retryAfter) {
    this(message, httpStatus, errorDetail, requestId, logId, retryable, retryAfter, null);
  }

  /** Same as the other constructor, with a cause. */
  public AILabApiException(String message, int httpStatus, ErrorDetail errorDetail, String requestId,
      String logId, boolean retryable, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorDetail = errorDetail == null ? ErrorDetail.NONE : errorDetail;
    this.requestId = requestId == null ? "" : requestId;
    this.logId = logId == null ? "" : logId;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** Copies another API error's fields, for subtypes that add context (such as a task id). */
  protected AILabApiException(String message, AILabApiException source) {
    this(message, Objects.requireNonNull(source, "source == null").httpStatus, source.errorDetail,
        source.requestId, source.logId, source.retryable, source.retryAfter, source);
  }

  /** The response's real HTTP status: 200 when the error was reported inside a 200 body. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The error detail; {@link ErrorDetail#NONE} when the body carried none (e.g. an HTML error page). */
  @Override
  public ErrorDetail errorDetail() {
    return errorDetail;
  }

  /** The error code such as {@code ERROR_NO_FACE_IN_FILE}; empty when unknown. */
  public String errorCode() {
    return errorDetail.code();
  }

  /** The server's request id; empty if the response had none. */
  @Override
  public String requestId() {
    return requestId;
  }

  /** The server's log id; empty if the response had none. */
  @Override
  public String logId() {
    return logId;
  }

  /** Whether repeating the same request later may succeed (transient server condition). */
  public boolean isRetryable() {
    return retryable;
  }

  /** The delay the server asked for with {@code Retry-After}, if it sent one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
