package io.github.ailabkit;

import java.time.Duration;
import java.util.Objects;

/**
 * One HTTP attempt, as seen by {@link AILabEventListener#onExchange(ExchangeEvent)}.
 *
 * @param method the HTTP method, e.g. {@code GET}
 * @param endpoint the API path, e.g. {@code /api/common/query-async-task-result}: no host, no query (so
 *     no task id), no base-URL prefix; {@code "download"} for a result-file download
 * @param status the HTTP status, or 0 when the attempt failed without an answer
 * @param errorCode the error code the answer reported, empty when none
 * @param attempt the attempt number of this request, from 1
 * @param duration time from sending the request to the answer being read (or the failure)
 * @param requestId the answer's {@code request_id}, empty when none
 * @param logId the answer's {@code log_id}, empty when none
 * @param outcome how the attempt ended, in the four classes metrics use
 */
public record ExchangeEvent(String method, String endpoint, int status, String errorCode, int attempt,
    Duration duration, String requestId, String logId, Outcome outcome) {

  /** How an attempt ended. */
  public enum Outcome {
    /** An answer without an error. */
    SUCCESS,
    /** An error the client caused or must handle: 4xx, or a 4xx-class error reported inside a 200. */
    CLIENT_ERROR,
    /** An error on the server side: 5xx, an unreadable answer, or a 5xx-class error inside a 200. */
    SERVER_ERROR,
    /** No answer: the connection failed, timed out or was cancelled. */
    IO_ERROR
  }

  /** Checks that no component is null. */
  public ExchangeEvent {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(endpoint, "endpoint == null");
    Objects.requireNonNull(errorCode, "errorCode == null");
    Objects.requireNonNull(duration, "duration == null");
    Objects.requireNonNull(requestId, "requestId == null");
    Objects.requireNonNull(logId, "logId == null");
    Objects.requireNonNull(outcome, "outcome == null");
  }
}
