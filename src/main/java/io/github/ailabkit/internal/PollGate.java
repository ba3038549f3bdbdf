package io.github.ailabkit.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Admission control for the polls of one poller: due waits queue here (first come, first served) and
 * are let through while fewer than the cap are in flight and the rate budget has a permit. One thread
 * at a time admits; a call made meanwhile (for instance by a poll that failed while being started)
 * returns at once and the admitting thread picks up its work before it stops, so there is no
 * recursion and no pile-up.
 */
final class PollGate {
  private final ClientTimer timer;
  private final RateBudget budget;
  private final int maxInFlight;
  private final Consumer<PendingWait> send;
  private final ArrayDeque<PendingWait> due = new ArrayDeque<>();
  private int inFlight;
  private boolean admitting;
  private boolean permitTimerSet;
  private boolean soonTimerSet;

  /**
   * @param send starts the poll of an admitted wait; it must call {@link #release()} once that poll is
   *     over, whatever happens
   */
  PollGate(ClientTimer timer, RateBudget budget, int maxInFlight, Consumer<PendingWait> send) {
    this.timer = timer;
    this.budget = budget;
    this.maxInFlight = maxInFlight;
    this.send = send;
  }

  /** Queues a due wait and admits what can go now. */
  void offer(PendingWait wait) {
    synchronized (this) {
      due.add(wait);
    }
    admit();
  }

  /** Frees the slot of a poll that is over. */
  synchronized void release() {
    inFlight--;
  }

  /**
   * Admits queued waits from the timer thread rather than from the HTTP thread that just finished a
   * poll, which then usually returns to OkHttp's pool in time to be reused: fewer HTTP threads.
   */
  void admitSoon() {
    synchronized (this) {
      if (soonTimerSet || due.isEmpty()) {
        return;
      }
      soonTimerSet = true;
    }
    if (timer.schedule(this::admitFromSoonTimer, Duration.ZERO) == null) {
      synchronized (this) {
        soonTimerSet = false; // closed: nothing left to admit
      }
    }
  }

  /** Starts as many queued polls as the cap and the budget allow. */
  void admit() {
    synchronized (this) {
      if (admitting) {
        return;
      }
      admitting = true;
    }
    while (true) {
      List<PendingWait> admitted = new ArrayList<>();
      synchronized (this) {
        while (inFlight < maxInFlight && !due.isEmpty()) {
          if (due.peek().isDone()) {
            due.poll();
            continue;
          }
          long waitNanos = budget.tryAcquire();
          if (waitNanos > 0) {
            if (!permitTimerSet) {
              permitTimerSet = true;
              timer.schedule(this::admitFromPermitTimer, Duration.ofNanos(waitNanos));
            }
            break;
          }
          inFlight++;
          admitted.add(due.poll());
        }
        if (admitted.isEmpty()) {
          admitting = false;
          return;
        }
      }
      admitted.forEach(send);
    }
  }

  private void admitFromPermitTimer() {
    synchronized (this) {
      permitTimerSet = false;
    }
    admit();
  }

  private void admitFromSoonTimer() {
    synchronized (this) {
      soonTimerSet = false;
    }
    admit();
  }
}
