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

/** A completed job records its answer without the base64 images it kept in files, in the store and its journal. */
class KeptAnswerTest {
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

  @Test
  void base64ImagesAreRecordedAsTheNamesOfTheirKeptFiles() throws Exception {
    byte[] first = Files.readAllBytes(Images.write(dir, "a.png", ImageFormat.PNG, 3000));
    byte[] second = Files.readAllBytes(Images.write(dir, "b.jpg", ImageFormat.JPEG, 3000));
    String a = Base64.getEncoder().encodeToString(first);
    String b = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(second);
    api.enqueue(json("{" + OK + ",\"task_id\":\"t-1\"}"));
    api.enqueue(json("{" + OK + ",\"task_status\":2,\"data\":{\"image\":\"" + a + "\",\"more\":[\"" + b
        + "\"],\"label\":\"kept\"}}"));
    client = AILabClient.builder().apiKey("test-key").baseUrl(api.url("/").toString()).maxRetries(0).build();
    Path journal = dir.resolve("store");
    runner = JobRunner.builder(client).store(JobStore.file(journal)).resultsDir(dir.resolve("results"))
        .poller(JobFixtures.quickPoller(client)).build();
    runner.enqueue("job", ENDPOINT, form(JobFixtures.inputs(dir, 1).get(0)));

    assertThat(runner.runUntilDone(Duration.ofSeconds(60)).count(JobState.COMPLETED)).isOne();

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

  private static MockResponse json(String body) {
    return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(body).build();
  }
}
