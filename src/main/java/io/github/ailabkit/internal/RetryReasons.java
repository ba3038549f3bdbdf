package io.github.ailabkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.RetryEvent;
import okhttp3.Response;

/** Names why a retryable attempt is repeated, for {@link RetryEvent}; the decision itself is made elsewhere. */
final class RetryReasons {
  private RetryReasons() {
  }

  /** The reason for repeating an attempt that failed with {@code failure} or answered {@code response}. */
  static RetryEvent.Reason of(Exception failure, Response response) {
    if (failure != null || response == null) {
      return RetryEvent.Reason.IO_ERROR;
    }
    JsonNode tree = ParsedBody.treeOf(response);
    if (response.code() == 200 && ParsedBody.isParsed(response) && tree == null) {
      return RetryEvent.Reason.GARBLED_ANSWER;
    }
    String code = tree == null ? "" : ResponseReader.errorCode(tree);
    int status = tree == null ? response.code() : ResponseReader.effectiveStatus(response.code(), tree);
    return switch (code) {
      case "AI_SERVICE_FLOW_RESTRICTION", "EXCEEDING_LIMITS" -> RetryEvent.Reason.THROTTLED;
      case "AI_SERVICE_TIMEOUT" -> RetryEvent.Reason.TIMEOUT;
      default -> status == 429 ? RetryEvent.Reason.THROTTLED
          : status == 408 ? RetryEvent.Reason.TIMEOUT
          : RetryEvent.Reason.SERVER_ERROR;
    };
  }
}
