package io.github.ailabkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabIOException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import okhttp3.Call;
import okhttp3.Response;

/**
 * The one place that decides whether something that went wrong may go right if it is repeated: an error
 * answer (by status and code), a failed exchange (by whether the request may have reached the server), a
 * transfer broken off mid-body, a failed poll. The retry layer, the error mapping, downloads, the poller and
 * batch jobs all ask here; how long to wait is {@link Backoff}'s business.
 */
public final class Retryability {
  /** Codes that mean waiting cannot help, whatever the status says. */
  private static final Set<String> FINAL_CODES = Set.of("ERROR_NOT_ENOUGH_CREDITS");

  /** Codes that mean a transient condition on the server side, whatever the status says. */
  private static final Set<String> TRANSIENT_CODES =
      Set.of("AI_SERVICE_FLOW_RESTRICTION", "AI_SERVICE_TIMEOUT", "EXCEEDING_LIMITS");

  private Retryability() {
  }

  /**
   * Whether an answer with this status and error code is transient.
   *
   * @param status the HTTP status (or the status the body reported)
   * @param code the error code, empty when unknown
   */
  public static boolean isRetryable(int status, String code) {
    if (FINAL_CODES.contains(code)) {
      return false;
    }
    if (TRANSIENT_CODES.contains(code)) {
      return true;
    }
    return isRetryableStatus(status);
  }

  /** Statuses worth retrying when no code says otherwise: 408, 429 and 5xx except 501 and 505. */
  public static boolean isRetryableStatus(int status) {
    return status == 408 || status == 429 || (status >= 500 && status <= 599 && status != 501 && status != 505);
  }

  /**
   * Whether an answer that is not the API's JSON (empty, cut off, a proxy's page) is worth repeating: when its
   * status is (a garbled 200 is transient too), but not for a request that must not be repeated, unless the
   * status says it was turned away unprocessed (408, 429): the API may have received a submit whose answer was
   * lost on the way.
   *
   * @param repeatable whether the request may be sent again without duplicating a side effect
   */
  public static boolean isRetryableUnreadable(int status, boolean repeatable) {
    boolean turnedAway = status == 408 || status == 429;
    return turnedAway || repeatable && (status == 200 || isRetryable(status, ""));
  }

  /**
   * Whether the retry layer repeats an answer of an idempotent request: an error status or code that is
   * transient, or a 200 whose body is garbled or reports a transient error inside. A 200 that was not parsed
   * (streamed) or was refused (too large, too complex) is not: repeating cannot help.
   */
  static boolean isRetryableAnswer(Response response) {
    JsonNode tree = ParsedBody.treeOf(response);
    if (response.code() != 200) {
      return isRetryable(response.code(), tree == null ? "" : ResponseReader.errorCode(tree));
    }
    ParsedBody parsed = ParsedBody.of(response);
    if (parsed == null || parsed.refusal() != null) {
      return false;
    }
    if (tree == null) {
      return true; // garbled: a proxy page or a cut-off body, transient
    }
    return ResponseReader.isErrorAnswer(tree)
        && isRetryable(ResponseReader.effectiveStatus(200, tree), ResponseReader.errorCode(tree));
  }

  /**
   * Whether an exchange that failed with {@code failure} may be repeated: any failure of an idempotent request,
   * but a submit only when it cannot have reached the server.
   */
  static boolean isRetryableFailure(IOException failure, boolean idempotent) {
    return idempotent || neverReachedServer(failure);
  }

  /** True only for failures that happen before a single byte could reach the server. */
  public static boolean neverReachedServer(IOException failure) {
    return failure instanceof ConnectException
        || failure instanceof UnknownHostException
        || failure instanceof NoRouteToHostException
        || isConnectTimeout(failure);
  }

  /**
   * Whether a failure while a body streamed in may be cured by starting the transfer again: a broken or stalled
   * connection is, a stop (the call cancelled, its time up, the thread interrupted) is not.
   */
  static boolean isRestartableMidBody(IOException failure, Call call) {
    boolean stopped = call.isCanceled() || Thread.currentThread().isInterrupted()
        || (failure instanceof InterruptedIOException && !(failure instanceof SocketTimeoutException));
    return !stopped;
  }

  /** Whether a failed poll may be repeated: transport failures and retryable API errors. */
  public static boolean isTransient(Throwable error) {
    return error instanceof AILabIOException
        || (error instanceof AILabApiException api && api.isRetryable());
  }

  /**
   * The JDK reports a TCP connect that got no answer as {@code SocketTimeoutException("Connect timed
   * out")}; a read timeout, which may come after the request was sent, says "Read timed out" or "timeout".
   */
  private static boolean isConnectTimeout(IOException failure) {
    String message = failure.getMessage();
    return failure instanceof SocketTimeoutException
        && message != null
        && message.regionMatches(true, 0, "connect timed out", 0, "connect timed out".length());
  }
}
