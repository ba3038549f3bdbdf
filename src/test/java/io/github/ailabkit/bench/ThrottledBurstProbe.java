package io.github.ailabkit.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.testing.PollScript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Issue 12's burst: how long an unrelated asynchronous query takes while 32 asynchronous queries wait to
 * retry after {@code 429 Retry-After: 20}, against the same query on the same client before the burst
 * (the baseline: one round trip). Prints the medians of {@code args[0]} queries each (after as many warm-up
 * queries) as the result line.
 */
public final class ThrottledBurstProbe {
  private static final int BURST = 32;

  private ThrottledBurstProbe() {
  }

  /** Runs the probe; see the class comment. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    CountDownLatch throttled = new CountDownLatch(BURST);
    try (MockWebServer server = PollScript.newServer()) {
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          if (request.getTarget().contains("task_id=throttled")) {
            throttled.countDown();
            return new MockResponse.Builder().code(429).setHeader("Retry-After", "20")
                .setHeader("Content-Type", "application/json")
                .body("{\"error_detail\":{\"status_code\":429,\"code\":\"EXCEEDING_LIMITS\"}}").build();
          }
          return PollScript.status("done", 2);
        }
      });
      server.start();
      try (AILabClient client = AILabClient.builder().apiKey("sk-bench").baseUrl(server.url("/").toString())
          .build()) {
        queries(client, rounds); // warm-up
        double baseline = median(queries(client, rounds));
        List<CompletableFuture<TaskResult>> burst = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
          burst.add(client.getTaskResultAsync("throttled-" + i));
        }
        if (!throttled.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the burst was not answered");
        }
        double during = median(queries(client, rounds));
        burst.forEach(future -> future.cancel(true));
        ObjectNode out = Fixtures.MAPPER.createObjectNode();
        out.put("rounds", rounds);
        out.put("baselineMicros", baseline / 1000);
        out.put("duringBurstMicros", during / 1000);
        Fixtures.emit(out);
      }
    }
  }

  /** Latencies (ns) of {@code rounds} asynchronous queries, one after the other. */
  private static long[] queries(AILabClient client, int rounds) throws Exception {
    long[] nanos = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      long started = System.nanoTime();
      client.getTaskResultAsync("done-" + i).get(60, TimeUnit.SECONDS);
      nanos[i] = System.nanoTime() - started;
    }
    return nanos;
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
