package io.github.ailabkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.ExchangeEvent;
import io.github.ailabkit.RetryEvent;
import java.time.Duration;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Turns the retry layer's view of an attempt into {@link ExchangeEvent}s and {@link RetryEvent}s for the
 * client's listener. The endpoint is the API path without the base URL's prefix and without the query (so
 * never a task id); for result-file downloads, whose URLs name other hosts and files, it is
 * {@code "download"}. Nothing is built when no listener is installed.
 */
public final class ExchangeEvents {
  /** The endpoint reported for result-file downloads. */
  public static final String DOWNLOAD = "download";

  private final SafeEventListener listener;
  /** The base URL's path without its trailing slash ("" for a root base URL); null for downloads. */
  private final String basePath;

  private ExchangeEvents(SafeEventListener listener, String basePath) {
    this.listener = listener;
    this.basePath = basePath;
  }

  /** Events for API calls under a base URL whose encoded path is {@code baseEncodedPath} (ends with {@code /}). */
  public static ExchangeEvents forApi(SafeEventListener listener, String baseEncodedPath) {
    return new ExchangeEvents(listener, baseEncodedPath.substring(0, baseEncodedPath.length() - 1));
  }

  /** Events for result-file downloads: every endpoint is {@value #DOWNLOAD}. */
  public static ExchangeEvents forDownloads(SafeEventListener listener) {
    return new ExchangeEvents(listener, null);
  }

  /** Reports an attempt that got an answer (parsed by the retry layer when its body was buffered). */
  public void answered(Request request, Response response, long elapsedNanos, int attempt) {
    if (!listener.isActive()) {
      return;
    }
    int status = response.code();
    JsonNode tree = ParsedBody.isParsed(response) ? ParsedBody.treeOf(response) : null;
    boolean garbled = ParsedBody.isParsed(response) && tree == null;
    boolean errorInside = tree != null && ResponseReader.isErrorAnswer(tree);
    // the error code is read only from an error answer: a success then costs no ErrorDetail
    String errorCode = tree != null && (errorInside || status >= 400) ? ResponseReader.errorCode(tree) : "";
    int effective = tree == null ? status : ResponseReader.effectiveStatus(status, tree);
    boolean error = status >= 400 || garbled || errorInside;
    ExchangeEvent.Outcome outcome = !error ? ExchangeEvent.Outcome.SUCCESS
        : garbled || effective >= 500 ? ExchangeEvent.Outcome.SERVER_ERROR
        : ExchangeEvent.Outcome.CLIENT_ERROR;
    listener.onExchange(new ExchangeEvent(request.method(), endpoint(request), status, errorCode, attempt,
        Duration.ofNanos(elapsedNanos), tree == null ? "" : Json.text(tree, "request_id"),
        tree == null ? "" : Json.text(tree, "log_id"), outcome));
  }

  /** Reports an attempt that failed without an answer. */
  public void failed(Request request, long elapsedNanos, int attempt) {
    if (listener.isActive()) {
      listener.onExchange(new ExchangeEvent(request.method(), endpoint(request), 0, "", attempt,
          Duration.ofNanos(elapsedNanos), "", "", ExchangeEvent.Outcome.IO_ERROR));
    }
  }

  /** Reports a decided retry. */
  public void retrying(Request request, int attempt, Duration delay, RetryEvent.Reason reason) {
    if (listener.isActive()) {
      listener.onRetry(new RetryEvent(request.method(), endpoint(request), attempt, delay, reason));
    }
  }

  private String endpoint(Request request) {
    if (basePath == null) {
      return DOWNLOAD;
    }
    String path = request.url().encodedPath();
    return path.startsWith(basePath) ? path.substring(basePath.length()) : path;
  }
}
