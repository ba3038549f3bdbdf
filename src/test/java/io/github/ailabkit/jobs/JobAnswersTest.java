package io.github.ailabkit.jobs;

import static io.github.ailabkit.jobs.JobFixtures.ENDPOINT;
import static io.github.ailabkit.jobs.JobFixtures.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.testing.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the API's answers mean for a job, over real HTTP. A submit: only the API's own JSON error proves that no
 * task exists; anything else that reached the server leaves the job UNCERTAIN and is never sent again on its
 * own. A completed task: its answer is recorded without the base64 images kept in files.
 */
class JobAnswersTest {
  private static final Duration GENEROUS = Duration.ofSeconds(60);
  private static final String OK = "\"request_id\":\"r\",\"log_id\":\"l\",\"error_detail\":{\"code\":\"\","
      + "\"code_message\":\"\",\"message\":\"\"}";

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
    client = apiClient();
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
  void throttledSubmitsDoNotCountTowardTheAttemptsARunMakes() throws Exception {
    api.enqueue(error(429, "EXCEEDING_LIMITS"));
    api.enqueue(error(502, "AI_SERVICE_ERROR"));
    api.enqueue(json("{" + OK + ",\"task_id\":\"t-1\"}"));
    api.enqueue(json("{" + OK + ",\"task_status\":2,\"data\":{\"label\":\"done\"}}"));
    client = apiClient();
    runner = JobRunner.builder(client).store(JobStore.inMemory()).resultsDir(dir.resolve("results"))
        .poller(JobFixtures.quickPoller(client)).maxSubmitAttempts(2).build();
    runner.enqueue("job", ENDPOINT, form(JobFixtures.inputs(dir, 1).get(0)));

    assertThat(runner.runUntilDone(GENEROUS).count(JobState.COMPLETED)).isOne();
    assertThat(runner.job("job").attempts()).isEqualTo(3);
  }

  @Test
  void theApisOwnJsonRefusalFailsTheJob() throws Exception {
    JobRecord job = runOneJobAgainst(new MockResponse.Builder().code(422).setHeader("Content-Type", "application/json")
        .body("{\"request_id\":\"r3\",\"error_detail\":{\"code\":\"ERROR_NO_FACE_IN_FILE\",\"code_message\":\"x\","
            + "\"message\":\"x\"}}").build());

    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.error().code()).isEqualTo("ERROR_NO_FACE_IN_FILE");
  }

  @Test
  void base64ImagesAreRecordedAsTheNamesOfTheirKeptFiles() throws Exception {
    byte[] first = Files.readAllBytes(Images.write(dir, "a.png", ImageFormat.PNG, 3000));
    byte[] second = Files.readAllBytes(Images.write(dir, "b.jpg", ImageFormat.JPEG, 3000));
    String a = Base64.getEncoder().encodeToString(first);
    String b = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(second);
    api.enqueue(json("{" + OK + ",\"task_id\":\"t-1\"}"));
    api.enqueue(json("{" + OK + ",\"task_status\":2,\"data\":{\"image\":\"" + a + "\",\"more\":[\"" + b
        + "\"],\"label\":\"kept\"}}"));
    client = apiClient();
    Path journal = dir.resolve("store");
    runner = JobRunner.builder(client).store(JobStore.file(journal)).resultsDir(dir.resolve("results"))
        .poller(JobFixtures.quickPoller(client)).build();
    runner.enqueue("job", ENDPOINT, form(JobFixtures.inputs(dir, 1).get(0)));

    assertThat(runner.runUntilDone(GENEROUS).count(JobState.COMPLETED)).isOne();

    JobRecord job = runner.job("job");
    assertThat(job.resultFiles()).hasSize(2);
    assertThat(Files.readAllBytes(job.resultFiles().get(0))).isEqualTo(first);
    assertThat(Files.readAllBytes(job.resultFiles().get(1))).isEqualTo(second);
    assertThat(job.answerJson()).doesNotContain(a.substring(0, 64)).doesNotContain(b.substring(30, 94))
        .contains("\"image\":\"result-1.png\"", "\"more\":[\"result-2.jpg\"]", "\"label\":\"kept\"");
    runner.close();
    try (var files = Files.list(journal)) {
      long journalBytes = files.filter(f -> f.getFileName().toString().startsWith("journal-"))
          .mapToLong(f -> f.toFile().length()).sum();
      assertThat(journalBytes).isLessThan(first.length); // not one copy of an image, let alone several
    }
  }

  private AILabClient apiClient() {
    return AILabClient.builder().apiKey("test-key").baseUrl(api.url("/").toString()).maxRetries(0).build();
  }

  private static MockResponse error(int status, String code) {
    return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
        .body("{\"request_id\":\"r\",\"error_detail\":{\"code\":\"" + code + "\",\"code_message\":\"x\","
            + "\"message\":\"x\"}}").build();
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(body).build();
  }
}
