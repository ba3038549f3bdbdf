package io.github.ailabkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.AILabIOException;
import io.github.ailabkit.AuthenticationException;
import io.github.ailabkit.ErrorDetail;
import io.github.ailabkit.RateLimitException;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.internal.PollOutcomes.Acceptor;
import io.github.ailabkit.internal.PollOutcomes.Outcome;
import io.github.ailabkit.internal.PollOutcomes.State;
import java.io.IOException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The poll outcome table, rule by rule: what each outcome of a poll does to a wait. */
class PollOutcomesTest {
  private static TaskResult status(int status) {
    return ResponseReader.taskResult(Json.mapper().createObjectNode().put("task_status", status));
  }

  private static AILabApiException api(int status, boolean retryable) {
    return new AILabApiException("HTTP " + status, status, ErrorDetail.NONE, "", "", retryable, null);
  }

  static Stream<Arguments> outcomes() {
    return Stream.of(
        Arguments.of("completed answer", Outcome.of(status(2)), "completed", State.SUCCESS, false),
        Arguments.of("queued answer", Outcome.of(status(0)), "not yet completed", State.RETRY, false),
        Arguments.of("processing answer", Outcome.of(status(1)), "not yet completed", State.RETRY, false),
        Arguments.of("unknown status", Outcome.of(status(7)), "not yet completed", State.RETRY, false),
        Arguments.of("I/O failure", Outcome.of(new AILabIOException("reset", new IOException("reset"))),
            "transient failure", State.RETRY, false),
        Arguments.of("503", Outcome.of(api(503, true)), "transient failure", State.RETRY, false),
        Arguments.of("429 throttled", Outcome.of(new RateLimitException("slow down", 429, ErrorDetail.NONE, "", "",
            true, Duration.ofSeconds(2))), "transient failure", State.RETRY, false),
        Arguments.of("401", Outcome.of(new AuthenticationException("bad key", 401, ErrorDetail.NONE, "", "")),
            "API key refused", State.FAILURE, false),
        Arguments.of("429 out of credits", Outcome.of(new RateLimitException("no credits", 429, ErrorDetail.NONE,
            "", "", false, null)), "out of credits", State.FAILURE, false),
        Arguments.of("404 unknown task", Outcome.of(api(404, false)), "task failed", State.FAILURE, true),
        Arguments.of("410 expired task", Outcome.of(api(410, false)), "task failed", State.FAILURE, true),
        Arguments.of("422 unprocessable input", Outcome.of(api(422, false)), "task failed", State.FAILURE, true),
        Arguments.of("error inside a 200", Outcome.of(api(200, false)), "task failed", State.FAILURE, true),
        Arguments.of("400 from a wrong base URL", Outcome.of(api(400, false)), "any other error", State.FAILURE,
            false),
        Arguments.of("closed client", Outcome.of(new AILabException("closed")), "any other error", State.FAILURE,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void eachOutcomeMeetsItsRule(String what, Outcome outcome, String rule, State state, boolean taskFailed) {
    Acceptor accepted = PollOutcomes.accept(outcome);

    assertThat(accepted.name()).as(what).isEqualTo(rule);
    assertThat(accepted.state()).as(what).isEqualTo(state);
    assertThat(accepted.taskFailed()).as(what).isEqualTo(taskFailed);
  }

  @Test
  void theTableEndsWithARuleForEverythingAndOnlyAnswersSucceed() {
    Acceptor last = PollOutcomes.TABLE.get(PollOutcomes.TABLE.size() - 1);
    assertThat(last.matches().test(Outcome.of(new Error("anything")))).isTrue();
    assertThat(PollOutcomes.TABLE).filteredOn(rule -> rule.state() == State.SUCCESS).singleElement()
        .satisfies(rule -> assertThat(rule.matches().test(Outcome.of(api(200, false)))).isFalse());
  }
}
