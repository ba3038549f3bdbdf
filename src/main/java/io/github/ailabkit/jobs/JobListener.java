package io.github.ailabkit.jobs;

/**
 * Hears a runner's progress. Methods are called on the runner's threads, so keep them quick and
 * thread-safe; an exception thrown by a listener is logged and ignored.
 */
public interface JobListener {
  /** A job's state changed and the change is durable in the store. */
  default void onStateChange(JobRecord job, JobState previous) {
  }

  /** The counts now, about twice a second while a run lasts, and once at its end. */
  default void onProgress(JobReport report) {
  }

  /**
   * The runner stopped sending new submits (for example the account ran out of credits); jobs already
   * submitted are still awaited and the rest stay {@link JobState#PENDING}.
   */
  default void onSubmitsStopped(String reason) {
  }
}
