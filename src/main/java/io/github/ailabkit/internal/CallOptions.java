package io.github.ailabkit.internal;

/**
 * Per-request transport rules, attached to an OkHttp {@code Request} as a tag and read by the
 * interceptors.
 *
 * @param idempotent whether repeating the request cannot duplicate a side effect; a non-idempotent
 *     request (a submit, which creates a task and may bill) is retried only when it never reached the server
 * @param maxRetries retries allowed for this request, or -1 for the client's setting
 * @param bufferBody whether the retry layer reads the whole (bounded) body inside the attempt, so a
 *     body cut off mid-way is retried too; false for streamed downloads
 */
public record CallOptions(boolean idempotent, int maxRetries, boolean bufferBody) {
  /** A safe read: retried per the client's setting, body buffered. */
  public static final CallOptions READ = new CallOptions(true, -1, true);
  /** A poll: a single attempt, since the poller reschedules failed polls itself. */
  public static final CallOptions POLL = new CallOptions(true, 0, true);
  /** A submit: retried only when the connection was never made. */
  public static final CallOptions SUBMIT = new CallOptions(false, -1, true);
  /** A streamed download of a result file. */
  public static final CallOptions DOWNLOAD = new CallOptions(true, -1, false);
}
