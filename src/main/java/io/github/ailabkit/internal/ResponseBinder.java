package io.github.ailabkit.internal;

import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.ApiResponse;
import io.github.ailabkit.PublicResponseFields;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * The one place where answers are bound to Java types, with the SDK's mapper (unknown members ignored,
 * a decimal accepted where an integer was documented and the other way round).
 *
 * <p>The generated response records of {@code io.github.ailabkit.params} take their public response
 * fields and the whole body from the {@link ApiResponse} (already read, old and new error forms folded
 * into one) through Jackson injection under the keys below; every other component is bound by its
 * JSON name.
 */
public final class ResponseBinder {
  /** Injection key of {@link PublicResponseFields#requestId()}. */
  public static final String REQUEST_ID = "io.github.ailabkit.requestId";
  /** Injection key of {@link PublicResponseFields#logId()}. */
  public static final String LOG_ID = "io.github.ailabkit.logId";
  /** Injection key of {@link PublicResponseFields#errorDetail()}. */
  public static final String ERROR_DETAIL = "io.github.ailabkit.errorDetail";
  /** Injection key of the whole body. */
  public static final String BODY = "io.github.ailabkit.body";

  private ResponseBinder() {
  }

  /**
   * A generated response record of this answer.
   *
   * @throws AILabException if a member has a shape the record cannot hold (such as an object where a
   *     number was documented)
   */
  public static <T extends PublicResponseFields> T bind(ApiResponse response, Class<T> type) {
    Objects.requireNonNull(response, "response == null");
    Objects.requireNonNull(type, "type == null");
    InjectableValues values = new InjectableValues.Std(Map.of(REQUEST_ID, response.requestId(),
        LOG_ID, response.logId(), ERROR_DETAIL, response.errorDetail(), BODY, response.body()));
    try {
      return mapper().readerFor(type).with(values).readValue(response.body());
    } catch (IOException | IllegalArgumentException e) {
      throw new AILabException("Cannot bind the answer to " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A JSON value bound to a type of the caller's, or null for an absent or null value.
   *
   * @param what what the value is, for the error message ("the response body", "task data")
   * @throws AILabException if the value cannot be bound
   */
  public static <T> T treeAs(JsonNode value, Class<T> type, String what) {
    Objects.requireNonNull(type, "type == null");
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    try {
      return mapper().treeToValue(value, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new AILabException("Cannot bind " + what + " to " + type.getName(), e);
    }
  }

  private static ObjectMapper mapper() {
    return Json.mapper();
  }
}
