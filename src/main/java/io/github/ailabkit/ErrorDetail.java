package io.github.ailabkit;

/**
 * The {@code error_detail} object every response carries: an empty {@code code} means success.
 *
 * <p>Old-form responses ({@code error_code}, {@code error_code_str}, {@code error_msg}) are folded into
 * the same three fields, so callers read one shape whatever the endpoint answered.
 *
 * @param code machine-readable error code such as {@code ERROR_NO_FACE_IN_FILE}; empty on success
 * @param codeMessage short summary of the code
 * @param message detailed, human-readable message
 */
public record ErrorDetail(String code, String codeMessage, String message) {
  /** The detail of a successful response: all fields empty. */
  public static final ErrorDetail NONE = new ErrorDetail("", "", "");

  /** Normalises nulls to empty strings, so callers never null-check the fields. */
  public ErrorDetail {
    code = code == null ? "" : code;
    codeMessage = codeMessage == null ? "" : codeMessage;
    message = message == null ? "" : message;
  }

  /** Whether this detail reports an error (its {@code code} is not empty). */
  public boolean isError() {
    return !code.isEmpty();
  }
}
