package io.github.ailabkit.testing;

import mockwebserver3.MockResponse;

/** Canned AILab answers, shaped like the ones the live API sends. */
public final class RecordedResponses {
  private RecordedResponses() {
  }

  /** A 200 with a JSON body. */
  public static MockResponse json(String body) {
    return json(200, body);
  }

  /** A JSON body with any status. */
  public static MockResponse json(int status, String body) {
    return new MockResponse.Builder()
        .code(status)
        .setHeader("Content-Type", "application/json; charset=utf-8")
        .body(body)
        .build();
  }

  /** A successful query answer in the new form. */
  public static MockResponse taskStatus(int status) {
    return json("{\"request_id\":\"req-1\",\"log_id\":\"log-1\","
        + "\"error_detail\":{\"code\":\"\",\"code_message\":\"\",\"message\":\"\"},\"task_status\":" + status + "}");
  }

  /** An error answer in the new form: {@code error_detail.code} plus ids. */
  public static MockResponse error(int status, String code) {
    return json(status, errorBody(code, "something went wrong"));
  }

  /** The body of a new-form error answer. */
  public static String errorBody(String code, String message) {
    return "{\"request_id\":\"req-" + code + "\",\"log_id\":\"log-" + code + "\","
        + "\"error_detail\":{\"code\":\"" + code + "\",\"code_message\":\"summary\",\"message\":\"" + message + "\"}}";
  }

  /** An error answer in the old form: {@code error_code}, {@code error_code_str}, {@code error_msg}. */
  public static MockResponse oldFormError(int status, String code) {
    return json(status, "{\"request_id\":\"req-old\",\"log_id\":\"log-old\",\"error_code\":" + status
        + ",\"error_code_str\":\"" + code + "\",\"error_msg\":\"old message\","
        + "\"error_detail\":{\"status_code\":" + status + ",\"code\":\"" + code
        + "\",\"code_message\":\"summary\",\"message\":\"old message\"}}");
  }
}
