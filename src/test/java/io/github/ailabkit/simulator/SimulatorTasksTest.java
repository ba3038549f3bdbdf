package io.github.ailabkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AsyncTask;
import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.Form;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.TaskFailedException;
import io.github.ailabkit.TaskOutcome;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskStatus;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Asynchronous tasks: their timeline on the simulator's clock, their result files, unknown and expired tasks. */
class SimulatorTasksTest {
  private static final String UNKNOWN_TASK = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock();
  private AILabSimulator sim;
  private AILabClient client;
  private TaskPoller poller;

  @BeforeEach
  void start() {
    sim = Fixtures.simulator(clock).start();
    client = Fixtures.client(sim);
    poller = Fixtures.poller(client);
  }

  @AfterEach
  void stop() {
    client.close();
    sim.close();
  }

  private AsyncTask submit(Endpoint endpoint) {
    return client.submit(endpoint, Fixtures.imageForm(dir));
  }

  @Test
  void aTaskIsQueuedThenProcessingThenCompletedAsTheSimulatorClockMoves() {
    AsyncTask task = submit(Endpoints.AI_BALD);

    assertThat(client.getTaskResult(task.taskId()).taskStatus()).isEqualTo(TaskStatus.QUEUED);
    assertThat(client.getTaskResult(task.taskId()).data()).isNull();
    clock.advance(Fixtures.QUEUED.minusMillis(1));
    assertThat(client.getTaskResult(task.taskId()).taskStatus()).isEqualTo(TaskStatus.QUEUED);
    clock.advance(Duration.ofMillis(1));
    assertThat(client.getTaskResult(task.taskId()).taskStatus()).isEqualTo(TaskStatus.PROCESSING);
    clock.advance(Fixtures.PROCESSING.minusMillis(1));
    assertThat(client.getTaskResult(task.taskId()).taskStatus()).isEqualTo(TaskStatus.PROCESSING);
    clock.advance(Duration.ofMillis(1));

    TaskResult done = client.getTaskResult(task.taskId());
    assertThat(done.taskStatus()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.data().path("image").asText()).isEqualTo(sim.baseUrl() + "/files/" + task.taskId() + ".png");
    assertThat(sim.stats().polls(task.taskId())).isEqualTo(6);
  }

  @Test
  void thePollerCompletesOnceTheClockHasMoved() {
    AsyncTask task = submit(Endpoints.HD_UNIVERSAL_BACKGROUND_REMOVAL);
    clock.advance(Fixtures.QUEUED.plus(Fixtures.PROCESSING));

    TaskResult done = task.await(poller);

    assertThat(done.isCompleted()).isTrue();
    assertThat(sim.stats().polls(task.taskId())).isEqualTo(1);
  }

  @Test
  void withZeroDurationsATaskIsCompletedAtOnce() {
    try (AILabSimulator instant = AILabSimulator.builder().queuedFor(Duration.ZERO).processingFor(Duration.ZERO)
        .start(); AILabClient instantClient = Fixtures.client(instant)) {
      AsyncTask task = instantClient.submit(Endpoints.AI_BALD, Fixtures.imageForm(dir));

      assertThat(task.await(Fixtures.poller(instantClient)).isCompleted()).isTrue();
    }
  }

