package io.github.ailabkit;

/**
 * Observes everything a client does, for metrics, tracing or audit logs: each HTTP exchange, each retry
 * the SDK decides on, and each wait for a task from its start to its end. Every method has an empty
 * default, so implement only what you need.
 *
 * <pre>{@code
 * AILabClient client = AILabClient.builder()
 *     .apiKey(key)
 *     .eventListener(MicrometerEventListener.of(registry))   // or your own listener
 *     .build();
 * }</pre>
 *
 * <p>Methods are called on SDK threads (the caller's thread for a blocking call, OkHttp's dispatcher, the
 * client's timer): keep them quick, thread-safe and non-blocking. A listener that throws never breaks a
 * call or a wait: the first failure is logged at WARN (with the API key scrubbed), later ones at DEBUG.
 * Events never carry the API key or a full URL; task ids appear only in wait events.
 */
public interface AILabEventListener {
  /** A listener that ignores every event; the default of {@link AILabClient.Builder#eventListener}. */
  AILabEventListener NONE = new AILabEventListener() { };

  /** One HTTP attempt ended, with an answer or an I/O failure; retries report one event per attempt. */
  default void onExchange(ExchangeEvent event) {
  }

  /** The SDK decided to repeat a request after a failed attempt, and how long it waits first. */
  default void onRetry(RetryEvent event) {
  }

  /** A wait for a task started (a {@link TaskPoller} call, {@link AsyncTask#await()} and friends). */
  default void onWaitStarted(WaitStartedEvent event) {
  }

  /** A poll of a waited task answered with a status, or failed transiently. */
  default void onWaitPoll(WaitPollEvent event) {
  }

  /** A wait ended: completed, failed, timed out or cancelled. */
  default void onWaitEnded(WaitEndedEvent event) {
  }
}
