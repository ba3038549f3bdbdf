package io.github.ailabkit.internal;

import io.github.ailabkit.AILabException;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskStatus;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The bookkeeping of one wait: a few fields, no thread. Mutable state is only touched under the
 * wait's own lock, from whichever SDK thread advances it.
 */
final class PendingWait {
  final String taskId;
  final Instant deadline;
  /** Why the deadline is what it is, for the timeout's message. */
  final String deadlineReason;
  final long startedNanos;
  /** When the task was submitted, or null when the wait started from a bare id. */
  final Instant submittedAt;
  final CompletableFuture<TaskResult> future = new CompletableFuture<>();
  final Runnable onClientClose;

  int polls;
  int consecutiveFailures;
  TaskStatus lastStatus;
  TaskResult lastResult;
  boolean warnedUnknownStatus;
  /** When the wait's current poll was queued for admission (System.nanoTime). */
  long queuedAtNanos;
  /** Whether the wait's next poll is queued, waiting for a slot or a permit (its deadline timer is pending). */
  boolean queued;
  /** The pending timer (next poll, or deadline while queued) or in-flight poll, cancelled when the wait ends. */
  Future<?> pending;

  PendingWait(String taskId, Instant deadline, String deadlineReason, long startedNanos, Instant submittedAt) {
    this.taskId = taskId;
    this.submittedAt = submittedAt;
    this.deadline = deadline;
    this.deadlineReason = deadlineReason;
    this.startedNanos = startedNanos;
    this.onClientClose = () -> future.completeExceptionally(
        new AILabException("AILabClient was closed while waiting for task " + taskId));
  }

  boolean isDone() {
    return future.isDone();
  }
}
