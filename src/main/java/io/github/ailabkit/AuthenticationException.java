package io.github.ailabkit;

import java.time.Duration;

/**
 * The API key was refused: HTTP 401 (unknown key, {@code ERROR_USER_NOT_EXISTS}) or 403 (locked or
 * forbidden, {@code ERROR_USER_LOCKED}). Never retried: fix the key or the account.
 */
public class AuthenticationException extends AILabApiException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; see {@link AILabApiException} for the parameters. */
  public AuthenticationException(String message, int httpStatus, ErrorDetail errorDetail, String requestId,
      String logId) {
    super(message, httpStatus, errorDetail, requestId, logId, false, (Duration) null);
  }
}
