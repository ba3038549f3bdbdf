package io.github.ailabkit.jobs;

import java.util.Objects;

/**
 * Why a job is {@link JobState#FAILED}, {@link JobState#UNCERTAIN} or {@link JobState#EXPIRED}, as the
 * API or the runner reported it.
 *
 * @param httpStatus the HTTP status of the error answer, or 0 when there was no answer
 * @param code the API's error code such as {@code ERROR_NO_FACE_IN_FILE}, or one of the runner's own codes
 *     ({@value #INVALID_INPUT}, {@value #NO_ANSWER}, {@value #RESULTS_EXPIRED}, {@value #ABANDONED})
 * @param message a readable explanation (never the API key)
 * @param requestId the request id of the answer that carried the error, empty when none
 */
public record JobError(int httpStatus, String code, String message, String requestId) {
  /** The form was refused before anything was sent (validation, an unreadable file). */
  public static final String INVALID_INPUT = "INVALID_INPUT";
  /** A submit may have reached the server but no answer arrived. */
  public static final String NO_ANSWER = "NO_ANSWER";
  /** The results were deleted before they were fetched. */
  public static final String RESULTS_EXPIRED = "RESULTS_EXPIRED";
  /** The process that was submitting the job stopped before the submit's answer was recorded. */
  public static final String ABANDONED = "ABANDONED";

  /** Normalises absent strings to empty ones. */
  public JobError {
    code = Objects.requireNonNullElse(code, "");
    message = Objects.requireNonNullElse(message, "");
    requestId = Objects.requireNonNullElse(requestId, "");
  }
}
