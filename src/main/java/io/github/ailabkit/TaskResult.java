package io.github.ailabkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.internal.Json;
import io.github.ailabkit.internal.ResponseBinder;
import java.util.Objects;

/**
 * One answer of {@code GET /api/common/query-async-task-result}: the task's status and, once it is
 * {@link TaskStatus#COMPLETED}, its result payload.
 *
 * <p>The payload's shape depends on the endpoint that created the task, so it is kept as raw JSON in
 * {@link #data()}; {@link #dataAs(Class)} binds it to a type of your own.
 *
 * @param requestId the server's request id (empty if none)
 * @param logId the server's log id (empty if none)
 * @param errorDetail the error detail; {@link ErrorDetail#NONE} for a successful query
 * @param taskStatus the status, {@link TaskStatus#UNKNOWN} for values this SDK does not know
 * @param rawTaskStatus the status exactly as sent; {@code -1} when the response had none
 * @param data the result payload, or null when absent (it is only sent once completed)
 * @param body the whole JSON answer, for fields outside {@code data} (some endpoints put
 *     {@code output} at the top level); an empty object when built by hand
 */
public record TaskResult(
    String requestId,
    String logId,
    ErrorDetail errorDetail,
    TaskStatus taskStatus,
    int rawTaskStatus,
    JsonNode data,
    JsonNode body) implements PublicResponseFields {

  /** Normalises absent strings to empty ones and requires a status. */
  public TaskResult {
    requestId = requestId == null ? "" : requestId;
    logId = logId == null ? "" : logId;
    errorDetail = errorDetail == null ? ErrorDetail.NONE : errorDetail;
    Objects.requireNonNull(taskStatus, "taskStatus == null");
    body = body == null ? Json.mapper().createObjectNode() : body;
  }

  /** Whether the task has completed, so {@link #data()} holds its result. */
  public boolean isCompleted() {
    return taskStatus == TaskStatus.COMPLETED;
  }

  /**
   * Binds {@link #data()} to {@code type} with Jackson (unknown properties are ignored).
   *
   * @return the bound value, or null when there is no data
   * @throws AILabException if the data cannot be bound to {@code type}
   */
  public <T> T dataAs(Class<T> type) {
    return ResponseBinder.treeAs(data, type, "task data");
  }
}
