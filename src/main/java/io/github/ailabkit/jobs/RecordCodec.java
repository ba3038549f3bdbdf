package io.github.ailabkit.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link JobRecord} as one line of JSON, for the file store's journal; unknown members are ignored. */
final class RecordCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RecordCodec() {
  }

  /** The record as compact JSON, without line breaks. */
  static String encode(JobRecord job) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("key", job.key());
    node.put("endpoint", job.endpointPath());
    ObjectNode fields = node.putObject("fields");
    job.fields().forEach(fields::put);
    ObjectNode files = node.putObject("files");
    job.files().forEach((name, path) -> files.put(name, path.toString()));
    node.put("state", job.state().name());
    putIfPresent(node, "taskId", job.taskId());
    putIfPresent(node, "submittedAt", job.submittedAt() == null ? null : job.submittedAt().toString());
    putIfPresent(node, "requestId", job.requestId());
    if (!job.resultFiles().isEmpty()) {
      job.resultFiles().forEach(path -> node.withArray("resultFiles").add(path.toString()));
    }
    putIfPresent(node, "answer", job.answerJson());
    if (job.error() != null) {
      ObjectNode error = node.putObject("error");
      error.put("httpStatus", job.error().httpStatus());
      error.put("code", job.error().code());
      error.put("message", job.error().message());
      error.put("requestId", job.error().requestId());
    }
    node.put("attempts", job.attempts());
    node.put("updatedAt", job.updatedAt().toString());
    return node.toString();
  }

  /**
   * The record in {@code json}.
   *
   * @throws IllegalArgumentException if it is not a record
   */
  static JobRecord decode(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      Map<String, String> fields = new LinkedHashMap<>();
      node.path("fields").properties().forEach(entry -> fields.put(entry.getKey(), entry.getValue().asText()));
      Map<String, Path> files = new LinkedHashMap<>();
      node.path("files").properties().forEach(entry -> files.put(entry.getKey(), Path.of(entry.getValue().asText())));
      List<Path> resultFiles = new ArrayList<>();
      node.path("resultFiles").forEach(path -> resultFiles.add(Path.of(path.asText())));
      JsonNode error = node.get("error");
      return new JobRecord(node.get("key").asText(), node.get("endpoint").asText(), fields, files,
          JobState.valueOf(node.get("state").asText()), text(node, "taskId"), instant(text(node, "submittedAt")),
          text(node, "requestId"), resultFiles, text(node, "answer"),
          error == null ? null : new JobError(error.path("httpStatus").asInt(), text(error, "code"),
              text(error, "message"), text(error, "requestId")),
          node.path("attempts").asInt(), instant(text(node, "updatedAt")));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("not a job record: " + e.getMessage(), e);
    }
  }

  private static void putIfPresent(ObjectNode node, String name, String value) {
    if (value != null) {
      node.put(name, value);
    }
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
