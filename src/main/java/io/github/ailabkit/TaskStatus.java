package io.github.ailabkit;

/**
 * The state of an asynchronous task, as reported by {@code task_status} on the query endpoint.
 *
 * <p>The API documents three values. Anything else maps to {@link #UNKNOWN}; the raw number stays
 * available as {@link TaskResult#rawTaskStatus()}, so a value added by the server tomorrow is never lost.
 */
public enum TaskStatus {
  /** {@code 0}: accepted and waiting for a worker. */
  QUEUED(0),
  /** {@code 1}: being processed. */
  PROCESSING(1),
  /** {@code 2}: finished; the result is in {@link TaskResult#data()}. */
  COMPLETED(2),
  /** A value this SDK does not know (or none at all); see {@link TaskResult#rawTaskStatus()}. */
  UNKNOWN(-1);

  private final int code;

  TaskStatus(int code) {
    this.code = code;
  }

  /** The wire value of this status; {@code -1} for {@link #UNKNOWN}. */
  public int code() {
    return code;
  }

  /** The status for a wire value; never null: unrecognised values give {@link #UNKNOWN}. */
  public static TaskStatus fromCode(int code) {
    return switch (code) {
      case 0 -> QUEUED;
      case 1 -> PROCESSING;
      case 2 -> COMPLETED;
      default -> UNKNOWN;
    };
  }
}
