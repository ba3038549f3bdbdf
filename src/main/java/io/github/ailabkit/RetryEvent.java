package io.github.ailabkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A retry the SDK decided on, as seen by {@link AILabEventListener#onRetry(RetryEvent)}: attempt
 * {@code attempt} failed and the next one starts after {@code delay}.
 *
 * @param method the HTTP method
 * @param endpoint the API path (see {@link ExchangeEvent#endpoint()}), or {@code "download"}
 * @param attempt the attempt that failed, from 1
 * @param delay the wait before the next attempt ({@code Retry-After} or backoff)
 * @param reason why the attempt is repeated
 */
public record RetryEvent(String method, String endpoint, int attempt, Duration delay, Reason reason) {

  /** Why a request is repeated; a small fixed set, fit for a metric tag. */
  public enum Reason {
    /** No answer: the connection failed or the answer was cut off. */
    IO_ERROR,
    /** The API asked to slow down: 429, or a flow-restriction or limit error code. */
    THROTTLED,
    /** The request or the AI service timed out: 408, or a service-timeout error code. */
    TIMEOUT,
    /** The server failed: 5xx other than 501 and 505. */
    SERVER_ERROR,
    /** A 200 whose body was not readable JSON (a proxy page, a truncated body). */
    GARBLED_ANSWER
  }

  /** Checks that no component is null. */
  public RetryEvent {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(endpoint, "endpoint == null");
    Objects.requireNonNull(delay, "delay == null");
    Objects.requireNonNull(reason, "reason == null");
  }
}
