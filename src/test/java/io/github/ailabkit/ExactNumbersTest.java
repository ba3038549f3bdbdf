package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ailabkit.testing.PollScript;
import io.github.ailabkit.testing.RecordedSleeper;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Numbers read exactly. {@code error_code} reports an error for any number other than zero, however it is
 * spelled and however large or small; {@code task_status} is the integral number it spells, and anything
 * that is not exactly an {@code int} is {@link TaskStatus#UNKNOWN}.
 */
class ExactNumbersTest {
  private static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";

  @StartStop final MockWebServer server = PollScript.newServer();
  private AILabClient client;

  @BeforeEach
  void setUp() {
    client = ClientSeams.recorded(AILabClient.builder().apiKey("sk-numbers").baseUrl(server.url("/").toString())
        .maxRetries(0), new RecordedSleeper()).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @ParameterizedTest(name = "error_code {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // error_code as sent  | outcome  | effective status in the message, or -
      "0                     | success  | -",
      "0.0                   | success  | -",
      "-0                    | success  | -",
      "0e5                   | success  | -",
      "'\"0\"'               | success  | -",
      "null                  | success  | -",
      "422                   | error    | (error_code 422)",
      "'\"422\"'             | error    | (error_code 422)",
      "-1                    | error    | (error_code -1)",
      "4294967296            | error    | (error_code 4294967296)",
      "4294967718            | error    | (error_code 4294967718)",
      "0.5                   | error    | (error_code 0.5)",
      "1e-400                | error    | (error_code 1E-400)",
      "422.0                 | error    | (error_code 422)",
      "'\"0.5\"'           | error    | (error_code 0.5)",
      "'\"+5\"'            | error    | (error_code +5)",
      "'\"ERROR\"'         | error    | (error_code ERROR)",
      "'\"0.0\"'           | success  | -",
      "'\"\"'              | success  | -",
  })
  void errorCodeReportsAnErrorForEveryNumberButZero(String code, String outcome, String shown) {
    server.enqueue(json("{\"error_code\":" + code + ",\"task_status\":2,\"data\":{\"image\":\"x\"}}"));

    Throwable thrown = catchThrowable(() -> client.getTaskResult(TASK_ID));

    if (outcome.equals("success")) {
      assertThat(thrown).isNull();
    } else {
      assertThat(thrown).isInstanceOf(AILabApiException.class).hasMessageContaining(shown);
    }
  }

  @Test
  void anErrorCodePastIntIsNeverReadAsTheStatusItWrapsTo() {
    server.enqueue(json("{\"error_code\":4294967718,\"task_status\":2}")); // 2^32 + 422

    Throwable thrown = catchThrowable(() -> client.getTaskResult(TASK_ID));

    assertThat(thrown).isInstanceOf(AILabApiException.class).hasMessageNotContaining("(error_code 422)");
    assertThat(((AILabApiException) thrown).isRetryable()).isFalse();
  }

  @ParameterizedTest(name = "task_status {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "2                      | COMPLETED | 2",
      "2.0                    | COMPLETED | 2",
      "2e0                    | COMPLETED | 2",
      "20e-1                  | COMPLETED | 2",
      "0.2e1                  | COMPLETED | 2",
      "'\"2\"'                | COMPLETED | 2",
      "1.00                   | PROCESSING | 1",
      "0                      | QUEUED    | 0",
      "2.5                    | UNKNOWN   | -1",
      "2.0000000000000001     | UNKNOWN   | -1",
      "4294967298             | UNKNOWN   | -1",
      "'\"2.0\"'              | UNKNOWN   | -1",
      "true                   | UNKNOWN   | -1",
      "'[2]'                  | UNKNOWN   | -1",
  })
  void taskStatusIsTheIntegralNumberItSpellsAndNothingElse(String status, TaskStatus expected, int raw) {
    server.enqueue(json("{\"task_status\":" + status + ",\"data\":{}}"));

    TaskResult result = client.getTaskResult(TASK_ID);

    assertThat(result.taskStatus()).isEqualTo(expected);
    assertThat(result.rawTaskStatus()).isEqualTo(raw);
  }

  @Test
  void aWaitEndsAtOnceOnCompletedSpelledAsADecimal() {
    server.enqueue(json("{\"task_status\":2e0,\"data\":{\"image\":\"x\"}}"));
    TaskPoller poller = TaskPoller.builder(client).initialDelay(Duration.ZERO).timeout(Duration.ofSeconds(30)).build();

    assertThat(poller.awaitCompletion(TASK_ID).taskStatus()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aWaitNeverDeliversCompletedWhenTheErrorCodeIsPastInt() {
    server.enqueue(json("{\"error_code\":4294967296,\"task_status\":2,\"data\":{}}"));
    TaskPoller poller = TaskPoller.builder(client).initialDelay(Duration.ZERO).timeout(Duration.ofSeconds(30)).build();

    assertThat(catchThrowable(() -> poller.awaitCompletion(TASK_ID))).isInstanceOf(AILabApiException.class);
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(body).build();
  }
}
