package io.github.ailabkit;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A task created by {@link AILabClient#submit(Endpoint, Form)}: its id, the submit's request id and
 * when it was submitted. Waiting uses the 24-hour window from submission, after which the API deletes
 * the results.
 *
 * <pre>{@code
 * AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, form);
 * TaskResult done = task.await();
 * }</pre>
 *
 * <p>Immutable. Keep {@link #taskId()} and {@link #submittedAt()} if you need to resume waiting after a
 * restart: {@code client.task(taskId, submittedAt).await()}.
 */
public final class AsyncTask {
  private final AILabClient client;
  private final Endpoint endpoint;
  private final String taskId;
  private final String requestId;
  private final Instant submittedAt;

  AsyncTask(AILabClient client, Endpoint endpoint, String taskId, String requestId, Instant submittedAt) {
    this.client = client;
    this.endpoint = endpoint;
    this.taskId = taskId;
    this.requestId = requestId;
    this.submittedAt = submittedAt;
  }

  /** The task id to poll. */
  public String taskId() {
    return taskId;
  }

  /** The request id of the submit (quote it to support); empty for a task rebuilt with {@link AILabClient#task}. */
  public String requestId() {
    return requestId;
  }

  /**
   * When the submit was sent (read from the client's clock just before sending, so never later than the
   * server's own record); results expire 24 hours later.
   */
  public Instant submittedAt() {
    return submittedAt;
  }

  /** The endpoint the task was submitted to; null for a task rebuilt with {@link AILabClient#task}. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** When the API deletes the task's results: 24 hours after submission. */
  public Instant expiresAt() {
    return submittedAt.plus(TaskPoller.RESULT_RETENTION);
  }

  /** Blocks until the task completes, with the client's default poller; see {@link TaskPoller}. */
  public TaskResult await() {
    return await(client.taskPoller());
  }

  /** Blocks until the task completes, with the given poller's settings. */
  public TaskResult await(TaskPoller poller) {
    return Objects.requireNonNull(poller, "poller == null").awaitCompletion(taskId, submittedAt);
  }

  /** Waits without blocking, with the client's default poller. */
  public CompletableFuture<TaskResult> awaitAsync() {
    return awaitAsync(client.taskPoller());
  }

  /** Waits without blocking, with the given poller's settings. */
  public CompletableFuture<TaskResult> awaitAsync(TaskPoller poller) {
    return Objects.requireNonNull(poller, "poller == null").awaitCompletionAsync(taskId, submittedAt);
  }

  @Override
  public String toString() {
    return "AsyncTask{taskId=" + taskId + ", endpoint=" + (endpoint == null ? "unknown" : endpoint.path())
        + ", submittedAt=" + submittedAt + "}";
  }
}
