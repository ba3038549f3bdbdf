package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ailabkit.testing.PollScript;
import io.github.ailabkit.testing.PollThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retry waits hold no thread: 32 asynchronous queries answered 429 with {@code Retry-After: 20} wait on the
 * client's timer, not on its 8 HTTP threads, so an unrelated query and a wait for a completed task beside
 * them complete at once. Cancelling the calls, or closing the client, ends their scheduled retries.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThrottledBurstTest {
  private static final int BURST = 32;

  @StartStop final MockWebServer server = PollScript.newServer();
  private final CountDownLatch throttledOnce = new CountDownLatch(BURST);
  private final AtomicInteger throttledRequests = new AtomicInteger();
  private AILabClient client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
  }

  private AILabClient throttlingServerAndClient() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String target = request.getTarget();
        if (target.contains("task_id=throttled")) {
          throttledRequests.incrementAndGet();
          throttledOnce.countDown();
          return new MockResponse.Builder().code(429).setHeader("Retry-After", "20")
              .setHeader("Content-Type", "application/json")
              .body("{\"error_detail\":{\"status_code\":429,\"code\":\"EXCEEDING_LIMITS\",\"message\":\"slow down\"}}")
              .build();
        }
        return PollScript.status(target.substring(target.indexOf("task_id=") + 8), 2);
      }
    });
    client = AILabClient.builder().apiKey("sk-burst").baseUrl(server.url("/").toString()).build();
    return client;
  }

  @Test
  void aThrottledBurstDelaysNeitherAnUnrelatedQueryNorAWait() throws Exception {
    AILabClient client = throttlingServerAndClient();
    List<CompletableFuture<TaskResult>> burst = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      burst.add(client.getTaskResultAsync("throttled-" + i));
    }
    assertThat(throttledOnce.await(30, TimeUnit.SECONDS)).as("every call of the burst was answered 429").isTrue();
    assertThat(PollThreads.eventually(10_000, () -> client.timer().pending() == BURST))
        .as("each retry waits on the timer").isTrue();

    TaskResult unrelated = client.getTaskResultAsync("done-query").get(10, TimeUnit.SECONDS);
    TaskResult waited = TaskPoller.builder(client).initialDelay(Duration.ZERO).build()
        .awaitCompletionAsync("done-wait").get(10, TimeUnit.SECONDS);

    assertThat(unrelated.taskStatus()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(waited.taskStatus()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(burst).noneMatch(CompletableFuture::isDone);

    burst.forEach(future -> future.cancel(true));
    assertThat(PollThreads.eventually(10_000, () -> client.timer().pending() == 0))
        .as("cancelling ends the scheduled retries").isTrue();
    assertThat(throttledRequests.get()).as("no retry sent after the cancel").isEqualTo(BURST);
  }

  @Test
  void closingTheClientEndsAScheduledRetry() throws Exception {
    AILabClient client = throttlingServerAndClient();
    CompletableFuture<TaskResult> call = client.getTaskResultAsync("throttled-close");
    assertThat(PollThreads.eventually(10_000, () -> client.timer().pending() == 1)).isTrue();

    client.close();

    Throwable thrown = catchThrowable(() -> call.get(10, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AILabException.class)
        .hasMessageContaining("closed");
  }
}
