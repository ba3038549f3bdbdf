package io.github.ailabkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AsyncTask;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.RateLimitException;
import io.github.ailabkit.TaskFailedException;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.TaskResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Fault injection: failing polls, rate limits, failing tasks and slow answers, as the SDK sees them. */
class SimulatorFaultsTest {
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

  /** A task that is already completed by the simulator's clock. */
  private AsyncTask completedTask() {
    AsyncTask task = client.submit(Endpoints.AI_BALD, Fixtures.imageForm(dir));
    clock.advance(Fixtures.QUEUED.plus(Fixtures.PROCESSING));
    return task;
  }

  @Test
  void thePollerRidesOutFlowRestrictedPolls() {
    AsyncTask task = completedTask();
    sim.faults().failNextPolls(3, 503, "AI_SERVICE_FLOW_RESTRICTION");

    TaskResult done = task.await(poller);

    assertThat(done.isCompleted()).isTrue();
    assertThat(sim.stats().polls(task.taskId())).isEqualTo(4);
  }

  @Test
  void everyPollFailsAtFractionOneUntilTheFaultIsReset() throws Exception {
    AsyncTask task = completedTask();
    sim.faults().failPolls(1.0, 503, "AI_SERVICE_FLOW_RESTRICTION");

    CompletableFuture<TaskResult> wait = task.awaitAsync(poller);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (sim.stats().polls(task.taskId()) < 3 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(wait).isNotDone();
    sim.faults().reset();

    assertThat(wait.get(5, TimeUnit.SECONDS).isCompleted()).isTrue();
    assertThat(sim.stats().polls(task.taskId())).isGreaterThanOrEqualTo(4);
  }

  @ParameterizedTest
  @CsvSource({
      "500, PROCESSING_FAILURE",
      "502, AI_SERVICE_ERROR",
      "503, AI_SERVICE_FLOW_RESTRICTION",
      "504, AI_SERVICE_TIMEOUT"})
  void aFailedPollCarriesTheStatusAndCodeAndIsRetryable(int status, String code) {
    AsyncTask task = completedTask();
    sim.faults().failNextPolls(1, status, code);

    assertThatThrownBy(() -> client.getTaskResult(task.taskId()))
        .isInstanceOfSatisfying(AILabApiException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(status);
          assertThat(e.errorCode()).isEqualTo(code);
          assertThat(e.isRetryable()).isTrue();
        });
    assertThat(client.getTaskResult(task.taskId()).isCompleted()).isTrue();
  }

  @Test
  void aFractionOfZeroFailsNoPoll() {
    AsyncTask task = completedTask();
    sim.faults().failPolls(0.0, 503, "AI_SERVICE_FLOW_RESTRICTION");

    for (int i = 0; i < 20; i++) {
      assertThat(client.getTaskResult(task.taskId()).isCompleted()).isTrue();
    }
  }

  @Test
  void rateLimitedRequestsAreAnswered429WithRetryAfter() {
    sim.faults().rateLimitNext(2);

    try (RawHttp raw = new RawHttp(sim)) {
      RawHttp.Reply reply = raw.get(Endpoints.QUERY_CREDITS_PATH, sim.apiKey());
      assertThat(reply.status()).isEqualTo(429);
      assertThat(reply.headers().get("Retry-After")).isEqualTo("1");
      assertThat(reply.json().path("error_detail").path("code").asText()).isEqualTo("EXCEEDING_LIMITS");
    }
    assertThatThrownBy(client::credits).isInstanceOfSatisfying(RateLimitException.class, e -> {
      assertThat(e.errorCode()).isEqualTo("EXCEEDING_LIMITS");
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
      assertThat(e.isRetryable()).isTrue();
    });
    assertThat(client.credits().totalBalance()).isEqualTo(1_000_000);
  }

  @Test
  void aFailedTaskEndsTheWaitWithTaskFailedException() {
    AsyncTask task = completedTask();
    sim.faults().failTask(task.taskId(), 422, "ERROR_NO_FACE_IN_FILE");

    assertThatThrownBy(() -> task.await(poller)).isInstanceOfSatisfying(TaskFailedException.class, e -> {
      assertThat(e.taskId()).isEqualTo(task.taskId());
      assertThat(e.httpStatus()).isEqualTo(422);
      assertThat(e.errorCode()).isEqualTo("ERROR_NO_FACE_IN_FILE");
    });
    assertThat(sim.stats().polls(task.taskId())).isEqualTo(1);
  }

