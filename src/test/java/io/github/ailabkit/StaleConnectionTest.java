package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.PollScript;
import io.github.ailabkit.testing.RecordedSleeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server (or load balancer) that closes idle keep-alive connections leaves stale ones in the pool. A
 * read (query, poll, download) that fails on one before any answer came is repeated at once on a fresh
 * connection: no backoff, no retry counted, no transient error reported to a wait's listener. A submit
 * never runs on a pooled connection, so it keeps its rule of never being sent twice.
 */
class StaleConnectionTest {
  private static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";

  @StartStop final MockWebServer server = PollScript.newServer();
  @TempDir Path dir;
  private final RecordedSleeper sleeper = new RecordedSleeper();
  private AILabClient client;

  @BeforeEach
  void setUp() {
    client = ClientSeams.sleeper(AILabClient.builder().apiKey("sk-stale").baseUrl(server.url("/").toString())
        .maxRetries(0), sleeper).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  /** An answer after which the server closes the connection, leaving it idle in the client's pool. */
  private static MockResponse thenCloseWhileIdle(MockResponse answer) {
    return answer.newBuilder().onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build();
  }

  @Test
  void aQueryOnAStaleConnectionIsRepeatedAtOnceWithoutBackoffOrARetry() throws Exception {
    server.enqueue(thenCloseWhileIdle(PollScript.status(TASK_ID, 1)));
    server.enqueue(PollScript.status(TASK_ID, 2));

    assertThat(client.getTaskResult(TASK_ID).taskStatus()).isEqualTo(TaskStatus.PROCESSING);
    // maxRetries(0): only the immediate repeat on a fresh connection can make this succeed
    assertThat(client.getTaskResult(TASK_ID).taskStatus()).isEqualTo(TaskStatus.COMPLETED);

    assertThat(sleeper.sleeps()).as("no backoff").isEmpty();
    assertThat(server.takeRequest().getConnectionIndex()).isZero();
    assertThat(server.takeRequest().getConnectionIndex()).as("a fresh connection").isEqualTo(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aWaitThroughStaleConnectionsSeesNoTransientError() {
    server.enqueue(thenCloseWhileIdle(PollScript.status(TASK_ID, 0)));
    server.enqueue(thenCloseWhileIdle(PollScript.status(TASK_ID, 1)));
    server.enqueue(PollScript.status(TASK_ID, 2));
    List<AILabException> transientErrors = new CopyOnWriteArrayList<>();
    TaskPoller poller = TaskPoller.builder(client).initialDelay(Duration.ZERO).interval(Duration.ofMillis(20))
        .timeout(Duration.ofSeconds(30)).listener(new TaskPollListener() {
          @Override
          public void onTransientError(String taskId, int attempt, AILabException error) {
            transientErrors.add(error);
          }
        }).build();

    TaskResult result = poller.awaitCompletion(TASK_ID);

    assertThat(result.taskStatus()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(transientErrors).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aDownloadOnAStaleConnectionIsRepeatedAtOnce() throws Exception {
    byte[] png = Images.png();
    server.enqueue(thenCloseWhileIdle(new MockResponse.Builder().body(new Buffer().write(png)).build()));
    server.enqueue(new MockResponse.Builder().body(new Buffer().write(png)).build());

    ResultFiles.download(client, server.url("/files/a.png?sig=abc").uri(), dir.resolve("a.png"));
    ResultFiles.download(client, server.url("/files/b.png?sig=abc").uri(), dir.resolve("b.png"));

    assertThat(Files.readAllBytes(dir.resolve("b.png"))).isEqualTo(png);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void aSubmitAfterAStaleConnectionIsSentOnceOnAFreshConnection() throws Exception {
    server.enqueue(thenCloseWhileIdle(PollScript.status(TASK_ID, 1)));
    server.enqueue(PollScript.json(200, "{\"request_id\":\"r\",\"task_id\":\"" + TASK_ID + "\"}"));
    client.getTaskResult(TASK_ID);

    AsyncTask task = client.submit(Endpoints.AI_BALD,
        Form.create().file("image", Images.write(dir, "face.png", ImageFormat.PNG, 2048)));

    assertThat(task.taskId()).isEqualTo(TASK_ID);
    server.takeRequest();
    assertThat(server.takeRequest().getMethod()).isEqualTo("POST");
    assertThat(server.takeRequest(100, TimeUnit.MILLISECONDS)).as("sent once").isNull();
  }
}
