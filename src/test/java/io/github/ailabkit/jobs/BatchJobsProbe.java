package io.github.ailabkit.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AsyncTask;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.TaskOutcome;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.bench.Fixtures;
import io.github.ailabkit.testing.Images;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One benchmark run in a fresh JVM against the simulator of the benchmark suite: {@code jobs} inputs through
 * background removal, results downloaded, either by hand ({@code plain}: submits on 4 threads, then
 * {@code awaitAll}, then downloads on 4 threads) or by a {@link JobRunner} with 4 submits in flight and the
 * {@code file} or {@code jdbc} store. Prints elapsed time, heap growth and the store's costs.
 *
 * <p>Usage: {@code plain|file|jdbc baseUrl apiKey jobs workDir [postgresPort database]}.
 */
public final class BatchJobsProbe {
  private static final int IN_FLIGHT = 4;

  private BatchJobsProbe() {
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int jobs = Integer.parseInt(args[3]);
    Path work = Path.of(args[4]);
    deleteRecursively(work); // a fresh store and results directory each run
    Files.createDirectories(work);
    Path input = Images.write(work, "input.png", ImageFormat.PNG, 4096);
    Path results = work.resolve("results-" + mode);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ObjectNode result = new ObjectMapper().createObjectNode();
    try (AILabClient client = AILabClient.builder().baseUrl(args[1]).apiKey(args[2]).build()) {
      TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMillis(100)).maxPollsPerSecond(100_000)
          .maxPollsInFlight(64).build();
      client.credits(); // warm: a connection and the HTTP classes loaded, in every mode
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();
      long started = System.nanoTime();
      switch (mode) {
        case "plain" -> plain(client, poller, input, results, jobs);
        case "file" -> {
          FileJobStore store = FileJobStore.open(work.resolve("store"));
          viaRunner(client, poller, store, input, results, jobs);
          result.put("journalBytes", store.journalBytes());
          result.put("fsyncs", store.fsyncs());
        }
        case "jdbc" -> viaRunner(client, poller, JobStore.jdbc(pool(Integer.parseInt(args[5]), args[6])), input,
            results, jobs);
        default -> throw new IllegalArgumentException(mode);
      }
      result.put("elapsedMillis", (System.nanoTime() - started) / 1e6);
      long heapPeak = memory.getHeapMemoryUsage().getUsed();
      System.gc();
      result.put("heapGrowth", memory.getHeapMemoryUsage().getUsed() - heapBefore);
      result.put("heapBeforeGc", heapPeak - heapBefore);
    }
    try (var files = Files.walk(results)) {
      result.put("files", files.filter(f -> f.toString().endsWith(".png")).count());
    }
    Fixtures.emit(result);
  }

  /**
   * A pool of 8 connections, as an application would bring (HikariCP and the like); the driver's own simple
   * pool keeps this benchmark free of another dependency.
   */
  @SuppressWarnings("deprecation")
  private static javax.sql.DataSource pool(int port, String database) {
    org.postgresql.ds.PGPoolingDataSource pool = new org.postgresql.ds.PGPoolingDataSource();
    pool.setServerNames(new String[] {"127.0.0.1"});
    pool.setPortNumbers(new int[] {port});
    pool.setDatabaseName(database);
    pool.setUser("postgres");
    pool.setMaxConnections(8);
    return pool;
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  private static void plain(AILabClient client, TaskPoller poller, Path input, Path results, int jobs)
      throws Exception {
    Files.createDirectories(results);
    ExecutorService threads = Executors.newFixedThreadPool(IN_FLIGHT);
    List<Future<AsyncTask>> submits = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      submits.add(threads.submit(() -> client.submit(JobFixtures.ENDPOINT, JobFixtures.form(input))));
    }
    List<String> taskIds = new ArrayList<>();
    for (Future<AsyncTask> submit : submits) {
      taskIds.add(submit.get().taskId());
    }
    Map<String, TaskOutcome> outcomes = poller.awaitAll(taskIds);
    List<Future<Path>> downloads = new ArrayList<>();
    int i = 0;
    for (TaskOutcome outcome : outcomes.values()) {
      Path target = results.resolve("result-" + i++ + ".png");
      downloads.add(threads.submit(() -> ResultFiles.download(client, ResultFiles.urls(outcome.getOrThrow()).get(0),
          target)));
    }
    for (Future<Path> download : downloads) {
      download.get();
    }
    threads.shutdown();
  }

  private static void viaRunner(AILabClient client, TaskPoller poller, JobStore store, Path input, Path results,
      int jobs) {
    try (JobRunner runner = JobRunner.builder(client).store(store).resultsDir(results).maxSubmitsInFlight(IN_FLIGHT)
        .poller(poller).build()) {
      for (int i = 0; i < jobs; i++) {
        runner.enqueue("job-" + i, JobFixtures.ENDPOINT, JobFixtures.form(input));
      }
      JobReport report = runner.runUntilDone(Duration.ofMinutes(20));
      if (report.count(JobState.COMPLETED) != jobs) {
        throw new IllegalStateException("not all completed: " + report.summary());
      }
    }
  }
}
