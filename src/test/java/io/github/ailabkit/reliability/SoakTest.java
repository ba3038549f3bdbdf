package io.github.ailabkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.AsyncTask;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.Form;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.TaskPollListener;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskStatus;
import io.github.ailabkit.simulator.AILabSimulator;
import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.LeakCheckExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soak: {@value #TASKS} tasks submitted to the embedded simulator and waited for concurrently, while 10% of
 * all polls fail with 503 {@code AI_SERVICE_FLOW_RESTRICTION}. Every result must be delivered exactly once (no
 * wait lost, none completed twice, no poll after completion), every request the simulator saw must be
 * accounted for by the listener, each task's polls must stay within the bound below, and closing the client
 * must leave no SDK thread.
 *
 * <p>The simulator's clock stands still while the tasks are submitted and starts when the waits do, so every
 * task goes through its whole life (queued, processing, completed) while all 500 waits poll it: the submits
 * take longer than a task's life, and without this most tasks would be done before their first poll.
 *
 * <p><b>The bound on polls per task.</b> A task is created at {@code c} (by the simulator's clock) and completes
 * at {@code c + Q + P} ({@code Q} = {@value #QUEUED_MS} ms queued, {@code P} = {@value #PROCESSING_MS} ms
 * processing). Its wait starts after the submit answered, so at or after {@code c}; the first poll is one
 * interval {@code I} = {@value #INTERVAL_MS} ms later, and each next poll at least {@code I} after the previous
 * one (jitter and failure backoff only lengthen gaps). So the k-th poll arrives no earlier than {@code c + k·I},
 * and only polls arriving before {@code c + Q + P} can see the task unfinished: k·I &lt; Q + P, at most
 * {@code ceil((Q + P) / I) - 1} = {@value #MAX_POLLS_BEFORE_COMPLETION} polls, failed or not. After completion,
 * polls go on until one is not failed; each fails independently with probability 0.1, so more than
 * {@value #MAX_POLLS_AFTER_COMPLETION} are needed with probability 0.1^{@value #MAX_POLLS_AFTER_COMPLETION}
 * per task, 5·10^-5 for the whole run. Hence at most {@value #MAX_POLLS_PER_TASK} polls per task.
 */
class SoakTest {
  static final int TASKS = 500;
  static final long QUEUED_MS = 1_000;
  static final long PROCESSING_MS = 1_000;
  static final long INTERVAL_MS = 250;
  static final double FAILED_POLLS = 0.10;
  static final int MAX_POLLS_BEFORE_COMPLETION = 7; // ceil((1000 + 1000) / 250) - 1
  static final int MAX_POLLS_AFTER_COMPLETION = 7;
  static final int MAX_POLLS_PER_TASK = MAX_POLLS_BEFORE_COMPLETION + MAX_POLLS_AFTER_COMPLETION;

  @TempDir Path dir;

  private final Map<String, AtomicInteger> listenerPolls = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> completedPolls = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> listenerCompletions = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> transientErrors = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> futureCompletions = new ConcurrentHashMap<>();
  private final Map<String, TaskResult> delivered = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void fiveHundredConcurrentWaitsThroughFlowRestrictions_deliverEveryResultExactlyOnce() throws Exception {
    assertThat(MAX_POLLS_BEFORE_COMPLETION).isEqualTo((int) Math.ceil((double) (QUEUED_MS + PROCESSING_MS)
        / INTERVAL_MS) - 1);
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    Path image = Images.write(dir, "face.png", ImageFormat.PNG, 2048);
    long started = System.nanoTime();
    long submitted;
    List<String> ids = new ArrayList<>();
    Map<String, Long> pollsSeen;
    long totalPolls;
    HeldClock simClock = new HeldClock();
    try (AILabSimulator sim = AILabSimulator.builder().clock(simClock).queuedFor(Duration.ofMillis(QUEUED_MS))
            .processingFor(Duration.ofMillis(PROCESSING_MS)).start();
        AILabClient client = AILabClient.builder().apiKey(sim.apiKey()).baseUrl(sim.baseUrl()).build()) {
      sim.faults().failPolls(FAILED_POLLS, 503, "AI_SERVICE_FLOW_RESTRICTION");
      TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMillis(INTERVAL_MS))
          .timeout(Duration.ofSeconds(40)).maxPollsPerSecond(50_000).maxPollsInFlight(32).listener(listener())
          .build();

      List<CompletableFuture<AsyncTask>> submits = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        submits.add(client.submitAsync(Endpoints.AI_BALD, Form.create().file("image", image)));
      }
      for (CompletableFuture<AsyncTask> submit : submits) {
        ids.add(submit.get(30, TimeUnit.SECONDS).taskId());
      }
      submitted = System.nanoTime();
      simClock.start();
      List<CompletableFuture<TaskResult>> waits = new ArrayList<>();
      for (String id : ids) {
        CompletableFuture<TaskResult> wait = poller.awaitCompletionAsync(id);
        wait.whenComplete((result, error) -> {
          futureCompletions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
          if (error != null) {
            problems.add(id + " failed: " + error);
          } else if (delivered.putIfAbsent(id, result) != null) {
            problems.add(id + " delivered twice");
          }
        });
        waits.add(wait);
      }
      CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0])).get(45, TimeUnit.SECONDS);
      pollsSeen = sim.stats().snapshot().pollsByTask();
      totalPolls = pollsSeen.values().stream().mapToLong(Long::longValue).sum();
      Thread.sleep(3 * INTERVAL_MS); // a poll sent after completion would arrive by now
      assertThat(sim.stats().snapshot().pollsByTask()).as("polls after every wait ended").isEqualTo(pollsSeen);
    }
    long submitMillis = (submitted - started) / 1_000_000;
    long waitMillis = (System.nanoTime() - submitted) / 1_000_000;
    long failures = transientErrors.values().stream().mapToLong(AtomicInteger::get).sum();
    long maxPolls = pollsSeen.values().stream().mapToLong(Long::longValue).max().orElse(0);
    System.out.printf("SoakTest: %d tasks submitted in %d ms, then %d polls (%d failed, %.1f%%), at most %d per task,"
        + " in %d ms%n", TASKS, submitMillis, totalPolls, failures, 100.0 * failures / totalPolls, maxPolls,
        waitMillis);

    assertThat(problems).isEmpty();
    assertThat(ids).hasSize(TASKS).doesNotHaveDuplicates();
    assertThat(delivered).hasSize(TASKS);
    assertThat(pollsSeen).hasSize(TASKS);
    for (String id : ids) {
      assertThat(count(futureCompletions, id)).as("future completions of %s", id).isEqualTo(1);
      assertThat(count(listenerCompletions, id)).as("status changes to COMPLETED of %s", id).isEqualTo(1);
      assertThat(count(completedPolls, id)).as("polls of %s answering COMPLETED", id).isEqualTo(1);
      assertThat(pollsSeen.get(id)).as("requests for %s: each a poll or a transient error the listener heard", id)
          .isEqualTo((long) count(listenerPolls, id) + count(transientErrors, id))
          .isBetween(1L, (long) MAX_POLLS_PER_TASK);
      TaskResult result = delivered.get(id);
      assertThat(result.isCompleted()).isTrue();
      assertThat(ResultFiles.urls(result)).singleElement().asString().contains(id);
    }
    assertThat((double) failures / totalPolls).as("share of failed polls").isBetween(0.05, 0.15);
    assertThat(LeakCheckExtension.awaitSdkThreadsEnded(before, LeakCheckExtension.THREAD_GRACE))
        .as("SDK threads alive after close").isEmpty();
  }

  /** The wall clock, held at one instant until {@link #start()}, then running from that instant on. */
  static final class HeldClock extends Clock {
    private final Instant held = Instant.now();
    private volatile long startedNanos;
    private volatile boolean running;

    void start() {
      startedNanos = System.nanoTime();
      running = true;
    }

    @Override
    public Instant instant() {
      return running ? held.plusNanos(System.nanoTime() - startedNanos) : held;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private TaskPollListener listener() {
    return new TaskPollListener() {
      @Override
      public void onPoll(String taskId, int attempt, TaskStatus status, Duration elapsed) {
        increment(listenerPolls, taskId);
        if (status == TaskStatus.COMPLETED) {
          increment(completedPolls, taskId);
        }
      }

      @Override
      public void onStatusChange(String taskId, TaskStatus previous, TaskStatus current) {
        if (current == TaskStatus.COMPLETED) {
          increment(listenerCompletions, taskId);
        }
      }

      @Override
      public void onTransientError(String taskId, int attempt, AILabException error) {
        increment(transientErrors, taskId);
        if (!(error instanceof AILabApiException)
            || !"AI_SERVICE_FLOW_RESTRICTION".equals(((AILabApiException) error).errorCode())) {
          problems.add(taskId + ": unexpected transient error " + error);
        }
      }
    };
  }

  private static void increment(Map<String, AtomicInteger> counts, String taskId) {
    counts.computeIfAbsent(taskId, k -> new AtomicInteger()).incrementAndGet();
  }

  private static int count(Map<String, AtomicInteger> counts, String taskId) {
    AtomicInteger count = counts.get(taskId);
    return count == null ? 0 : count.get();
  }
}
