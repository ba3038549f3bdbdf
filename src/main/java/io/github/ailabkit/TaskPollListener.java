package io.github.ailabkit;

import java.time.Duration;

/**
 * Observes the waits of a {@link TaskPoller}, for progress display or metrics. Every method has an
 * empty default, so implement only what you need.
 *
 * <p>Methods are called from SDK threads (the timer, OkHttp's dispatcher, or one of the two
 * {@code ailab-complete} threads when a poll is ended by its deadline): keep them quick and
 * thread-safe. An exception thrown by a listener is logged and otherwise ignored: it never breaks a wait.
 */
public interface TaskPollListener {
  /**
   * A poll answered.
   *
   * @param taskId the task
   * @param attempt the number of this poll for this wait, from 1
   * @param status the status it reported
   * @param elapsed time since the wait started
   */
  default void onPoll(String taskId, int attempt, TaskStatus status, Duration elapsed) {
  }

  /** The task's status changed, e.g. {@code QUEUED → PROCESSING}; {@code previous} is null on the first poll. */
  default void onStatusChange(String taskId, TaskStatus previous, TaskStatus current) {
  }

  /** A poll failed transiently (I/O, 5xx but 501/505, flow restriction, garbled body); the wait goes on. */
  default void onTransientError(String taskId, int attempt, AILabException error) {
  }

  /**
   * A due poll was held back by the poller's shared budget ({@link TaskPoller.Builder#maxPollsPerSecond}
   * or {@link TaskPoller.Builder#maxPollsInFlight}) for longer than a tenth of the interval (and at least
   * 100 ms): the task is polled less often than asked. The {@code io.github.ailabkit.poller} logger also
   * says so at WARN, at most once a minute.
   *
   * @param taskId the task whose poll was held back
   * @param held how long the poll waited for the budget
   * @param pendingWaits waits of this poller in progress
   * @param effectiveInterval the time between this task's polls it caused: the interval plus {@code held}
   */
  default void onPollDelayed(String taskId, Duration held, int pendingWaits, Duration effectiveInterval) {
  }
}
