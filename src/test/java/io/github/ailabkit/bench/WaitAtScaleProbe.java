package io.github.ailabkit.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.TaskPollListener;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskStatus;
import io.github.ailabkit.testing.TestServers;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Forked by {@link BenchmarkSuite}, one fresh JVM per variant: waits for {@code count} tasks (each completes
 * on its third poll, see {@link PollCountingDispatcher}) and reports elapsed time, threads and heap.
 *
 * <p>Arguments: {@code sdk|naive|calibrate baseUrl count intervalMillis taskIdPrefix}.
 * <ul>
 *   <li>{@code sdk}: {@code TaskPoller.awaitCompletionAsync} for every task, on one poller
 *       ({@code maxPollsInFlight(8)}, a rate cap far above what the server can serve).
 *   <li>{@code naive}: the vendor SDK's way, one platform thread per task running
 *       {@code sleep(interval); getTaskResult} until completed.
 * </ul>
 */
public final class WaitAtScaleProbe {
  private WaitAtScaleProbe() {
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("calibrate")) {
      calibrate(args[1], Integer.parseInt(args[2]), args[4]);
      return;
    }
    String variant = args[0];
    String baseUrl = args[1];
    int count = Integer.parseInt(args[2]);
    Duration interval = Duration.ofMillis(Long.parseLong(args[3]));
    String prefix = args[4];

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    AtomicLongArray doneAt = new AtomicLongArray(count);
    AtomicInteger errors = new AtomicInteger();
    // when (ns after the start) each task's 1st, 2nd and 3rd poll was answered
    AtomicLongArray answeredAt = new AtomicLongArray(count * 3);
    long[] start = new long[1];
    try (AILabClient client = AILabClient.builder().apiKey(Fixtures.API_KEY).baseUrl(baseUrl).build()) {
      long heapBefore = Fixtures.usedHeapAfterGc();
      long rssBefore = Fixtures.rssBytes();
      int threadsBefore = threads.getThreadCount();
      String censusBefore = Fixtures.threadCensus();
      threads.resetPeakThreadCount();

      long t0 = System.nanoTime();
      start[0] = t0;
      Runnable joinAll;
      java.util.function.IntSupplier pending;
      if (variant.equals("sdk")) {
        TaskPoller poller = TaskPoller.builder(client)
            .interval(interval)
            .maxPollsPerSecond(1_000_000)
            .maxPollsInFlight(8)
            .timeout(Duration.ofMinutes(10))
            .listener(new TaskPollListener() {
              @Override
              public void onPoll(String taskId, int attempt, TaskStatus status, Duration elapsed) {
                record(answeredAt, taskId, prefix, attempt, System.nanoTime() - start[0]);
              }
            })
            .build();
        CompletableFuture<?>[] futures = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
          int index = i;
          futures[i] = poller.awaitCompletionAsync(prefix + i).whenComplete((result, error) -> {
            doneAt.set(index, System.nanoTime());
            if (error != null || !result.isCompleted()) {
              errors.incrementAndGet();
            }
          });
        }
        joinAll = () -> CompletableFuture.allOf(futures).exceptionally(e -> null).join();
        pending = () -> (int) Arrays.stream(futures).filter(f -> !f.isDone()).count();
      } else if (variant.equals("naive")) {
        Thread[] waiters = new Thread[count];
        long intervalMillis = interval.toMillis();
        for (int i = 0; i < count; i++) {
          int index = i;
          String taskId = prefix + i;
          waiters[i] = new Thread(() -> {
            try {
              int attempt = 0;
              while (true) {
                Thread.sleep(intervalMillis);
                try {
                  TaskResult result = client.getTaskResult(taskId);
                  record(answeredAt, taskId, prefix, ++attempt, System.nanoTime() - t0);
                  if (result.isCompleted()) {
                    break;
                  }
                } catch (AILabException e) {
                  errors.incrementAndGet(); // the vendor SDK would give up here; we keep waiting
                }
              }
              doneAt.set(index, System.nanoTime());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }, "naive-waiter-" + i);
          waiters[i].start();
        }
        joinAll = () -> {
          for (Thread waiter : waiters) {
            try {
              waiter.join();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
        };
        pending = () -> {
          int n = 0;
          for (int i = 0; i < count; i++) {
            n += doneAt.get(i) == 0 ? 1 : 0;
          }
          return n;
        };
      } else {
        throw new IllegalArgumentException("variant: sdk or naive");
      }
      long submitted = System.nanoTime();

      // Mid-wait: half-way between the first and second poll of every task (or, if starting them all took
      // longer than that, as soon as they are all started), when all of them are pending.
      Fixtures.sleepUntil(t0 + interval.toNanos() * 3 / 2);
      int pendingMid = pending.getAsInt();
      long heapMid = Fixtures.usedHeapAfterGc();
      long rssMid = Fixtures.rssBytes();
      int threadsMid = threads.getThreadCount();

      joinAll.run();
      long t1 = System.nanoTime();
      int peak = threads.getPeakThreadCount();
      // Pool threads idle for 60 s before they end, so the live set now is about the set at the peak.
      String census = Fixtures.threadCensus();

      long[] latencies = new long[count];
      for (int i = 0; i < count; i++) {
        latencies[i] = doneAt.get(i) - t0;
      }
      Arrays.sort(latencies);

      ObjectNode out = Fixtures.MAPPER.createObjectNode();
      out.put("variant", variant);
      out.put("count", count);
      out.put("intervalMillis", interval.toMillis());
      out.put("elapsedMillis", (t1 - t0) / 1e6);
      out.put("startAllMillis", (submitted - t0) / 1e6);
      out.put("p50Millis", latencies[count / 2] / 1e6);
      out.put("errors", errors.get());
      out.put("pendingMid", pendingMid);
      out.put("threadsBefore", threadsBefore);
      out.put("threadsMid", threadsMid);
      out.put("peakThreads", peak);
      out.put("heapBefore", heapBefore);
      out.put("heapMid", heapMid);
      out.put("rssBefore", rssBefore);
      out.put("rssMid", rssMid);
      out.put("threadsBeforeCensus", censusBefore);
      out.put("threadsAfterCensus", census);
      for (int attempt = 1; attempt <= 3; attempt++) {
        long[] at = new long[count];
        for (int i = 0; i < count; i++) {
          at[i] = answeredAt.get(i * 3 + attempt - 1);
        }
        Arrays.sort(at);
        out.put("poll" + attempt + "MinMillis", at[0] / 1e6);
        out.put("poll" + attempt + "P50Millis", at[count / 2] / 1e6);
        out.put("poll" + attempt + "MaxMillis", at[count - 1] / 1e6);
      }
      Fixtures.emit(out);
    }
  }

  /**
   * How fast this machine and server can answer one round of polls, warm: {@code count} queries, each for a
   * new task id, first from 8 threads with raw OkHttp + Jackson (the server's capacity at the poller's
   * in-flight cap), then as {@code count} SDK waits that are all due at once and complete at their first poll
   * (the poller's own throughput). Each after a warm-up round of 2,000.
   */
  private static void calibrate(String baseUrl, int count, String prefix) throws Exception {
    okhttp3.OkHttpClient http = Fixtures.rawOkHttp();
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    okhttp3.HttpUrl base = okhttp3.HttpUrl.get(baseUrl);
    AtomicInteger next = new AtomicInteger();
    int warmup = Math.min(2_000, count);
    long rawNanos = 0;
    for (int phase = 0; phase < 2; phase++) {
      int total = phase == 0 ? warmup : count;
      String ids = prefix + (phase == 0 ? "w" : "");
      next.set(0);
      Thread[] workers = new Thread[8];
      long started = System.nanoTime();
      for (int w = 0; w < workers.length; w++) {
        workers[w] = new Thread(() -> {
          int i;
          while ((i = next.getAndIncrement()) < total) {
            try {
              Fixtures.rawGetTaskResult(http, mapper, base, ids + i);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        });
        workers[w].start();
      }
      for (Thread worker : workers) {
        worker.join();
      }
      rawNanos = System.nanoTime() - started;
    }
    TestServers.shutDown(http);

    long sdkNanos = 0;
    try (AILabClient client = AILabClient.builder().apiKey(Fixtures.API_KEY).baseUrl(baseUrl).build()) {
      TaskPoller poller = TaskPoller.builder(client)
          .interval(Duration.ofSeconds(1))
          .initialDelay(Duration.ZERO)
          .maxPollsPerSecond(1_000_000)
          .maxPollsInFlight(8)
          .build();
      for (int phase = 0; phase < 2; phase++) {
        int total = phase == 0 ? warmup : count;
        String ids = PollCountingDispatcher.DONE_PREFIX + prefix + (phase == 0 ? "w" : "");
        CompletableFuture<?>[] futures = new CompletableFuture<?>[total];
        long started = System.nanoTime();
        for (int i = 0; i < total; i++) {
          futures[i] = poller.awaitCompletionAsync(ids + i);
        }
        CompletableFuture.allOf(futures).join();
        sdkNanos = System.nanoTime() - started;
      }
    }
    ObjectNode out = Fixtures.MAPPER.createObjectNode();
    out.put("variant", "calibrate");
    out.put("count", count);
    out.put("roundMillis", rawNanos / 1e6);
    out.put("sdkRoundMillis", sdkNanos / 1e6);
    Fixtures.emit(out);
  }

  private static void record(AtomicLongArray answeredAt, String taskId, String prefix, int attempt, long nanos) {
    if (attempt >= 1 && attempt <= 3) {
      int index = Integer.parseInt(taskId.substring(prefix.length()));
      answeredAt.set(index * 3 + attempt - 1, nanos);
    }
  }
}
