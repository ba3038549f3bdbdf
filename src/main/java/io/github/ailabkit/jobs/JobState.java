package io.github.ailabkit.jobs;

/**
 * Where a job stands. A job moves {@code PENDING → SUBMITTING → SUBMITTED → COMPLETED}, or ends
 * {@code FAILED}, {@code UNCERTAIN} or {@code EXPIRED}.
 */
public enum JobState {
  /** Not submitted yet (or a submit that provably never reached the server). */
  PENDING,
  /** A submit is about to leave or is on its way; found at start, it means the process died in between. */
  SUBMITTING,
  /** The task exists: its id, submission time and request id are recorded; results are awaited. */
  SUBMITTED,
  /** The result files are whole in the results directory and the answer is stored. */
  COMPLETED,
  /** The submit was refused or the task will never complete; {@link JobRecord#error()} says why. */
  FAILED,
  /**
   * A submit may have reached the server but its answer was lost: the task may exist and be billed. The
   * runner never sends it again on its own; {@link JobRunner#resubmit(String)} is the user's decision.
   */
  UNCERTAIN,
  /** The task's results were deleted (24 hours after submission) before they could be fetched. */
  EXPIRED;

  /** Whether the runner leaves a job in this state alone: COMPLETED, FAILED, UNCERTAIN or EXPIRED. */
  public boolean isFinal() {
    return switch (this) {
      case PENDING, SUBMITTING, SUBMITTED -> false;
      case COMPLETED, FAILED, UNCERTAIN, EXPIRED -> true;
    };
  }
}
