package io.github.ailabkit;

import java.util.Objects;

/**
 * A wait ended because its deadline passed while the task was still queued or processing, or because
 * the task's results had already expired (24 hours after submission). The task itself may still
 * complete; {@link #lastResult()} is the last answer seen, if any.
 */
public class TaskTimeoutException extends AILabException {
  private static final long serialVersionUID = 1L;

  private final String taskId;
  private final transient TaskResult lastResult;

  /** Creates the exception; {@code lastResult} may be null when no poll answered. */
  public TaskTimeoutException(String message, String taskId, TaskResult lastResult) {
    super(message);
    this.taskId = Objects.requireNonNull(taskId, "taskId == null");
    this.lastResult = lastResult;
  }

  /** The task that did not complete in time. */
  public String taskId() {
    return taskId;
  }

  /** The last answer seen before the deadline, or null if no poll answered. */
  public TaskResult lastResult() {
    return lastResult;
  }
}
