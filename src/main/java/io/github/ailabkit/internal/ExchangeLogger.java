package io.github.ailabkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one DEBUG line per HTTP exchange (method, path, status, elapsed, request id, attempt) and, at
 * TRACE, a short redacted body excerpt. Never logs headers, so the API key cannot reach a log.
 */
public final class ExchangeLogger {
  private static final Logger LOG = LoggerFactory.getLogger("io.github.ailabkit.http");
  private static final Pattern REQUEST_ID = Pattern.compile("\"request_id\"\\s*:\\s*\"([^\"]{0,100})\"");
  private static final int PEEK_BYTES = 4096;

  private final Redactor redactor;

  /** A logger that scrubs the secret known to {@code redactor} from body excerpts. */
  public ExchangeLogger(Redactor redactor) {
    this.redactor = redactor;
  }

  /** Logs a completed exchange. */
  public void response(Request request, Response response, long elapsedMillis, int attempt) {
    if (!LOG.isDebugEnabled()) {
      return;
    }
    String body = peek(response);
    Matcher id = REQUEST_ID.matcher(body);
    LOG.debug("{} {} -> {} in {} ms (attempt {}, request_id={})", request.method(), request.url().encodedPath(),
        response.code(), elapsedMillis, attempt, id.find() ? redactor.forRequest(request).excerpt(id.group(1), 100) : "");
    if (LOG.isTraceEnabled()) {
      LOG.trace("{} {} body: {}", request.method(), request.url().encodedPath(),
          redactor.forRequest(request).excerpt(body, 1000));
    }
  }

  /** Logs an exchange that failed without a response. */
  public void failure(Request request, Exception failure, long elapsedMillis, int attempt) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} failed in {} ms (attempt {}): {}", request.method(), request.url().encodedPath(),
          elapsedMillis, attempt, redactor.forRequest(request).excerpt(String.valueOf(failure), 300));
    }
  }

  /** Logs an immediate repeat of a read whose pooled connection had been closed while idle. */
  public void retryingStale(Request request, Exception failure) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} met a stale pooled connection ({}); repeated at once on a fresh one", request.method(),
          request.url().encodedPath(), redactor.forRequest(request).excerpt(String.valueOf(failure), 200));
    }
  }

  /** Logs a decision to retry. */
  public void retrying(Request request, int attempt, long waitMillis) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} will be retried in {} ms (attempt {} failed)", request.method(), request.url().encodedPath(),
          waitMillis, attempt);
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
