package io.github.ailabkit.internal;

import io.github.ailabkit.RetryEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one DEBUG line per HTTP exchange (method, path, status, elapsed, request id, attempt) and, at
 * TRACE, a short redacted body excerpt, and hands each exchange and retry decision to the client's
 * {@link ExchangeEvents}. Never logs headers, so the API key cannot reach a log.
 */
public final class ExchangeLogger {
  private static final Logger LOG = LoggerFactory.getLogger("io.github.ailabkit.http");
  private static final Pattern REQUEST_ID = Pattern.compile("\"request_id\"\\s*:\\s*\"([^\"]{0,100})\"");
  private static final int PEEK_BYTES = 4096;

  private final Redactor redactor;
  private final ExchangeEvents events;

  /** A logger that scrubs the secret known to {@code redactor} from body excerpts and reports to {@code events}. */
  public ExchangeLogger(Redactor redactor, ExchangeEvents events) {
    this.redactor = redactor;
    this.events = events;
  }

  /** Logs and reports a completed exchange. */
  public void response(Request request, Response response, long elapsedNanos, int attempt) {
    events.answered(request, response, elapsedNanos, attempt);
    if (!LOG.isDebugEnabled()) {
      return;
    }
    long elapsedMillis = elapsedNanos / 1_000_000;
    String body = peek(response);
    Matcher id = REQUEST_ID.matcher(body);
    LOG.debug("{} {} -> {} in {} ms (attempt {}, request_id={})", request.method(), request.url().encodedPath(),
        response.code(), elapsedMillis, attempt, id.find() ? redactor.forRequest(request).excerpt(id.group(1), 100) : "");
    if (LOG.isTraceEnabled()) {
      LOG.trace("{} {} body: {}", request.method(), request.url().encodedPath(),
          redactor.forRequest(request).excerpt(body, 1000));
    }
  }

  /** Logs and reports an exchange that failed without a response. */
  public void failure(Request request, Exception failure, long elapsedNanos, int attempt) {
    events.failed(request, elapsedNanos, attempt);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} failed in {} ms (attempt {}): {}", request.method(), request.url().encodedPath(),
          elapsedNanos / 1_000_000, attempt, redactor.forRequest(request).excerpt(String.valueOf(failure), 300));
    }
  }

  /** Logs an immediate repeat of a read whose pooled connection had been closed while idle. */
  public void retryingStale(Request request, Exception failure) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} met a stale pooled connection ({}); repeated at once on a fresh one", request.method(),
          request.url().encodedPath(), redactor.forRequest(request).excerpt(String.valueOf(failure), 200));
    }
  }

  /** Logs and reports a decision to retry after {@code wait}. */
  public void retrying(Request request, int attempt, Duration wait, RetryEvent.Reason reason) {
    events.retrying(request, attempt, wait, reason);
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} will be retried in {} ms (attempt {} failed: {})", request.method(),
          request.url().encodedPath(), wait.toMillis(), attempt, reason);
    }
  }

  private static String peek(Response response) {
    if (response.body() == null || !isText(response)) {
      return "";
    }
    try {
      return new String(response.peekBody(PEEK_BYTES).bytes(), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "";
    }
  }

  private static boolean isText(Response response) {
    String type = response.header("Content-Type", "");
    return type.isEmpty() || type.contains("json") || type.startsWith("text/");
  }
}
