package io.github.ailabkit.jobs;

import static io.github.ailabkit.jobs.JobFixtures.ENDPOINT;
import static io.github.ailabkit.jobs.JobFixtures.form;
import static io.github.ailabkit.jobs.JobFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.Form;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.params.HdUniversalBackgroundRemovalParams;
import io.github.ailabkit.simulator.AILabSimulator;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner against the embedded simulator, with the in-memory store. */
class JobRunnerTest {
  private static final Duration GENEROUS = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final ShiftClock clock = new ShiftClock();
  private AILabSimulator sim;
  private AILabClient client;
  private JobRunner runner;

  private void start(AILabSimulator.Builder simulator, JobStore store, int maxSubmitsInFlight, JobListener listener) {
    sim = simulator.clock(clock).queuedFor(Duration.ofMillis(20)).start();
    client = JobFixtures.client(sim);
    runner = JobRunner.builder(client).store(store).resultsDir(dir.resolve("results"))
        .maxSubmitsInFlight(maxSubmitsInFlight).poller(JobFixtures.quickPoller(client)).clock(clock)
        .listener(listener).maxSubmitAttempts(1).build();
  }

  private void start() {
    start(AILabSimulator.builder().processingFor(Duration.ofMillis(20)), JobStore.inMemory(), 4, new JobListener() { });
  }

  @AfterEach
  void tearDown() {
    if (runner != null) runner.close();
    if (client != null) client.close();
    if (sim != null) sim.close();
  }

  private void enqueue(int count) throws Exception {
    List<Path> inputs = JobFixtures.inputs(Files.createDirectories(dir.resolve("in")), count);
    for (int i = 0; i < count; i++) {
      runner.enqueue(key(i), ENDPOINT, form(inputs.get(i)));
    }
  }

  @Test
  void completesEveryJobAndKeepsItsFileAndAnswer() throws Exception {
    start();
    enqueue(12);
    JobReport report = runner.runUntilDone(GENEROUS);

    assertThat(report.count(JobState.COMPLETED)).isEqualTo(12);
    assertThat(report.isDone()).isTrue();
    for (int i = 0; i < 12; i++) {
      JobRecord job = runner.job(key(i));
      assertThat(job.state()).isEqualTo(JobState.COMPLETED);
      assertThat(job.taskId()).isNotBlank();
      assertThat(job.requestId()).isNotNull();
      assertThat(job.attempts()).isEqualTo(1);
      assertThat(job.answerJson()).contains("\"task_status\":2");
      assertThat(job.resultFiles()).singleElement().satisfies(file -> {
        assertThat(file).startsWith(dir.resolve("results").resolve("batch"));
        assertThat(Files.readAllBytes(file)).startsWith(0x89, 'P', 'N', 'G');
      });
    }
    assertThat(sim.stats().submitsByInput()).hasSize(12).allSatisfy((input, submits) -> assertThat(submits).isOne());
  }

  @Test
  void enqueueingAKnownKeyChangesNothing() throws Exception {
    start();
    enqueue(1);
    runner.runUntilDone(GENEROUS);
    Path other = JobFixtures.inputs(Files.createDirectories(dir.resolve("other")), 3).get(2);

    JobRecord again = runner.enqueue(key(0), ENDPOINT, form(other));

    assertThat(again.state()).isEqualTo(JobState.COMPLETED);
    assertThat(runner.runUntilDone(GENEROUS).count(JobState.COMPLETED)).isOne();
    assertThat(sim.stats().submits(ENDPOINT.path())).isOne();
  }

