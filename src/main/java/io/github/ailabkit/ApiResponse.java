package io.github.ailabkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.internal.ResponseBinder;
import java.util.Objects;

/**
 * The successful answer of a synchronous endpoint. Its shape depends on the endpoint, so the whole
 * JSON body is kept in {@link #body()}; {@link #data()} is its {@code data} member, and
 * {@link #bodyAs(Class)} binds the body to a type of your own.
 *
 * @param requestId the server's request id (empty if none)
 * @param logId the server's log id (empty if none)
 * @param errorDetail {@link ErrorDetail#NONE} for a successful call
 * @param body the whole JSON body
 */
public record ApiResponse(String requestId, String logId, ErrorDetail errorDetail, JsonNode body)
    implements PublicResponseFields {

  /** Normalises absent strings and requires a body. */
  public ApiResponse {
    requestId = requestId == null ? "" : requestId;
    logId = logId == null ? "" : logId;
    errorDetail = errorDetail == null ? ErrorDetail.NONE : errorDetail;
    Objects.requireNonNull(body, "body == null");
  }

  /** The body's {@code data} member, or null when absent. */
  public JsonNode data() {
    JsonNode data = body.get("data");
    return data == null || data.isNull() ? null : data;
  }

  /**
   * Binds the whole body to {@code type} with Jackson (unknown properties ignored).
   *
   * @throws AILabException if the body cannot be bound
   */
  public <T> T bodyAs(Class<T> type) {
    return ResponseBinder.treeAs(body, type, "the response body");
  }
}
