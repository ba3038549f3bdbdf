package io.github.ailabkit;

import static io.github.ailabkit.testing.PollScript.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.testing.PollScript;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of concurrent waits cost no thread each: 2,000 asynchronous waits against a local server
 * that answers every task 0, 1, then 2, while the JVM's live thread count barely moves.
 */
class TaskPollerScaleTest {
  static final int TASKS = 2_000;
  static final int MAX_IN_FLIGHT = 3;
  /**
   * Live threads the run may add: a few HTTP threads (OkHttp's pool can briefly hold one more thread per
   * poll finishing as the next starts) and the server's connection threads (one per connection).
   */
  static final int MAX_EXTRA_THREADS = 16;

  @StartStop final MockWebServer server = PollScript.newServer();

  /** Answers the n-th poll of each task id with task_status n - 1 (0, 1, 2, then 2 again). */
  static final class ZeroOneTwo extends Dispatcher {
    final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String taskId = request.getUrl().queryParameter("task_id");
      if ("warm-up".equals(taskId)) {
        return status(taskId, 2);
      }
      int n = polls.computeIfAbsent(taskId, k -> new AtomicInteger()).incrementAndGet();
      return status(taskId, Math.min(n - 1, 2));
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void twoThousandConcurrentWaitsCompleteWithoutAThreadEach() throws Exception {
    ZeroOneTwo dispatcher = new ZeroOneTwo();
    server.setDispatcher(dispatcher);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();

    try (AILabClient client = AILabClient.builder().apiKey("test-key").baseUrl(server.url("/").toString()).build()) {
      TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMillis(20))
          .maxPollsPerSecond(1_000_000).maxPollsInFlight(MAX_IN_FLIGHT).build();
      // One poll first, so that what any client starts once (the timer, a connection, OkHttp's and the
      // server's housekeeping threads) is in the baseline: the run measures what 2,000 waits add.
      TaskPoller.builder(client).initialDelay(Duration.ZERO).build().awaitCompletionAsync("warm-up")
          .get(10, TimeUnit.SECONDS);
      int baseline = mx.getThreadCount();
      mx.resetPeakThreadCount();
      long started = System.nanoTime();

      List<CompletableFuture<TaskResult>> futures = new ArrayList<>(TASKS);
      for (int i = 0; i < TASKS; i++) {
        futures.add(poller.awaitCompletionAsync("scale-" + i));
      }
      CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]));
      int sampledMax = baseline;
      while (!all.isDone()) {
        sampledMax = Math.max(sampledMax, mx.getThreadCount());
        try {
          all.get(5, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException stillRunning) {
          // keep sampling
        }
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      int peak = Math.max(sampledMax, mx.getPeakThreadCount());

      System.out.printf("TaskPollerScaleTest: %d waits, %d polls in %d ms; live threads %d -> peak %d%n",
          TASKS, TASKS * 3, millis, baseline, peak);
      for (CompletableFuture<TaskResult> f : futures) {
        assertThat(f.join().isCompleted()).isTrue();
      }
      assertThat(dispatcher.polls).hasSize(TASKS);
      assertThat(dispatcher.polls.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(3));
      assertThat(server.getRequestCount()).isEqualTo(3 * TASKS + 1);
      assertThat(peak - baseline).as("threads added during the run").isLessThanOrEqualTo(MAX_EXTRA_THREADS);
      assertThat(client.timer().pending()).isZero();
    }
  }
}
