package io.github.ailabkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A wait ended, as seen by {@link AILabEventListener#onWaitEnded(WaitEndedEvent)}.
 *
 * @param taskId the task
 * @param kind how it ended
 * @param polls polls sent during the wait (answered or failed)
 * @param waited time from the start of the wait to its end
 * @param sinceSubmission time from the task's submission to the end of the wait when the submission time
 *     is known (the submit-to-completion time for a completed task), else the same as {@code waited}
 * @param error what ended the wait when it did not complete, else null
 */
public record WaitEndedEvent(String taskId, Kind kind, int polls, Duration waited, Duration sinceSubmission,
    Throwable error) {

  /** How a wait ended; a small fixed set, fit for a metric tag. */
  public enum Kind {
    /** The task completed and its result was returned. */
    COMPLETED,
    /** The task failed, or a final error (authentication, credits) ended the wait. */
    FAILED,
    /** The wait's deadline passed first. */
    TIMEOUT,
    /** The caller cancelled the wait, interrupted it, or closed the client. */
    CANCELLED
  }

  /** Checks the required components. */
  public WaitEndedEvent {
    Objects.requireNonNull(taskId, "taskId == null");
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(waited, "waited == null");
    Objects.requireNonNull(sinceSubmission, "sinceSubmission == null");
  }
}