  @Test
  void typedParamsAreEnqueuedAsTheirEndpointAndFormButInMemoryInputsAreRefused() throws Exception {
    start();
    Path input = JobFixtures.inputs(dir, 1).get(0);
    JobRecord job = runner.enqueue("typed", HdUniversalBackgroundRemovalParams.builder().image(input).build());

    assertThat(job.endpointPath()).isEqualTo(ENDPOINT.path());
    assertThat(job.files()).containsEntry("image", input.toAbsolutePath());
    assertThatThrownBy(() -> runner.enqueue("bytes", ENDPOINT, Form.create().file("image", Files.readAllBytes(input))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("write them to files");
    assertThat(runner.runUntilDone(GENEROUS).count(JobState.COMPLETED)).isOne();
  }

  @Test
  void refusesKeysThatCouldEscapeTheResultsDirectory() throws Exception {
    start();
    Path input = JobFixtures.inputs(dir, 1).get(0);
    for (String bad : List.of("../x", "/etc/x", "a/../../x", "a\0b", "a//b", "a/./b", "a/", "", "C:x", "a\\..\\b",
        "..", "x".repeat(201), "a/result-1.png", "result-2", "a/.hidden")) {
      assertThatThrownBy(() -> runner.enqueue(bad, ENDPOINT, form(input)))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("job key");
    }
    assertThat(runner.report().total()).isZero();
  }

  @Test
  void aTaskWithNoFaceFailsWithTheApisCodeAndIsNotRetried() throws Exception {
    start();
    sim.faults().failNextTasks(1, 422, "ERROR_NO_FACE_IN_FILE");
    enqueue(3);
    JobReport report = runner.runUntilDone(GENEROUS);

    assertThat(report.count(JobState.FAILED)).isOne();
    assertThat(report.count(JobState.COMPLETED)).isEqualTo(2);
    JobRecord failed = runner.job(report.failedKeys().get(0));
    assertThat(failed.error().httpStatus()).isEqualTo(422);
    assertThat(failed.error().code()).isEqualTo("ERROR_NO_FACE_IN_FILE");
    assertThat(failed.error().requestId()).isNotBlank();
    assertThat(failed.attempts()).isOne();
    assertThat(runner.runUntilDone(GENEROUS).count(JobState.FAILED)).isOne();
    assertThat(sim.stats().submits(ENDPOINT.path())).isEqualTo(3);
  }

  @Test
  void creditsRunningOutStopSubmitsAndKeepTheRestPending() throws Exception {
    List<String> stops = new CopyOnWriteArrayList<>();
    start(AILabSimulator.builder().credits(3).processingFor(Duration.ofMillis(20)), JobStore.inMemory(), 1,
        new JobListener() {
          @Override
          public void onSubmitsStopped(String reason) {
            stops.add(reason);
          }
        });
    enqueue(6);
    JobReport report = runner.runUntilDone(GENEROUS);

    assertThat(report.count(JobState.COMPLETED)).isEqualTo(3);
    assertThat(report.count(JobState.PENDING)).isEqualTo(3);
    assertThat(report.submitsStoppedReason()).contains("ERROR_NOT_ENOUGH_CREDITS");
    assertThat(stops).singleElement().asString().contains("ERROR_NOT_ENOUGH_CREDITS");
    assertThat(sim.stats().submits(ENDPOINT.path())).isEqualTo(4); // three accepted, one refused, then no more
  }

  @Test
  void closingFromAListenerCallbackEndsTheRunInsteadOfWaitingForItself() throws Exception {
    JobRunner[] self = new JobRunner[1];
    start(AILabSimulator.builder().credits(1).processingFor(Duration.ofMillis(20)), JobStore.inMemory(), 1,
        new JobListener() {
          @Override
          public void onSubmitsStopped(String reason) {
            self[0].close();
          }
        });
    self[0] = runner;
    enqueue(3);

    JobReport report = CompletableFuture.supplyAsync(() -> runner.runUntilDone(GENEROUS)).get(30, TimeUnit.SECONDS);

    assertThat(report.submitsStopped()).isTrue();
    assertThat(report.count(JobState.PENDING)).isGreaterThanOrEqualTo(1);
    assertThatThrownBy(() -> runner.runUntilDone(GENEROUS)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void checkingCreditsFirstSendsNothingWhenTheBalanceIsEmpty() throws Exception {
    sim = AILabSimulator.builder().credits(0).start();
    client = JobFixtures.client(sim);
    runner = JobRunner.builder(client).store(JobStore.inMemory()).resultsDir(dir).checkCreditsFirst(true).build();
    enqueue(2);

    JobReport report = runner.runUntilDone(GENEROUS);

    assertThat(report.count(JobState.PENDING)).isEqualTo(2);
    assertThat(report.submitsStopped()).isTrue();
    assertThat(sim.stats().submits(ENDPOINT.path())).isZero();
  }

  @Test
  void resultsThatExpiredBeforeTheyWereFetchedMakeTheJobExpired() throws Exception {
    start(AILabSimulator.builder().processingFor(Duration.ofHours(1)), JobStore.inMemory(), 4, new JobListener() { });
    enqueue(2);
    JobReport first = runner.runUntilDone(Duration.ofSeconds(2)); // tasks take an hour: still waiting
    assertThat(first.count(JobState.SUBMITTED)).isEqualTo(2);

    clock.advance(Duration.ofHours(25));
    JobReport second = runner.runUntilDone(GENEROUS);

    assertThat(second.count(JobState.EXPIRED)).isEqualTo(2);
    assertThat(runner.job(key(0)).error().code()).isEqualTo(JobError.RESULTS_EXPIRED);
    assertThat(sim.stats().submits(ENDPOINT.path())).isEqualTo(2);
  }

  @Test
  void aJobFoundSubmittingAtStartBecomesUncertainAndIsSentAgainOnlyWhenResubmitted() throws Exception {
    JobStore store = JobStore.inMemory();
    start(AILabSimulator.builder().processingFor(Duration.ofMillis(20)), store, 4, new JobListener() { });
    enqueue(1);
    store.save(runner.job(key(0)).submitting(Instant.now())); // as a process that died mid-submit left it

    JobReport report = runner.runUntilDone(GENEROUS);

    assertThat(report.uncertainKeys()).containsExactly(key(0));
    assertThat(runner.job(key(0)).error().code()).isEqualTo(JobError.ABANDONED);
    assertThat(sim.stats().submits(ENDPOINT.path())).isZero();
    assertThat(runner.runUntilDone(GENEROUS).count(JobState.UNCERTAIN)).isOne();

    assertThat(runner.resubmit(key(0)).state()).isEqualTo(JobState.PENDING);
    assertThat(runner.runUntilDone(GENEROUS).count(JobState.COMPLETED)).isOne();
    assertThat(runner.job(key(0)).attempts()).isEqualTo(2);
    assertThat(sim.stats().submits(ENDPOINT.path())).isOne();
  }

  @Test
  void aTaskIdTheStoreRefusedAtFirstIsRecordedOnALaterTryAndTheJobCompletes() throws Exception {
    FlakyStore store = new FlakyStore(JobState.SUBMITTED, 2);
    start(AILabSimulator.builder().processingFor(Duration.ofMillis(20)), store, 1, new JobListener() { });
    enqueue(1);

    JobReport report = runner.runUntilDone(GENEROUS);

    assertThat(store.failures).hasValue(2);
    assertThat(report.count(JobState.COMPLETED)).isOne();
    assertThat(sim.stats().submits(ENDPOINT.path())).isOne();
  }

  @Test
  void resubmitRefusesJobsThatAreNotUncertainOrFailed() throws Exception {
    start();
    enqueue(1);
    assertThatThrownBy(() -> runner.resubmit(key(0))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> runner.resubmit("nope")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSubmitThatNeverLeftStaysPending() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    client = AILabClient.builder().apiKey("sim-local-key").baseUrl("http://127.0.0.1:" + closedPort).maxRetries(0)
        .build();
    runner = JobRunner.builder(client).store(JobStore.inMemory()).resultsDir(dir).maxSubmitAttempts(1).build();
    enqueue(1);

    JobReport report = runner.runUntilDone(GENEROUS);

    assertThat(report.count(JobState.PENDING)).isOne();
    assertThat(runner.job(key(0)).attempts()).isOne();
  }

  @Test
  void throttlingLowersTheSubmitRateAndEveryJobStillCompletes() throws Exception {
    start();
    sim.faults().rateLimitNext(2);
    enqueue(4);

    JobReport report = runner.runUntilDone(GENEROUS);

    assertThat(report.count(JobState.COMPLETED)).isEqualTo(4);
    assertThat(sim.stats().submits(ENDPOINT.path())).isEqualTo(4 + 2); // the two refused with 429 created nothing
    assertThat(sim.stats().submitsByInput()).hasSize(4).allSatisfy((input, submits) -> assertThat(submits).isOne());
  }

  @Test
  void aSubmitWaitingForItsPaceIsNotSentOnceTheRunnerIsClosed() throws Exception {
    CountDownLatch throttled = new CountDownLatch(1);
    start(AILabSimulator.builder().processingFor(Duration.ofMillis(20)), JobStore.inMemory(), 1, new JobListener() {
      @Override
      public void onStateChange(JobRecord job, JobState previous) {
        if (previous == JobState.SUBMITTING && job.state() == JobState.PENDING) {
          throttled.countDown(); // the 429 halved the pace: the next submit waits about two seconds
        }
      }
    });
    sim.faults().rateLimitNext(1);
    enqueue(1);
    CompletableFuture<JobReport> run = CompletableFuture.supplyAsync(() -> runner.runUntilDone(GENEROUS));

    assertThat(throttled.await(30, TimeUnit.SECONDS)).isTrue();
    runner.close();

    assertThat(run.get(30, TimeUnit.SECONDS).count(JobState.PENDING)).isOne();
    assertThat(sim.stats().submits(ENDPOINT.path())).isOne(); // only the refused one
  }

  @Test
  void aPollerTimeoutShorterThanTheResultsLifeDoesNotEndTheRunWithTheJobUnfinished() throws Exception {
    sim = AILabSimulator.builder().clock(clock).queuedFor(Duration.ofMillis(20)).processingFor(Duration.ofMillis(1500))
        .start();
    client = JobFixtures.client(sim);
    TaskPoller impatient = TaskPoller.builder(client).interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(300))
        .build();
    runner = JobRunner.builder(client).store(JobStore.inMemory()).resultsDir(dir.resolve("results")).poller(impatient)
        .clock(clock).build();
    enqueue(1);

    JobReport report = runner.runUntilDone(GENEROUS);

    assertThat(report.count(JobState.COMPLETED)).isOne();
    assertThat(sim.stats().submits(ENDPOINT.path())).isOne();
  }

  @Test
  void aRefusedFormFailsWithoutBeingSent() throws Exception {
    start();
    Path notAnImage = Files.writeString(dir.resolve("notes.txt"), "not an image");
    runner.enqueue("bad", ENDPOINT, form(notAnImage));

    JobReport report = runner.runUntilDone(GENEROUS);

    assertThat(report.failedKeys()).containsExactly("bad");
    assertThat(runner.job("bad").error().code()).isEqualTo(JobError.INVALID_INPUT);
    assertThat(sim.stats().submits(ENDPOINT.path())).isZero();
  }
}
