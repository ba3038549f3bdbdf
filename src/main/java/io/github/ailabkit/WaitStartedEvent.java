package io.github.ailabkit;

import java.time.Instant;
import java.util.Objects;

/**
 * A wait for a task started, as seen by {@link AILabEventListener#onWaitStarted(WaitStartedEvent)}.
 *
 * @param taskId the task
 * @param startedAt when the wait started (the client's clock)
 * @param submittedAt when the task was submitted, or null when the wait was started from a bare id
 * @param deadline when the wait gives up
 */
public record WaitStartedEvent(String taskId, Instant startedAt, Instant submittedAt, Instant deadline) {
  /** Checks the required components. */
  public WaitStartedEvent {
    Objects.requireNonNull(taskId, "taskId == null");
    Objects.requireNonNull(startedAt, "startedAt == null");
    Objects.requireNonNull(deadline, "deadline == null");
  }
}
