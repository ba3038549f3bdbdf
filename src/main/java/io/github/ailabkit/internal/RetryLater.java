package io.github.ailabkit.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * Thrown by the retry layer for an asynchronous call whose attempt should be repeated after {@link #delay()}:
 * instead of sleeping on an HTTP thread, it hands the wait back to {@link ApiTransport}, which schedules the
 * next attempt on the client's timer. Never reaches a caller.
 */
final class RetryLater extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Duration delay;

  RetryLater(Duration delay) {
    super("retry in " + delay.toMillis() + " ms");
    this.delay = delay;
  }

  /** No stack trace: this is a signal between the retry layer and the transport, thrown once per retry. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  /** How long to wait before the next attempt. */
  Duration delay() {
    return delay;
  }

  /**
   * The request tag of one attempt of an asynchronous call: its number, and the deadline of the whole call
   * (all attempts and waits) fixed when the call began.
   */
  record Attempt(int number, Instant deadline) {
  }
}
