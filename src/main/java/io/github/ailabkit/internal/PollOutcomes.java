package io.github.ailabkit.internal;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AuthenticationException;
import io.github.ailabkit.RateLimitException;
import io.github.ailabkit.TaskResult;
import java.util.List;
import java.util.function.Predicate;

/**
 * What one poll's outcome means for a wait, as a table read top to bottom, in the spirit of AWS's
 * {@code WaiterAcceptor}: each rule says what it matches and whether the wait succeeds, fails or polls
 * again; the first rule that matches decides. Whether an error is transient is {@link Retryability}'s call.
 */
public final class PollOutcomes {
  /** What a matching rule does to the wait. */
  public enum State {
    /** The wait ends with the answer. */
    SUCCESS,
    /** The wait ends with an exception. */
    FAILURE,
    /** The wait goes on: the next poll is scheduled. */
    RETRY
  }

  /**
   * One poll's outcome: an answer or an error, never both.
   *
   * @param answer the task's answer, or null
   * @param error the poll's failure, or null
   */
  public record Outcome(TaskResult answer, Throwable error) {
    /** An answer. */
    public static Outcome of(TaskResult answer) {
      return new Outcome(answer, null);
    }

    /** A failure. */
    public static Outcome of(Throwable error) {
      return new Outcome(null, error);
    }
  }

  /**
   * One rule of the table.
   *
   * @param name what the rule is about, for logs and tests
   * @param matches whether the rule applies to an outcome
   * @param state what the wait does then
   * @param taskFailed for a {@link State#FAILURE}: whether the error is about the task (it will never complete)
   *     and the wait ends with a {@code TaskFailedException}, rather than about the client (passed on as it is)
   */
  public record Acceptor(String name, Predicate<Outcome> matches, State state, boolean taskFailed) {
  }

  /** The rules, in order. The last one matches everything, so every outcome has a rule. */
  public static final List<Acceptor> TABLE = List.of(
      new Acceptor("completed", o -> o.answer() != null && o.answer().isCompleted(), State.SUCCESS, false),
      new Acceptor("not yet completed", o -> o.answer() != null, State.RETRY, false),
      new Acceptor("transient failure", o -> Retryability.isTransient(o.error()), State.RETRY, false),
      new Acceptor("API key refused", o -> o.error() instanceof AuthenticationException, State.FAILURE, false),
      new Acceptor("out of credits", o -> o.error() instanceof RateLimitException, State.FAILURE, false),
      new Acceptor("task failed", o -> isAboutTheTask(o.error()), State.FAILURE, true),
      new Acceptor("any other error", o -> true, State.FAILURE, false));

  private PollOutcomes() {
  }

  /** The first rule of {@link #TABLE} that matches {@code outcome}. */
  public static Acceptor accept(Outcome outcome) {
    for (Acceptor rule : TABLE) {
      if (rule.matches().test(outcome)) {
        return rule;
      }
    }
    throw new IllegalStateException("the poll outcome table has no catch-all rule");
  }

  /**
   * A final error about the task: 404/410 for an unknown, revoked or expired task, 422 for an input the API
   * could not process, or an error reported inside a 200 answer. Anything else (a 3xx or 400 from a
   * misconfigured base URL) is about the client.
   */
  private static boolean isAboutTheTask(Throwable error) {
    if (!(error instanceof AILabApiException api)) {
      return false;
    }
    int status = api.httpStatus();
    return status == 404 || status == 410 || status == 422 || status == 200;
  }
}