  @Test
  void theResultFileDownloadsAsAValidPngWithoutTheKey() throws Exception {
    AsyncTask task = submit(Endpoints.AI_BALD);
    clock.advance(Fixtures.QUEUED.plus(Fixtures.PROCESSING));
    TaskResult done = task.await(poller);

    List<URI> urls = ResultFiles.urls(done);
    assertThat(urls).hasSize(1);
    Path saved = ResultFiles.download(client, urls.get(0), dir.resolve("result.png"));

    BufferedImage image = ImageIO.read(saved.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(1);
    assertThat(image.getHeight()).isEqualTo(1);
    assertThat(sim.stats().filesServed()).isEqualTo(1);
    assertThat(sim.stats().filesRequestedWithKey()).isZero();
  }

  @Test
  void resultShapesVaryByEndpointFamily() {
    Map<Endpoint, String> shapes = Map.of(
        Endpoints.HAIRSTYLE_EDITOR_PRO, "images",
        Endpoints.AI_BALD, "image",
        Endpoints.HD_UNIVERSAL_BACKGROUND_REMOVAL, "image_url",
        Endpoints.AI_ANIME_GENERATOR, "result_urls",
        Endpoints.AI_FACE_RATING, "result_url");
    Map<Endpoint, AsyncTask> tasks = new LinkedHashMap<>();
    shapes.keySet().forEach(endpoint -> tasks.put(endpoint, client.submit(endpoint, endpoint
        == Endpoints.HAIRSTYLE_EDITOR_PRO ? Fixtures.imageForm(dir).field("hair_style", "BuzzCut")
        : Fixtures.imageForm(dir))));
    clock.advance(Fixtures.QUEUED.plus(Fixtures.PROCESSING));

    tasks.forEach((endpoint, task) -> {
      TaskResult done = client.getTaskResult(task.taskId());
      assertThat(done.data().fieldNames()).toIterable().as(endpoint.path()).containsExactly(shapes.get(endpoint));
      assertThat(ResultFiles.urls(done)).as(endpoint.path())
          .containsExactly(URI.create(sim.baseUrl() + "/files/" + task.taskId() + ".png"));
    });
  }

  @Test
  void aFileIsNotServedBeforeItsTaskCompletes() {
    AsyncTask task = submit(Endpoints.AI_BALD);
    URI file = URI.create(sim.baseUrl() + "/files/" + task.taskId() + ".png");

    assertThatThrownBy(() -> ResultFiles.download(client, file, dir.resolve("early.png")))
        .isInstanceOfSatisfying(AILabApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
  }

  @Test
  void anUnknownTaskIsAnswered404() {
    assertThatThrownBy(() -> client.getTaskResult(UNKNOWN_TASK))
        .isInstanceOfSatisfying(AILabApiException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(404);
          assertThat(e.errorCode()).isEqualTo("ERROR_RESOURCE_NOT_FOUND");
          assertThat(e.isRetryable()).isFalse();
        });
    assertThatThrownBy(() -> poller.awaitCompletion(UNKNOWN_TASK)).isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("404");
  }

  @Test
  void aTaskExpires24HoursAfterSubmissionAndItsFileIsGone() {
    AsyncTask task = submit(Endpoints.AI_BALD);
    clock.advance(Fixtures.QUEUED.plus(Fixtures.PROCESSING));
    URI file = ResultFiles.urls(client.getTaskResult(task.taskId())).get(0);
    clock.advance(Duration.ofHours(24));

    assertThatThrownBy(() -> task.await(poller)).isInstanceOfSatisfying(TaskFailedException.class, e -> {
      assertThat(e.taskId()).isEqualTo(task.taskId());
      assertThat(e.httpStatus()).isEqualTo(410);
      assertThat(e.errorCode()).isEqualTo("ERROR_TASK_REVOKED");
    });
    assertThatThrownBy(() -> ResultFiles.download(client, file, dir.resolve("late.png")))
        .isInstanceOfSatisfying(AILabApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
  }

  @Test
  void aTaskIsStillAvailableJustBefore24Hours() {
    AsyncTask task = submit(Endpoints.AI_BALD);
    clock.advance(Duration.ofHours(24).minusMillis(1));

    assertThat(client.getTaskResult(task.taskId()).isCompleted()).isTrue();
  }

  @Test
  void aSyncResultIsNoTaskToPoll() {
    String url = client.call(Endpoints.PORTRAIT_BACKGROUND_REMOVAL, Fixtures.imageForm(dir)).data()
        .path("image_url").asText();
    String id = url.substring(url.lastIndexOf('/') + 1, url.length() - ".png".length());

    assertThatThrownBy(() -> client.getTaskResult(id)).isInstanceOfSatisfying(AILabApiException.class,
        e -> assertThat(e.httpStatus()).isEqualTo(404));
  }

  @Test
  void manyConcurrentSubmitsAndWaitsAllComplete() {
    Form form = Fixtures.imageForm(dir);
    List<CompletableFuture<AsyncTask>> submits = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      submits.add(client.submitAsync(Endpoints.AI_BALD, form));
    }
    List<String> ids = submits.stream().map(submit -> submit.join().taskId()).collect(Collectors.toList());
    clock.advance(Fixtures.QUEUED.plus(Fixtures.PROCESSING));

    Map<String, TaskOutcome> outcomes = poller.awaitAll(ids);

    assertThat(outcomes).hasSize(300);
    assertThat(outcomes.values()).allSatisfy(outcome -> assertThat(outcome.result().isCompleted()).isTrue());
    assertThat(sim.stats().snapshot().pollsByTask()).hasSize(300);
    assertThat(sim.stats().submits(Endpoints.AI_BALD.path())).isEqualTo(300);
  }
}
