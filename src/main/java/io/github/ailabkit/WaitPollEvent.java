package io.github.ailabkit;

import java.time.Duration;
import java.util.Objects;

/**
 * One poll of a waited task, as seen by {@link AILabEventListener#onWaitPoll(WaitPollEvent)}: either an
 * answer with a status, or a transient failure after which the wait goes on.
 *
 * @param taskId the task
 * @param attempt the number of this poll in its wait, from 1
 * @param previousStatus the status the previous poll reported, null before the first answer
 * @param status the status this poll reported, null when it failed
 * @param transientError the failure of this poll, null when it answered
 * @param elapsed time since the wait started
 */
public record WaitPollEvent(String taskId, int attempt, TaskStatus previousStatus, TaskStatus status,
    AILabException transientError, Duration elapsed) {

  /** Checks the required components and that exactly one of status and error is given. */
  public WaitPollEvent {
    Objects.requireNonNull(taskId, "taskId == null");
    Objects.requireNonNull(elapsed, "elapsed == null");
    if ((status == null) == (transientError == null)) {
      throw new IllegalArgumentException("exactly one of status and transientError must be given");
    }
  }

  /** Whether this poll answered with a status different from the previous answer's (or is the first answer). */
  public boolean statusChanged() {
    return status != null && status != previousStatus;
  }
}