  @Test
  void onlyTheNextSubmittedTaskFails() {
    sim.faults().failNextTasks(1, 422, "ERROR_NO_FACE_IN_FILE");
    AsyncTask failing = client.submit(Endpoints.AI_BALD, Fixtures.imageForm(dir));
    AsyncTask fine = client.submit(Endpoints.AI_BALD, Fixtures.imageForm(dir));
    clock.advance(Fixtures.QUEUED.plus(Fixtures.PROCESSING));

    assertThatThrownBy(() -> failing.await(poller)).isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("ERROR_NO_FACE_IN_FILE");
    assertThat(fine.await(poller).isCompleted()).isTrue();
  }

  @Test
  void tasksMatchingAPredicateFailAndTheirFilesAreNotServed() {
    AsyncTask task = completedTask();
    sim.faults().failTasks(id -> id.equals(task.taskId()), 422, "ERROR_NO_FACE_IN_FILE");

    assertThatThrownBy(() -> client.getTaskResult(task.taskId())).isInstanceOfSatisfying(AILabApiException.class,
        e -> assertThat(e.errorCode()).isEqualTo("ERROR_NO_FACE_IN_FILE"));
    try (RawHttp raw = new RawHttp(sim)) {
      assertThat(raw.get("/files/" + task.taskId() + ".png", null).status()).isEqualTo(404);
    }
    sim.faults().reset();
    assertThat(client.getTaskResult(task.taskId()).isCompleted()).isTrue();
  }

  @Test
  void delayedAnswersArriveLate() {
    client.credits(); // warm up, so the first call's one-time costs do not count
    sim.faults().delay(Duration.ofMillis(150));
    long started = System.nanoTime();
    client.credits();
    long delayedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    sim.faults().reset();
    started = System.nanoTime();
    client.credits();
    long normalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(delayedMillis).isGreaterThanOrEqualTo(150);
    assertThat(normalMillis).isLessThan(delayedMillis);
  }

  @Test
  void resultFilesCountRequestsThatCarriedTheKey() {
    AsyncTask task = completedTask();
    try (RawHttp raw = new RawHttp(sim)) {
      assertThat(raw.get("/files/" + task.taskId() + ".png", sim.apiKey()).status()).isEqualTo(200);
      assertThat(raw.get("/files/" + task.taskId() + ".png", null).status()).isEqualTo(200);
    }

    assertThat(sim.stats().filesRequestedWithKey()).isEqualTo(1);
    assertThat(sim.stats().filesServed()).isEqualTo(2);
  }

  @Test
  void faultSettingsAreChecked() {
    Faults faults = sim.faults();
    assertThatThrownBy(() -> faults.failPolls(1.5, 503, "X")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults.failPolls(Double.NaN, 503, "X")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults.failNextPolls(1, 200, "X")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults.failPolls(0, 200, "X")).as("checked even when no poll will fail")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults.failTask("id", 422, " ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults.rateLimitNext(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults.delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults.failTasks(null, 422, "X")).isInstanceOf(NullPointerException.class);
  }

  @Test
  void theSameSeedGivesTheSameFailedPolls() {
    AsyncTask task = completedTask();

    String first = pollOutcomes(task, 42);
    String again = pollOutcomes(task, 42);
    String other = pollOutcomes(task, 43);

    Random expected = new Random(42);
    StringBuilder drawn = new StringBuilder();
    for (int i = 0; i < first.length(); i++) {
      drawn.append(expected.nextDouble() < 0.5 ? 'F' : '.');
    }
    assertThat(first).as("the n-th poll draws the n-th number of Random(42)").isEqualTo(drawn.toString())
        .contains("F", ".");
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  /** Forty sequential polls with half failing at random from {@code seed}: F for a failed poll, . for an answer. */
  private String pollOutcomes(AsyncTask task, long seed) {
    sim.faults().seed(seed).failPolls(0.5, 503, "AI_SERVICE_FLOW_RESTRICTION");
    StringBuilder outcomes = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      try {
        assertThat(client.getTaskResult(task.taskId()).isCompleted()).isTrue();
        outcomes.append('.');
      } catch (AILabApiException e) {
        assertThat(e.httpStatus()).isEqualTo(503);
        outcomes.append('F');
      }
    }
    return outcomes.toString();
  }
}
