package io.github.ailabkit.internal;

import java.util.Set;

/** The one place that decides whether an error answer may succeed if the same request is repeated. */
public final class Retryability {
  /** Codes that mean waiting cannot help, whatever the status says. */
  private static final Set<String> FINAL_CODES = Set.of("ERROR_NOT_ENOUGH_CREDITS");

  /** Codes that mean a transient condition on the server side, whatever the status says. */
  private static final Set<String> TRANSIENT_CODES =
      Set.of("AI_SERVICE_FLOW_RESTRICTION", "AI_SERVICE_TIMEOUT", "EXCEEDING_LIMITS");

  private Retryability() {
  }

  /**
   * Whether an answer with this status and error code is transient.
   *
   * @param status the HTTP status (or the status the body reported)
   * @param code the error code, empty when unknown
   */
  public static boolean isRetryable(int status, String code) {
    if (FINAL_CODES.contains(code)) {
      return false;
    }
    if (TRANSIENT_CODES.contains(code)) {
      return true;
    }
    return isRetryableStatus(status);
  }

  /** Statuses worth retrying when no code says otherwise: 408, 429 and 5xx except 501 and 505. */
  public static boolean isRetryableStatus(int status) {
    return status == 408 || status == 429 || (status >= 500 && status <= 599 && status != 501 && status != 505);
  }
}
