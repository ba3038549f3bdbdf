package io.github.ailabkit.jobs;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabIOException;
import io.github.ailabkit.AuthenticationException;
import io.github.ailabkit.LocalInputException;
import io.github.ailabkit.RateLimitException;
import io.github.ailabkit.internal.Retryability;
import java.time.Duration;

/**
 * What a failed submit means for its job: one rule per kind of failure, in one table. A refused form or an
 * input that could not be read ({@link LocalInputException}) was never sent in full. Only the API's own
 * JSON error answer (with an error code, not in a 200) proves no task was created (failed calls create
 * nothing and are not billed); a failure before the connection was made proves nothing was sent; anything
 * else (a 200 without a usable task id, a proxy's page, a cut-off body, a lost answer) may have created a task.
 *
 * @param outcome what to do with the job
 * @param error the error to record
 * @param pause how long to wait before sending anything again (throttling), or null
 */
record SubmitVerdict(Outcome outcome, JobError error, Duration pause) {
  /** What happens to the job. */
  enum Outcome {
    /** Nothing was sent or it was refused as invalid: FAILED, final. */
    FAILED,
    /** Provably not created, transient: PENDING again, sent again later (a bounded number of times). */
    RETRY,
    /** The API is pushing back: PENDING again, and the submit rate goes down. */
    THROTTLED,
    /** Provably not created, and no further submit can succeed (no credits, bad key): PENDING, submits stop. */
    STOP_SUBMITS,
    /** It may have reached the server and created a task: UNCERTAIN, never sent again on its own. */
    UNCERTAIN
  }

  /** The verdict for a submit that threw {@code failure}. */
  static SubmitVerdict of(RuntimeException failure) {
    if (failure instanceof IllegalArgumentException || failure instanceof LocalInputException) {
      return new SubmitVerdict(Outcome.FAILED, new JobError(0, JobError.INVALID_INPUT, failure.getMessage(), ""), null);
    }
    if (failure instanceof AILabApiException api) {
      JobError error = new JobError(api.httpStatus(), api.errorCode(), api.getMessage(), api.requestId());
      if (mayHaveCreatedTask(api)) {
        return new SubmitVerdict(Outcome.UNCERTAIN, error, null);
      }
      Outcome outcome = (api instanceof RateLimitException limit && limit.isOutOfCredits())
          || api instanceof AuthenticationException ? Outcome.STOP_SUBMITS
          : api.httpStatus() == 429 || "AI_SERVICE_FLOW_RESTRICTION".equals(api.errorCode()) ? Outcome.THROTTLED
          : api.isRetryable() ? Outcome.RETRY
          : Outcome.FAILED;
      return new SubmitVerdict(outcome, error, api.retryAfter().orElse(null));
    }
    if (failure instanceof AILabIOException io && Retryability.neverReachedServer(io.getCause())) {
      return new SubmitVerdict(Outcome.RETRY, new JobError(0, "CONNECT_FAILED", io.getMessage(), ""), null);
    }
    return new SubmitVerdict(Outcome.UNCERTAIN, new JobError(0, JobError.NO_ANSWER,
        "the submit may have reached the server but its answer was lost: " + failure, ""), null);
  }

  /**
   * True when an error answer does not prove that no task was created: any HTTP 200 (the submit reached the
   * API, which then created the task even if its answer was cut off or lacked a {@code task_id}), and any
   * answer that is not one of the API's own JSON errors (no error code: a proxy's HTML 502/504, an empty or
   * cut-off body), unless its status says it was turned away unprocessed (408, 429).
   */
  private static boolean mayHaveCreatedTask(AILabApiException api) {
    int status = api.httpStatus();
    return status == 200 || api.errorCode().isEmpty() && status != 408 && status != 429;
  }
}
