package io.github.ailabkit;

import java.util.Objects;

/**
 * A poll answered with an error that means the task will never complete: for example 422
 * {@code ERROR_NO_FACE_IN_FILE} (the input was accepted at submit time but cannot be processed), or
 * 404/410 for an unknown, revoked or expired task. The poll's error is the {@link #getCause() cause};
 * status, code and request id are copied from it.
 */
public class TaskFailedException extends AILabApiException {
  private static final long serialVersionUID = 1L;

  private final String taskId;

  /** Creates the exception for {@code taskId} from the poll's error. */
  public TaskFailedException(String taskId, AILabApiException pollError) {
    super("Task " + taskId + " failed: " + pollError.getMessage(), pollError);
    this.taskId = Objects.requireNonNull(taskId, "taskId == null");
  }

  /** The task that failed. */
  public String taskId() {
    return taskId;
  }
}
