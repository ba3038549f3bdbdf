package io.github.ailabkit.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.internal.Json;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Builds the simulator's JSON answers, with the public response fields in either {@link WireForm}. */
final class Answers {
  static final String JSON = "application/json";

  private Answers() {
  }

  /** An error answer: the failure's status, and its code and message in the body. */
  static Answer error(WireForm form, Failure failure) {
    return json(failure.status(), publicFields(form, failure.status(), failure));
  }

  /** The answer to an accepted submit of an asynchronous endpoint. */
  static Answer submitted(WireForm form, String taskId) {
    ObjectNode root = publicFields(form, 200, null);
    if (form == WireForm.OLD) {
      root.put("task_type", "async");
    }
    root.put("task_id", taskId);
    return json(200, root);
  }

  /** The answer to a poll: the status, and once completed ({@code 2}) the result data. */
  static Answer taskStatus(int taskStatus, JsonNode data) {
    ObjectNode root = publicFields(WireForm.NEW, 200, null);
    root.put("task_status", taskStatus);
    if (data != null) {
      root.set("data", data);
    }
    return json(200, root);
  }

  /**
   * The answer of a synchronous endpoint: its documented shape ({@link DocumentedAnswers}) with plausible
   * values naming {@code fileUrl} where it carries a result URL; {@code data.image_url} for a path with no
   * documented answer.
   */
  static Answer syncResult(WireForm form, String path, String fileUrl) {
    ObjectNode root = publicFields(form, 200, null);
    String documented = DocumentedAnswers.forPath(path);
    if (documented == null) {
      root.putObject("data").put("image_url", fileUrl);
    } else {
      root.setAll(PlausibleValues.fill(documented, fileUrl));
    }
    return json(200, root);
  }

  /** The answer of the credits query: {@code data} is the array of pools. */
  static Answer credits(JsonNode pools) {
    ObjectNode root = publicFields(WireForm.NEW, 200, null);
    root.set("data", pools);
    return json(200, root);
  }

  /** A JSON object carrying the public response fields; {@code failure} is null for a success. */
  private static ObjectNode publicFields(WireForm form, int status, Failure failure) {
    String code = failure == null ? "" : failure.code();
    String summary = failure == null ? "" : Failure.summary(code);
    String message = failure == null ? "" : failure.message();
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("request_id", UUID.randomUUID().toString());
    root.put("log_id", Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
    if (form == WireForm.OLD) {
      root.put("error_code", failure == null ? 0 : status);
      root.put("error_code_str", code);
      root.put("error_msg", message);
    }
    ObjectNode detail = root.putObject("error_detail");
    if (form == WireForm.OLD) {
      detail.put("status_code", status);
    }
    detail.put("code", code);
    detail.put("code_message", summary);
    detail.put("message", message);
    return root;
  }

  private static Answer json(int status, ObjectNode root) {
    try {
      return new Answer(status, JSON, Json.mapper().writeValueAsBytes(root));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
