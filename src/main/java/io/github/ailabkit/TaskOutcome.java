package io.github.ailabkit;

import java.util.Objects;

/**
 * How one wait of {@link TaskPoller#awaitAll} ended: either the completed {@link #result()} or the
 * {@link #error()} that ended it. Exactly one of the two is non-null.
 *
 * @param taskId the task
 * @param result the completed result, or null if the wait failed
 * @param error why the wait failed, or null if it succeeded
 */
public record TaskOutcome(String taskId, TaskResult result, AILabException error) {
  /** Checks that exactly one of result and error is present. */
  public TaskOutcome {
    Objects.requireNonNull(taskId, "taskId == null");
    if ((result == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of result and error must be non-null");
    }
  }

  /** Whether the task completed. */
  public boolean isSuccess() {
    return result != null;
  }

  /** The result, or the error thrown. */
  public TaskResult getOrThrow() {
    if (error != null) {
      throw error;
    }
    return result;
  }
}
