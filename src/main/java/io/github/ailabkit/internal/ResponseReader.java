package io.github.ailabkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.ErrorDetail;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * The one place that turns an HTTP response into JSON or a typed exception.
 *
 * <p>A call has failed when the HTTP status is not 200, or {@code error_code} is present and not 0, or
 * {@code error_detail.code} is not empty. Both the new ({@code error_detail}) and old ({@code error_code},
 * {@code error_code_str}, {@code error_msg}) forms are understood. A body that is not a JSON object
 * becomes an {@link AILabApiException} with a short, redacted excerpt, never a raw Jackson exception.
 */
public final class ResponseReader {
  private static final int EXCERPT_CHARS = 200;

  private final Redactor redactor;
  private final Clock clock;

  /** A reader that scrubs the secret known to {@code redactor} from excerpts. */
  public ResponseReader(Redactor redactor, Clock clock) {
    this.redactor = redactor;
    this.clock = clock;
  }

  /**
   * Reads a successful answer's JSON, or throws the exception for an error answer. Closes the response.
   *
   * @throws AILabApiException for an error answer or an unreadable body
   * @throws IOException when the body cannot be read from the network
   */
  public JsonNode read(Response response) throws IOException {
    try (response) {
      int status = response.code();
      Duration retryAfter = RetryAfter.parse(RetryAfter.header(response), clock);
      if (status >= 300 && status < 400) {
        throw ApiErrors.create("HTTP " + status + ": the API answered with a redirect, which the SDK does not follow"
            + " (the API key must not leave the API origin)", status, status, ErrorDetail.NONE, "", "", null);
      }
      ParsedBody parsed = ParsedBody.of(ParsedBody.parse(response)); // a no-op: the retry layer parsed it
      JsonNode root = parsed == null ? null : parsed.tree();
      if (parsed != null && parsed.refusal() != null) {
        throw ApiErrors.create("HTTP " + status + " with " + parsed.refusal(), status, status, ErrorDetail.NONE,
            "", "", null);
      }
      if (root == null) {
        byte[] bytes = parsed == null ? new byte[0] : parsed.prefix();
        String excerpt = redactor.excerpt(new String(bytes, StandardCharsets.UTF_8), EXCERPT_CHARS);
        String what = bytes.length == 0 ? "an empty body" : "a body that is not a JSON object: " + excerpt;
        throw ApiErrors.unreadable("HTTP " + status + " with " + what, status, retryAfter, isRepeatable(response));
      }
      if (status != 200 || isErrorAnswer(root)) {
        ErrorDetail detail = errorDetail(root, true);
        int effective = effectiveStatus(status, root);
        // A server may echo the key back (e.g. "unknown key ..."); nothing it said may carry it further.
        ErrorDetail safeDetail = new ErrorDetail(redactor.scrub(detail.code()), redactor.scrub(detail.codeMessage()),
            redactor.scrub(detail.message()));
        throw ApiErrors.create(message(status, effective, detail, root), status, effective, safeDetail,
            redactor.scrub(Json.text(root, "request_id")), redactor.scrub(Json.text(root, "log_id")), retryAfter);
      }
      return root;
    }
  }

  /**
   * Whether a JSON answer reports an error inside it: {@code error_code} present and not 0, or a non-empty
   * {@code error_detail.code}.
   */
  public static boolean isErrorAnswer(JsonNode root) {
    return WireNumbers.reportsError(root.get("error_code")) || !Json.text(root.path("error_detail"), "code").isEmpty();
  }

  /**
   * The status that describes an answer's error: the HTTP status, or for a 200 the {@code error_code} or
   * {@code error_detail.status_code} its body reported.
   */
  public static int effectiveStatus(int httpStatus, JsonNode root) {
    if (httpStatus != 200) {
      return httpStatus;
    }
    int errorCode = WireNumbers.exactInt(root.get("error_code")).orElse(0);
    return errorCode != 0 ? errorCode : WireNumbers.exactInt(root.path("error_detail").get("status_code")).orElse(200);
  }

  /** The error code of an answer that reports an error, in either form; empty when it names none. */
  static String errorCode(JsonNode root) {
    return errorDetail(root, true).code();
  }

  /** The task result in a successful query answer; {@code task_status} is read at the top or in {@code data}. */
  public static TaskResult taskResult(JsonNode root) {
    JsonNode data = root.get("data");
    JsonNode status = root.get("task_status");
    if ((status == null || status.isNull()) && data != null) {
      status = data.get("task_status");
    }
    int raw = rawStatus(status);
    return new TaskResult(Json.text(root, "request_id"), Json.text(root, "log_id"), errorDetail(root),
        TaskStatus.fromCode(raw), raw, data == null || data.isNull() ? null : data, root);
  }

  /** The task id of a submit answer, at the top level or in {@code data}; empty if absent. */
  public static String taskId(JsonNode root) {
    String taskId = Json.text(root, "task_id");
    return taskId.isEmpty() ? Json.text(root.path("data"), "task_id") : taskId;
  }

  /**
   * The error detail of a response in either form; {@link ErrorDetail#NONE} when there is none. The old
   * form's {@code error_code_str} counts as the code only when {@code error_code} reports an error, so a
   * successful answer never yields a detail that {@linkplain ErrorDetail#isError() is an error}.
   */
  public static ErrorDetail errorDetail(JsonNode root) {
    return errorDetail(root, WireNumbers.reportsError(root.get("error_code")));
  }

  private static ErrorDetail errorDetail(JsonNode root, boolean failed) {
    JsonNode detail = root.path("error_detail");
    String code = Json.text(detail, "code");
    String codeMessage = Json.text(detail, "code_message");
    String message = Json.text(detail, "message");
    if (code.isEmpty() && failed) {
      code = Json.text(root, "error_code_str");
    }
    if (message.isEmpty()) {
      message = Json.text(root, "error_msg");
    }
    return code.isEmpty() && codeMessage.isEmpty() && message.isEmpty()
        ? ErrorDetail.NONE : new ErrorDetail(code, codeMessage, message);
  }

  private String message(int status, int effective, ErrorDetail detail, JsonNode root) {
    StringBuilder text = new StringBuilder("HTTP ").append(status);
    if (effective != status) {
      text.append(" (error_code ").append(effective).append(')');
    } else if (WireNumbers.reportsError(root.get("error_code"))) { // a code that is no status, such as 0.5
      text.append(" (error_code ").append(redactor.excerpt(root.get("error_code").asText(), 40)).append(')');
    }
    if (!detail.code().isEmpty()) {
      text.append(' ').append(redactor.excerpt(detail.code(), 80));
    }
    String why = !detail.message().isEmpty() ? detail.message() : detail.codeMessage();
    if (!why.isEmpty()) {
      text.append(": ").append(redactor.excerpt(why, EXCERPT_CHARS));
    }
    String requestId = Json.text(root, "request_id");
    if (!requestId.isEmpty()) {
      text.append(" (request_id=").append(redactor.excerpt(requestId, 80)).append(')');
    }
    return text.toString();
  }

  /** Whether the request may be sent again: false for a submit, which creates a task. */
  private static boolean isRepeatable(Response response) {
    CallOptions options = response.request().tag(CallOptions.class);
    return options == null || options.idempotent();
  }

  private static int rawStatus(JsonNode status) {
    return WireNumbers.exactInt(status).orElse(-1);
  }
}
