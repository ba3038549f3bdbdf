package io.github.ailabkit.testing;

import io.github.ailabkit.AILabEventListener;
import io.github.ailabkit.ExchangeEvent;
import io.github.ailabkit.RetryEvent;
import io.github.ailabkit.WaitEndedEvent;
import io.github.ailabkit.WaitPollEvent;
import io.github.ailabkit.WaitStartedEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** Keeps every event it is given, in order, for assertions; {@link #ended} counts down on each wait's end. */
public final class RecordingEventListener implements AILabEventListener {
  /** Every event, of every kind, in arrival order. */
  public final List<Object> all = new CopyOnWriteArrayList<>();
  public final List<ExchangeEvent> exchanges = new CopyOnWriteArrayList<>();
  public final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
  public final List<WaitStartedEvent> started = new CopyOnWriteArrayList<>();
  public final List<WaitPollEvent> polls = new CopyOnWriteArrayList<>();
  public final List<WaitEndedEvent> ends = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch ended = new CountDownLatch(1);

  /** Expects {@code count} wait ends; {@link #awaitEnds()} returns once they arrived. */
  public RecordingEventListener expectEnds(int count) {
    ended = new CountDownLatch(count);
    return this;
  }

  /** Waits (up to 10 s) for the expected wait ends; true if they all arrived. */
  public boolean awaitEnds() throws InterruptedException {
    return ended.await(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Override
  public void onExchange(ExchangeEvent event) {
    exchanges.add(event);
    all.add(event);
  }

  @Override
  public void onRetry(RetryEvent event) {
    retries.add(event);
    all.add(event);
  }

  @Override
  public void onWaitStarted(WaitStartedEvent event) {
    started.add(event);
    all.add(event);
  }

  @Override
  public void onWaitPoll(WaitPollEvent event) {
    polls.add(event);
    all.add(event);
  }

  @Override
  public void onWaitEnded(WaitEndedEvent event) {
    ends.add(event);
    all.add(event);
    ended.countDown();
  }
}
