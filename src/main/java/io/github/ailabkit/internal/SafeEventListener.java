package io.github.ailabkit.internal;

import io.github.ailabkit.AILabEventListener;
import io.github.ailabkit.ExchangeEvent;
import io.github.ailabkit.RetryEvent;
import io.github.ailabkit.WaitEndedEvent;
import io.github.ailabkit.WaitPollEvent;
import io.github.ailabkit.WaitStartedEvent;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's {@link AILabEventListener} behind a guard: whatever it throws (even an {@code Error}) is
 * caught, so it never breaks a call or strands a wait. The first failure is logged at WARN, later ones at
 * DEBUG, each scrubbed of the API key. {@link #isActive()} lets callers skip building events nobody reads.
 */
public final class SafeEventListener implements AILabEventListener {
  private static final Logger LOG = LoggerFactory.getLogger("io.github.ailabkit.events");

  private final AILabEventListener delegate;
  private final Redactor redactor;
  private final AtomicBoolean warned = new AtomicBoolean();

  /** Guards {@code delegate}; {@code redactor} scrubs the key from what is logged about its failures. */
  public SafeEventListener(AILabEventListener delegate, Redactor redactor) {
    this.delegate = delegate;
    this.redactor = redactor;
  }

  /** Whether a real listener is installed (events are worth building). */
  public boolean isActive() {
    return delegate != AILabEventListener.NONE;
  }

  @Override
  public void onExchange(ExchangeEvent event) {
    if (!isActive()) {
      return;
    }
    // the server's own words (an error code, ids) may echo the key: they pass the same redaction as messages
    ExchangeEvent safe = new ExchangeEvent(event.method(), event.endpoint(), event.status(),
        redactor.scrub(event.errorCode()), event.attempt(), event.duration(), redactor.scrub(event.requestId()),
        redactor.scrub(event.logId()), event.outcome());
    deliver(delegate::onExchange, safe);
  }

  @Override
  public void onRetry(RetryEvent event) {
    deliver(delegate::onRetry, event);
  }

  @Override
  public void onWaitStarted(WaitStartedEvent event) {
    deliver(delegate::onWaitStarted, event);
  }

  @Override
  public void onWaitPoll(WaitPollEvent event) {
    deliver(delegate::onWaitPoll, event);
  }

  @Override
  public void onWaitEnded(WaitEndedEvent event) {
    deliver(delegate::onWaitEnded, event);
  }

  private <E> void deliver(Consumer<E> callback, E event) {
    if (!isActive()) {
      return;
    }
    try {
      callback.accept(event);
    } catch (Throwable e) { // even an Error: a listener must never break a call
      String what = event.getClass().getSimpleName();
      String failure = redactor.excerpt(String.valueOf(e), 300);
      if (warned.compareAndSet(false, true)) {
        LOG.warn("AILabEventListener {} threw on {}: {}; the call goes on (further failures are logged at DEBUG)",
            delegate.getClass().getName(), what, failure);
      } else {
        LOG.debug("AILabEventListener threw on {}: {}", what, failure);
      }
    }
  }
}
