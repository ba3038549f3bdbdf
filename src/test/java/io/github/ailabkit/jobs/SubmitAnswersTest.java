package io.github.ailabkit.jobs;

import static io.github.ailabkit.jobs.JobFixtures.ENDPOINT;
import static io.github.ailabkit.jobs.JobFixtures.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.AILabClient;
import java.nio.file.Path;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a submit's answer means for its job, over real HTTP: only the API's own JSON error proves that no task
 * exists; anything else that reached the server leaves the job UNCERTAIN and is never sent again on its own.
 */
class SubmitAnswersTest {
  private static final Duration GENEROUS = Duration.ofSeconds(60);

  @TempDir Path dir;
  @StartStop final MockWebServer api = new MockWebServer();
  private AILabClient client;
  private JobRunner runner;

  @AfterEach
  void tearDown() {
    if (runner != null) runner.close();
    if (client != null) client.close();
  }

  private JobRecord runOneJobAgainst(MockResponse answer) throws Exception {
    api.enqueue(answer);
    client = AILabClient.builder().apiKey("test-key").baseUrl(api.url("/").toString()).maxRetries(0).build();
    runner = JobRunner.builder(client).store(JobStore.inMemory()).resultsDir(dir.resolve("results"))
        .maxSubmitAttempts(1).build();
    runner.enqueue("job", ENDPOINT, form(JobFixtures.inputs(dir, 1).get(0)));
    runner.runUntilDone(GENEROUS);
    assertThat(api.getRequestCount()).isOne();
    return runner.job("job");
  }

  @ParameterizedTest(name = "HTTP {0} {1}")
  @CsvSource(delimiter = '|', value = {
      "502|text/html|<html><body><h1>502 Bad Gateway</h1></body></html>",
      "504|text/html|<html><body><h1>504 Gateway Time-out</h1></body></html>",
      "200|application/json|{\"request_id\":\"r1\",\"task_id\":\"17147",
      "200|application/json|{\"request_id\":\"r1\",\"log_id\":\"l1\",\"error_code\":0}",
      "500|text/plain|''"})
  void answersThatAreNotTheApisJsonErrorLeaveTheJobUncertain(int status, String type, String body) throws Exception {
    JobRecord job = runOneJobAgainst(new MockResponse.Builder().code(status).setHeader("Content-Type", type)
        .body(body).build());

    assertThat(job.state()).isEqualTo(JobState.UNCERTAIN);
    assertThat(job.error().httpStatus()).isEqualTo(status);
  }

  @Test
  void theApisOwnJsonServerErrorProvesNoTaskAndIsRetriedLater() throws Exception {
    JobRecord job = runOneJobAgainst(new MockResponse.Builder().code(502).setHeader("Content-Type", "application/json")
        .body("{\"request_id\":\"r2\",\"error_code\":502,\"error_code_str\":\"AI_SERVICE_ERROR\",\"error_msg\":\"x\","
            + "\"error_detail\":{\"status_code\":502,\"code\":\"AI_SERVICE_ERROR\",\"code_message\":\"x\","
            + "\"message\":\"x\"}}").build());

    assertThat(job.state()).isEqualTo(JobState.PENDING);
    assertThat(job.attempts()).isOne();
  }

  @Test
  void theApisOwnJsonRefusalFailsTheJob() throws Exception {
    JobRecord job = runOneJobAgainst(new MockResponse.Builder().code(422).setHeader("Content-Type", "application/json")
        .body("{\"request_id\":\"r3\",\"error_detail\":{\"code\":\"ERROR_NO_FACE_IN_FILE\",\"code_message\":\"x\","
            + "\"message\":\"x\"}}").build());

    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.error().code()).isEqualTo("ERROR_NO_FACE_IN_FILE");
  }
}
