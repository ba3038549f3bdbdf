package io.github.ailabkit.simulator;

import java.util.Map;
import java.util.Objects;

/**
 * An error the simulator answers with: HTTP status, error code and message. The code's summary (the
 * {@code code_message} of an answer) is the one the API documents, where known.
 */
record Failure(int status, String code, String message) {
  private static final Map<String, String> SUMMARIES = Map.ofEntries(
      Map.entry("ERROR_PARAMETERS", "Invalid parameters."),
      Map.entry("MISSING_PARAMETERS", "Missing parameters."),
      Map.entry("ERROR_INVALID_PARAMETER", "Invalid parameter."),
      Map.entry("ERROR_USER_NOT_EXISTS", "The user does not exist."),
      Map.entry("ERROR_USER_LOCKED", "The user is locked."),
      Map.entry("ERROR_AI_NOT_EXISTS", "AI does not exist or has been deactivated."),
      Map.entry("ERROR_RESOURCE_NOT_FOUND", "The resource does not exist."),
      Map.entry("ERROR_METHOD_NOT_ALLOWED", "The request method is not allowed."),
      Map.entry("ERROR_TASK_REVOKED", "The task has been revoked."),
      Map.entry("FILE_SIZE_EXCEEDS_LIMIT", "The file size exceeds the limit."),
      Map.entry("UNSUPPORTED_FILE_TYPES", "The file type is not supported."),
      Map.entry("ERROR_NO_FACE_IN_FILE", "No face detected in the file."),
      Map.entry("ERROR_NOT_ENOUGH_CREDITS", "Insufficient credits."),
      Map.entry("EXCEEDING_LIMITS", "The request rate exceeds the limit."),
      Map.entry("PROCESSING_FAILURE", "Processing failed."),
      Map.entry("AI_SERVICE_ERROR", "AI service error."),
      Map.entry("AI_SERVICE_FLOW_RESTRICTION", "AI service flow restriction."),
      Map.entry("AI_SERVICE_TIMEOUT", "AI service timeout."));

  Failure {
    Objects.requireNonNull(code, "code == null");
    Objects.requireNonNull(message, "message == null");
  }

  /** A failure whose message is the code's summary. */
  static Failure of(int status, String code) {
    return new Failure(status, code, summary(code));
  }

  /**
   * A failure as fault injection asks for it: an error status (400 to 599) and a non-blank code.
   *
   * @throws IllegalArgumentException if the status is not an error status or the code is blank
   */
  static Failure injected(int status, String code) {
    Objects.requireNonNull(code, "code == null");
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be an error status (400 to 599): " + status);
    }
    if (code.isBlank()) {
      throw new IllegalArgumentException("code is blank");
    }
    return new Failure(status, code, "Simulated failure: " + summary(code));
  }

  /** The documented summary of a code, or a generic one for codes the simulator does not know. */
  static String summary(String code) {
    return SUMMARIES.getOrDefault(code, "Request failed.");
  }
}
