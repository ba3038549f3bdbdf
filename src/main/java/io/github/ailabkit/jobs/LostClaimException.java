package io.github.ailabkit.jobs;

/** A shared store refused a change: another runner took the job over after this runner's lease expired. */
final class LostClaimException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  LostClaimException(String key) {
    super("job " + key + " was taken over by another runner (this runner's lease expired)");
  }
}
