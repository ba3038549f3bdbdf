package io.github.ailabkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IntSummaryStatistics;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Runs the benchmarks, each against a baseline measured in the same run, and prints one markdown
 * table (also written to {@code target/bench/results.md}). Every measurement that depends on the state of
 * a JVM runs in a fresh forked JVM on this process's classpath; the servers run here, in the parent, so
 * their threads, heap and allocations are never counted against the client.
 *
 * <pre>
 * mvn -B -q -Pbench test-compile exec:exec                      # everything, a few minutes on 2 cores
 * mvn -B -q -Pbench test-compile exec:exec -Dbench.only=wait    # or jmh, cpu, wait, upload, cold, params, bind, jobs, burst
 * </pre>
 *
 * <p>Other knobs (system properties of this JVM, for running it by hand): {@code bench.tasks} (10000),
 * {@code bench.intervalMillis} (picked from a calibration run), {@code bench.coldRuns} (5), {@code bench.sdkOnly}
 * (false: skip the thread-per-task baseline of the waiting benchmark), {@code bench.waitJvmArgs} (extra options
 * for the waiting benchmark's JVMs, e.g. {@code -XX:StartFlightRecording=...}).
 */
public final class BenchmarkSuite {
  private static final long MB = 1024 * 1024;

  private final Path target;
  private final Path out;
  private final Path log;
  private final String java;
  private final String classpath;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private BenchmarkSuite(Path target) throws IOException {
    this.target = target;
    this.out = target.resolve("bench");
    Files.createDirectories(out);
    this.log = out.resolve("bench.log");
    Files.deleteIfExists(log);
    this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.classpath = System.getProperty("java.class.path");
  }

  public static void main(String[] args) throws Exception {
    Set<String> only = new LinkedHashSet<>(Arrays.asList(System.getProperty("bench.only", "all")
        .toLowerCase(Locale.ROOT).split("\\s*,\\s*")));
    boolean all = only.contains("all") || only.contains("");
    BenchmarkSuite suite = new BenchmarkSuite(Path.of(System.getProperty("bench.dir", "target")));
    long started = System.nanoTime();
    if (all || only.contains("jmh")) {
      suite.queryOverhead();
    }
    if (all || only.contains("wait")) {
      suite.waitingAtScale(Integer.getInteger("bench.tasks", 10_000), Long.getLong("bench.intervalMillis", 0));
    }
    if (all || only.contains("cpu")) {
      suite.queryCpuRuns(Integer.getInteger("bench.cpuRuns", 5));
    }
    if (all || only.contains("upload")) {
      suite.uploads();
    }
    if (all || only.contains("cold")) {
      suite.coldStart(Integer.getInteger("bench.coldRuns", 5));
    }
    if (all || only.contains("params")) {
      suite.paramsPath(Integer.getInteger("bench.paramsRounds", 101));
    }
    if (all || only.contains("bind")) {
      suite.typedAnswers();
    }
    if (all || only.contains("jobs")) {
      suite.batchJobs(Integer.getInteger("bench.jobs", 10_000));
    }
    if (all || only.contains("burst")) {
      suite.throttledBurst(Integer.getInteger("bench.burstRounds", 1000));
    }
    suite.report(Duration.ofNanos(System.nanoTime() - started));
  }

  // ---------------------------------------------------------------- 1. per-query overhead (JMH)

  private void queryOverhead() throws Exception {
    progress("1/4 per-query overhead: JMH, 2 benchmarks x (3 x 1 s warm-up + 5 x 1 s), -prof gc");
    Path json = out.resolve("jmh.json");
    Files.deleteIfExists(json);
    try (BenchServer server = BenchServer.fixed(Fixtures.COMPLETED_BODY)) {
      List<String> command = List.of(java, "-cp", classpath, "org.openjdk.jmh.Main",
          "io.github.ailabkit.bench.QueryOverheadBenchmark", // in src/bench/java, compiled by -Pbench only
          "-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s",
          "-bm", "sample", "-tu", "us", "-prof", "gc",
          "-rf", "json", "-rff", json.toString(),
          "-jvmArgsAppend", "-Dbench.url=" + server.baseUrl()
              + " -Xms512m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      Path jmhLog = out.resolve("jmh.log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(jmhLog.toFile()).start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("JMH did not finish in 5 minutes; see " + jmhLog);
      }
      if (process.exitValue() != 0 || !Files.exists(json)) {
        throw new IllegalStateException("JMH failed (exit " + process.exitValue() + "):\n" + tail(jmhLog, 40));
      }
    }
    JsonNode sdk = null;
    JsonNode raw = null;
    for (JsonNode result : Fixtures.MAPPER.readTree(json.toFile())) {
      String name = result.path("benchmark").asText();
      if (name.endsWith(".sdk")) {
        sdk = result;
      } else if (name.endsWith(".raw")) {
        raw = result;
      }
    }
    if (sdk == null || raw == null) {
      throw new IllegalStateException("JMH results incomplete: " + json);
    }
    double sdkP50 = percentile(sdk, "50.0");
    double rawP50 = percentile(raw, "50.0");
    double sdkMean = sdk.path("primaryMetric").path("score").asDouble();
    double rawMean = raw.path("primaryMetric").path("score").asDouble();
    double sdkAlloc = sdk.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score").asDouble();
    double rawAlloc = raw.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score").asDouble();
    String section = "1. Query overhead";
    rows.add(Row.ratio(section, "`getTaskResult` latency, median (µs)", sdkP50, rawP50, "%.1f", 1.10));
    rows.add(Row.ratio(section, "latency, mean ± 99.9% CI (µs)", sdkMean, rawMean,
        fmt("%.1f ± %.1f", sdkMean, sdk.path("primaryMetric").path("scoreError").asDouble()),
        fmt("%.1f ± %.1f", rawMean, raw.path("primaryMetric").path("scoreError").asDouble()), 1.10));
    rows.add(Row.ratio(section, "allocated per call (B/op, `gc.alloc.rate.norm`)", sdkAlloc, rawAlloc, "%,.0f", 1.5));
    rows.add(Row.info(section, "latency p99 (µs)", fmt("%.1f", percentile(sdk, "99.0")),
        fmt("%.1f", percentile(raw, "99.0")), ratio(percentile(sdk, "99.0"), percentile(raw, "99.0"))));

    progress("1/4 per-query overhead: client CPU time per call (one JVM, alternating blocks)");
    JsonNode cpu;
    try (BenchServer server = BenchServer.fixed(Fixtures.COMPLETED_BODY)) {
      cpu = fork("query-cpu", List.of("-Xms512m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
          classpath, QueryCpuProbe.class, List.of(server.baseUrl(), "10000", "10", "1000"),
          Duration.ofMinutes(3)).result;
    }
    rows.add(Row.ratio(section, "client CPU time per call, calling thread (µs)", cpu.path("sdkCpuMicros").asDouble(),
        cpu.path("rawCpuMicros").asDouble(), "%.1f", 1.10));
    notes.add(fmt("Query CPU: %,d calls each after 10,000 warm-up calls, in alternating blocks of 1,000 in one JVM;"
        + " wall time per call there %.1f µs (SDK) and %.1f µs (raw).", cpu.path("calls").asLong(),
        cpu.path("sdkWallMicros").asDouble(), cpu.path("rawWallMicros").asDouble()));
  }

  /**
   * Query CPU overhead as the median of {@code runs} fresh JVMs with the spread, and in the same runs the
   * cost of the event listener with the Micrometer binding installed.
   */
  private void queryCpuRuns(int runs) throws Exception {
    List<double[]> results = new ArrayList<>(); // per run: sdk, raw, metered CPU µs per call
    try (BenchServer server = BenchServer.fixed(Fixtures.COMPLETED_BODY)) {
      for (int run = 1; run <= runs; run++) {
        progress(fmt("1b query CPU, run %d of %d (one JVM: SDK, raw, SDK + Micrometer in rotating blocks)", run, runs));
        JsonNode r = fork("query-cpu-" + run, List.of("-Xms512m", "-Xmx512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"), classpath, QueryCpuProbe.class,
            List.of(server.baseUrl(), "10000", "40", "250"), Duration.ofMinutes(3)).result;
        results.add(new double[] {r.path("sdkCpuMicros").asDouble(), r.path("rawCpuMicros").asDouble(),
            r.path("meteredCpuMicros").asDouble(), r.path("sdkToRawMedian").asDouble(),
            r.path("meteredToSdkMedian").asDouble()});
      }
    }
    double[] overhead = results.stream().mapToDouble(r -> r[3]).sorted().toArray();
    double[] metered = results.stream().mapToDouble(r -> r[4]).sorted().toArray();
    double[] sdk = results.stream().mapToDouble(r -> r[0]).sorted().toArray();
    double[] raw = results.stream().mapToDouble(r -> r[1]).sorted().toArray();
    double[] met = results.stream().mapToDouble(r -> r[2]).sorted().toArray();
    String section = fmt("1b. Query CPU, %d JVMs", runs);
    double medianOverhead = overhead[runs / 2];
    rows.add(new Row(section, "client CPU per call, median of runs (µs); ratio: median of the runs' ratios",
        fmt("%.1f", sdk[runs / 2]), fmt("%.1f", raw[runs / 2]),
        fmt("%.3f× (runs %.3f–%.3f)", medianOverhead, overhead[0], overhead[runs - 1]), "≤ 1.05×",
        medianOverhead <= 1.05 ? "yes" : "**no**"));
    double medianMetered = metered[runs / 2];
    rows.add(new Row(section, "SDK + event listener + Micrometer against the SDK alone (CPU µs per call)",
        fmt("%.1f", met[runs / 2]), fmt("%.1f", sdk[runs / 2]),
        fmt("%.3f× (runs %.3f–%.3f)", medianMetered, metered[0], metered[runs - 1]), "≤ 1.03×",
        medianMetered <= 1.03 ? "yes" : "**no**"));
    StringBuilder each = new StringBuilder();
    for (double[] r : results) {
      each.append(fmt(" [SDK %.1f, raw %.1f, SDK+Micrometer %.1f; ratios %.3f, %.3f]", r[0], r[1], r[2], r[3], r[4]));
    }
    notes.add(fmt("Query CPU, %d JVMs: 10,000 warm-up calls per variant, then 40 rotations of 250 calls per variant;"
        + " a run's ratio is the median over its rotations of each rotation's CPU ratio (SDK / raw, SDK with"
        + " Micrometer / SDK). Per run, CPU µs per call and the two ratios:%s.", runs, each));
  }

  private static double percentile(JsonNode result, String which) {
    return result.path("primaryMetric").path("scorePercentiles").path(which).asDouble(Double.NaN);
  }

  // ---------------------------------------------------------------- 6. typed answers

  private void typedAnswers() throws Exception {
    progress("6 typed answers: Face Analyzer's answer, bind vs readTree, CPU time in rotating blocks");
    JsonNode cpu = fork("bind-cpu", List.of("-Xms512m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
        classpath, BindCpuProbe.class, List.of("20000", "10", "5000"), Duration.ofMinutes(3)).result;
    String section = "6. Typed answers";
    double readTree = cpu.path("readTreeNanos").asDouble();
    rows.add(Row.ratio(section, "Face Analyzer answer: bind into `FaceAnalyzerResponse` vs `readTree`, CPU (ns)",
        cpu.path("bindNanos").asDouble(), readTree, "%,.0f", 1.5));
    rows.add(Row.info(section, "for reference: `readTree` + bind, bytes to record, CPU (ns)",
        fmt("%,.0f", cpu.path("parseAndBindNanos").asDouble()), fmt("%,.0f", readTree),
        ratio(cpu.path("parseAndBindNanos").asDouble(), readTree)));
    notes.add(fmt("Typed answers: the simulator's %,d-byte Face Analyzer answer; %,d operations of each kind after"
        + " 20,000 warm-up rounds, in rotating blocks of 5,000 in one JVM, CPU time of the measuring thread.",
        cpu.path("bodyBytes").asInt(), cpu.path("ops").asLong()));
  }

  // ---------------------------------------------------------------- 7. a throttled burst beside a query

  private void throttledBurst(int rounds) throws Exception {
    progress("7 throttled burst: an async query while 32 async calls wait to retry after 429 Retry-After: 20");
    JsonNode burst = fork("burst", List.of("-Xms256m", "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
        classpath, ThrottledBurstProbe.class, List.of(Integer.toString(rounds)), Duration.ofMinutes(3)).result;
    double baseline = burst.path("baselineMicros").asDouble();
    double during = burst.path("duringBurstMicros").asDouble();
    String section = "7. Throttled burst";
    // one extra round trip at most: the query during the burst may take up to twice the baseline
    rows.add(Row.ratio(section, "async query while 32 async calls wait on 429 Retry-After: 20, median (µs)",
        during, baseline, "%,.0f", 2.0));
    notes.add(fmt("Throttled burst: %d async queries one after the other on one client, first alone (baseline, one"
        + " round trip), then while 32 async queries wait to retry after 429 Retry-After: 20; limit 2.0x = at most"
        + " one extra round trip.", burst.path("rounds").asInt()));
  }

  // ---------------------------------------------------------------- 2. waiting at scale

  /**
   * @param intervalMillis the poll interval, or 0 to pick one: at least 5 s and at least 1.5 times the time
   *     this machine and server need to answer one round of {@code tasks} polls, so that rounds never overlap
   *     and the server's throughput does not decide the result
   */
  private void waitingAtScale(int tasks, long intervalMillis) throws Exception {
    PollCountingDispatcher dispatcher = new PollCountingDispatcher();
    JsonNode sdk;
    JsonNode naive;
    IntSummaryStatistics sdkPolls;
    IntSummaryStatistics naivePolls;
    double roundMillis;
    double sdkRoundMillis;
    int[] connections = new int[4];
    try (BenchServer server = new BenchServer(dispatcher)) {
      List<String> jvm = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
      String extra = System.getProperty("bench.waitJvmArgs", "").trim(); // e.g. a profiler's options
      if (!extra.isEmpty()) {
        jvm.addAll(Arrays.asList(extra.split("\\s+")));
      }
      String run = Long.toString(System.currentTimeMillis(), 36);
      progress(fmt("2/4 waiting: calibrating one round of %,d polls (8 threads, raw OkHttp)", tasks));
      JsonNode calibration = fork("wait-calibrate", jvm, classpath, WaitAtScaleProbe.class,
          List.of("calibrate", server.baseUrl(), Integer.toString(tasks), "0", "cal-" + run + "-"),
          Duration.ofMinutes(2).multipliedBy(Math.max(1, tasks / 10_000))).result;
      roundMillis = calibration.path("roundMillis").asDouble();
      connections[0] = dispatcher.connectionsUsed("cal-" + run + "-");
      connections[1] = dispatcher.connectionsUsed(PollCountingDispatcher.DONE_PREFIX + "cal-" + run + "-");
      sdkRoundMillis = calibration.path("sdkRoundMillis").asDouble();
      if (intervalMillis <= 0) {
        intervalMillis = Math.max(5_000, (long) Math.ceil(roundMillis * 1.5 / 1000) * 1000);
      }
      progress(fmt("2/4 waiting for %,d tasks, 3 polls each, interval %d ms (one round takes %.0f ms):"
          + " SDK poller vs thread-per-task", tasks, intervalMillis, roundMillis));
      sdk = fork("wait-sdk", jvm, classpath, WaitAtScaleProbe.class,
          List.of("sdk", server.baseUrl(), Integer.toString(tasks), Long.toString(intervalMillis), "sdk-" + run + "-"),
          Duration.ofMinutes(3).plusMillis(4 * intervalMillis)).result;
      sdkPolls = dispatcher.pollsPerTask("sdk-" + run + "-");
      connections[2] = dispatcher.connectionsUsed("sdk-" + run + "-");
      if (Boolean.getBoolean("bench.sdkOnly")) { // for quick experiments on the SDK side
        naive = sdk;
        naivePolls = sdkPolls;
      } else {
        naive = fork("wait-naive", jvm, classpath, WaitAtScaleProbe.class,
            List.of("naive", server.baseUrl(), Integer.toString(tasks), Long.toString(intervalMillis),
                "naive-" + run + "-"),
            Duration.ofMinutes(4)).result;
        naivePolls = dispatcher.pollsPerTask("naive-" + run + "-");
        connections[3] = dispatcher.connectionsUsed("naive-" + run + "-");
      }
    }
    double ideal = 3 * intervalMillis / 1000.0;
    String section = fmt("2. Waiting, %,d tasks", tasks);
    notes.add(fmt("Waiting: interval %.0f s. One round of %,d polls from 8 threads with raw OkHttp took %.2f s on"
        + " this machine and server, so the last task's first answer cannot come before about %.2f s and the"
        + " best possible end is about 3 × interval + one round = %.2f s (%.2f× ideal).", intervalMillis / 1000.0,
        tasks, roundMillis / 1000, intervalMillis / 1000.0 + roundMillis / 1000, ideal + roundMillis / 1000,
        (ideal + roundMillis / 1000) / ideal));
    notes.add(fmt("Waiting: the same round (warm, %,d waits due at once, each completed by its first poll) through"
        + " the SDK's poller took %.2f s, %.2f× the raw 8-thread loop; TCP connections the server saw: raw loop %d,"
        + " SDK round %d.", tasks, sdkRoundMillis / 1000, sdkRoundMillis / roundMillis, connections[0],
        connections[1]));
    double sdkElapsed = sdk.path("elapsedMillis").asDouble() / 1000;
    double naiveElapsed = naive.path("elapsedMillis").asDouble() / 1000;
    rows.add(Row.info(section, fmt("elapsed until the last completes (s); ideal 3 × %.0f s = %.0f s",
            intervalMillis / 1000.0, ideal),
        fmt("%.2f (%.2f× ideal)", sdkElapsed, sdkElapsed / ideal),
        fmt("%.2f (%.2f× ideal)", naiveElapsed, naiveElapsed / ideal), ratio(sdkElapsed, naiveElapsed)));
    double sdkP50 = sdk.path("p50Millis").asDouble() / 1000;
    double naiveP50 = naive.path("p50Millis").asDouble() / 1000;
    rows.add(Row.info(section, "median task completion (s)", fmt("%.2f (%.2f× ideal)", sdkP50, sdkP50 / ideal),
        fmt("%.2f (%.2f× ideal)", naiveP50, naiveP50 / ideal), ratio(sdkP50, naiveP50)));
    boolean exact = sdkPolls.getCount() == tasks && sdkPolls.getMin() == 3 && sdkPolls.getMax() == 3;
    rows.add(new Row(section, "requests per task, min / avg / max", pollStats(sdkPolls, tasks),
        pollStats(naivePolls, tasks), "", "exactly 3 (SDK)", exact ? "yes" : "**no**"));
    int sdkThreads = sdk.path("peakThreads").asInt() - sdk.path("threadsBefore").asInt();
    int naiveThreads = naive.path("peakThreads").asInt() - naive.path("threadsBefore").asInt();
    rows.add(new Row(section, "peak live threads added", fmt("%,d", sdkThreads), fmt("%,d", naiveThreads),
        ratio(sdkThreads, naiveThreads), "< 16 (SDK)", sdkThreads < 16 ? "yes" : "**no**"));
    double sdkHeap = (sdk.path("heapMid").asLong() - sdk.path("heapBefore").asLong()) / (double) MB;
    double naiveHeap = (naive.path("heapMid").asLong() - naive.path("heapBefore").asLong()) / (double) MB;
    int heapTarget = tasks > 10_000 ? 100 : 64; // 100 MB for 100,000 waits (issue 12), 64 MB for 10,000
    rows.add(new Row(section, "heap growth, all pending (MB, used after GC)", fmt("%.1f", sdkHeap),
        fmt("%.1f", naiveHeap), ratio(sdkHeap, naiveHeap), fmt("≤ %d MB (SDK)", heapTarget),
        sdkHeap <= heapTarget ? "yes" : "**no**"));
    double ceiling = ideal + roundMillis / 1000; // 3 intervals plus one round at the server's own throughput
    rows.add(new Row(section, fmt("last completion against the server's ceiling, 3 × interval + one raw round"
            + " = %.2f s", ceiling), fmt("%.2f s", sdkElapsed), fmt("%.2f s", ceiling),
        fmt("%.3f×", sdkElapsed / ceiling), "≤ 1.15× (SDK)", sdkElapsed / ceiling <= 1.15 ? "yes" : "**no**"));
    double sdkRss = (sdk.path("rssMid").asLong() - sdk.path("rssBefore").asLong()) / (double) MB;
    double naiveRss = (naive.path("rssMid").asLong() - naive.path("rssBefore").asLong()) / (double) MB;
    rows.add(Row.info(section, "process RSS growth, all pending (MB)", fmt("%.1f", sdkRss), fmt("%.1f", naiveRss),
        ratio(sdkRss, naiveRss)));
    rows.add(Row.info(section, "TCP connections opened (seen by the server)", fmt("%,d", connections[2]),
        fmt("%,d", connections[3]), ratio(connections[2], connections[3])));
    for (JsonNode r : List.of(sdk, naive)) {
      if (r.path("errors").asInt() != 0 || r.path("pendingMid").asInt() != tasks) {
        notes.add(fmt("Waiting, %s: %d failed polls or waits; %d of %d pending at mid-wait.",
            r.path("variant").asText(), r.path("errors").asInt(), r.path("pendingMid").asInt(), tasks));
      }
    }
    notes.add(fmt("Waiting: starting all waits took %.0f ms (SDK) and %.0f ms (thread-per-task).",
        sdk.path("startAllMillis").asDouble(), naive.path("startAllMillis").asDouble()));
    for (JsonNode r : List.of(sdk, naive)) {
      StringBuilder polls = new StringBuilder();
      for (int attempt = 1; attempt <= 3; attempt++) {
        polls.append(fmt("%s poll %d %.2f / %.2f / %.2f", attempt == 1 ? "" : ";", attempt,
            r.path("poll" + attempt + "MinMillis").asDouble() / 1000, r.path("poll" + attempt + "P50Millis").asDouble() / 1000,
            r.path("poll" + attempt + "MaxMillis").asDouble() / 1000));
      }
      String who = r.path("variant").asText().equals("sdk") ? "SDK" : "thread-per-task";
      notes.add(fmt("Waiting, %s: answers received at (s after start, first / median / last):%s.", who, polls));
      notes.add(fmt("Waiting, %s: live threads before: %s. After the last wait ended (pool threads idle 60 s"
          + " before they exit): %s.", who, r.path("threadsBeforeCensus").asText(),
          r.path("threadsAfterCensus").asText()));
    }
  }

  private static String pollStats(IntSummaryStatistics stats, int tasks) {
    String text = fmt("%d / %.2f / %d", stats.getMin(), stats.getAverage(), stats.getMax());
    return stats.getCount() == tasks ? text : text + fmt(" (%,d tasks polled)", stats.getCount());
  }

  // ---------------------------------------------------------------- 3. uploads

  private void uploads() throws Exception {
    long rate = 32 * MB;
    progress("3/4 uploads of 5 MB and 50 MB (server reads at 32 MB/s and keeps nothing): streamed vs byte[]");
    Path dir = Files.createDirectories(out.resolve("upload"));
    Path warmup = image(dir.resolve("warmup.png"), 64 * 1024);
    String section = "3. Uploads";
    double[] sdkGrowth = new double[2];
    int i = 0;
    try (DiscardServer server = new DiscardServer(rate)) {
      for (long size : new long[] {5 * MB, 50 * MB}) {
        Path file = image(dir.resolve("upload-" + size / MB + "mb.png"), size);
        List<String> jvm = List.of("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        JsonNode sdk = fork("upload-sdk-" + size / MB, jvm, classpath, UploadProbe.class,
            List.of("sdk", server.baseUrl(), file.toString(), warmup.toString()), Duration.ofMinutes(2)).result;
        checkReceived(server, size, "SDK");
        JsonNode raw = fork("upload-raw-" + size / MB, jvm, classpath, UploadProbe.class,
            List.of("raw", server.baseUrl(), file.toString(), warmup.toString()), Duration.ofMinutes(2)).result;
        checkReceived(server, size, "raw");
        double sdkHeap = (sdk.path("heapPeak").asLong() - sdk.path("heapBefore").asLong()) / (double) MB;
        double rawHeap = (raw.path("heapPeak").asLong() - raw.path("heapBefore").asLong()) / (double) MB;
        sdkGrowth[i++] = sdkHeap;
        boolean last = size == 50 * MB;
        double growthDelta = sdkGrowth[1] - sdkGrowth[0];
        rows.add(new Row(section, fmt("%d MB file: live heap growth during upload (MB)", size / MB),
            fmt("%.2f", sdkHeap), fmt("%.2f", rawHeap), ratio(sdkHeap, rawHeap),
            last ? "independent of file size (SDK)" : "",
            last ? (Math.abs(growthDelta) < 2 ? fmt("yes (Δ %+.2f MB for 10× the file)", growthDelta)
                : fmt("**no** (Δ %+.2f MB)", growthDelta)) : ""));
        double sdkAlloc = sdk.path("allocatedBytes").asLong() / (double) MB;
        double rawAlloc = raw.path("allocatedBytes").asLong() / (double) MB;
        rows.add(Row.info(section, fmt("%d MB file: allocated by all threads (MB)", size / MB),
            fmt("%.2f", sdkAlloc), fmt("%.2f", rawAlloc), ratio(sdkAlloc, rawAlloc)));
        notes.add(fmt("Upload %d MB: %.0f ms (SDK, %d heap samples), %.0f ms (raw, %d samples).", size / MB,
            sdk.path("elapsedMillis").asDouble(), sdk.path("samples").asInt(), raw.path("elapsedMillis").asDouble(),
            raw.path("samples").asInt()));
        Files.delete(file);
      }
    }
  }

  // ---------------------------------------------------------------- 5. the typed face's cost

  private void paramsPath(int rounds) throws Exception {
    progress(fmt("5 params path: a 5 MB upload through generated params vs a generic Form, %d rounds each,"
        + " alternating in one JVM", rounds));
    Path dir = Files.createDirectories(out.resolve("params"));
    Path file = image(dir.resolve("upload-5mb.png"), 5 * MB);
    JsonNode result;
    try (DiscardServer server = new DiscardServer(1024 * MB)) {
      result = fork("params-alloc", List.of("-Xms512m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
          classpath, ParamsAllocationProbe.class, List.of(server.baseUrl(), file.toString(), Integer.toString(rounds)),
          Duration.ofMinutes(3)).result;
      checkReceived(server, 5 * MB, "params");
    }
    String section = "5. Typed face";
    rows.add(Row.ratio(section, "5 MB upload: bytes allocated per call, calling thread, median",
        result.path("typedMedian").asDouble(), result.path("genericMedian").asDouble(), "%,.0f", 1.02));
    rows.add(Row.info(section, "same, all threads (background included), median",
        fmt("%,d", result.path("typedAllThreadsMedian").asLong()),
        fmt("%,d", result.path("genericAllThreadsMedian").asLong()),
        ratio(result.path("typedAllThreadsMedian").asDouble(), result.path("genericAllThreadsMedian").asDouble())));
    notes.add(fmt("Params path: %d calls each way after 5 warm-up calls each, alternating which goes first; minimum"
        + " %,d B (params) and %,d B (generic Form). Baseline column: the generic Form path.",
        result.path("rounds").asInt(), result.path("typedMin").asLong(), result.path("genericMin").asLong()));
    Files.delete(file);
  }

  private static void checkReceived(DiscardServer server, long size, String who) {
    if (server.lastBodyBytes() < size) {
      throw new IllegalStateException(who + " upload: the server received " + server.lastBodyBytes()
          + " body bytes, fewer than the file's " + size);
    }
  }

  /** A file that sniffs as PNG: the signature, then filler. */
  private static Path image(Path path, long size) throws IOException {
    byte[] block = new byte[1 << 20];
    ThreadLocalRandom.current().nextBytes(block);
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    System.arraycopy(signature, 0, block, 0, signature.length);
    try (OutputStream file = Files.newOutputStream(path)) {
      long left = size;
      while (left > 0) {
        int n = (int) Math.min(block.length, left);
        file.write(block, 0, n);
        left -= n;
        block[0] = 0;
      }
    }
    return path;
  }

  // ---------------------------------------------------------------- 4. cold start and size

  private void coldStart(int runs) throws Exception {
    progress(fmt("4/4 cold start: %d fresh JVMs each, builder() to the first getTaskResult; dependency size", runs));
    String coldClasspath = coldClasspath();
    double[][] firstCall = new double[2][runs];
    double[][] sinceStart = new double[2][runs];
    double[][] processWall = new double[2][runs];
    String[] variants = {"sdk", "raw"};
    try (BenchServer server = BenchServer.fixed(Fixtures.COMPLETED_BODY)) {
      OkHttpClient warm = Fixtures.rawOkHttp();
      for (int i = 0; i < 200; i++) {
        Fixtures.rawGetTaskResult(warm, Fixtures.MAPPER, HttpUrl.get(server.baseUrl()), Fixtures.TASK_ID);
      }
      warm.connectionPool().evictAll();
      for (String variant : variants) { // one unrecorded run each: page cache, server warm-up
        fork("cold-warmup-" + variant, List.of(), coldClasspath, ColdStartProbe.class,
            List.of(variant, server.baseUrl()), Duration.ofMinutes(1));
      }
      for (int run = 0; run < runs; run++) {
        for (int v = 0; v < variants.length; v++) {
          Fork fork = fork("cold-" + variants[v] + "-" + run, List.of(), coldClasspath, ColdStartProbe.class,
              List.of(variants[v], server.baseUrl()), Duration.ofMinutes(1));
          firstCall[v][run] = fork.result.path("firstCallMillis").asDouble();
          sinceStart[v][run] = fork.result.path("jvmStartToResultMillis").asDouble();
          processWall[v][run] = fork.wallMillis;
        }
      }
    }
    String section = "4. Cold start";
    rows.add(Row.info(section, fmt("`builder()` → first `getTaskResult` done, median of %d JVMs (ms)", runs),
        fmt("%.0f", median(firstCall[0])), fmt("%.0f", median(firstCall[1])),
        ratio(median(firstCall[0]), median(firstCall[1]))));
    rows.add(Row.info(section, "JVM start → first result, median (ms)", fmt("%.0f", median(sinceStart[0])),
        fmt("%.0f", median(sinceStart[1])), ratio(median(sinceStart[0]), median(sinceStart[1]))));
    rows.add(Row.info(section, "whole process (launch → exit), median (ms)", fmt("%.0f", median(processWall[0])),
        fmt("%.0f", median(processWall[1])), ratio(median(processWall[0]), median(processWall[1]))));
    notes.add("Cold start, every run (ms, builder → first result): SDK " + Arrays.toString(round(firstCall[0]))
        + ", raw " + Arrays.toString(round(firstCall[1])) + ".");
    dependencySize(section);
  }

  /** The application's view: the SDK's classes, its runtime dependencies, the bench probes and a binding. */
  private String coldClasspath() throws IOException {
    List<String> entries = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.endsWith("test-classes") || entry.endsWith("classes") || entry.contains("slf4j-simple")) {
        entries.add(entry);
      }
    }
    entries.addAll(runtimeClasspath());
    return String.join(File.pathSeparator, entries);
  }

  private List<String> runtimeClasspath() throws IOException {
    Path file = out.resolve("runtime-classpath.txt");
    if (!Files.exists(file)) {
      throw new IllegalStateException(file + " is missing: run through the bench profile (see BENCHMARKS.md)");
    }
    return Arrays.stream(Files.readString(file).trim().split(File.pathSeparator))
        .filter(s -> !s.isBlank()).collect(Collectors.toList());
  }

  private void dependencySize(String section) throws IOException {
    List<String> runtime = runtimeClasspath();
    long deps = 0;
    long rawDeps = 0;
    List<String> names = new ArrayList<>();
    for (String entry : runtime) {
      long size = Files.size(Path.of(entry));
      deps += size;
      String name = Path.of(entry).getFileName().toString();
      names.add(name + fmt(" (%,d KB)", size / 1024));
      if (!name.startsWith("slf4j-")) {
        rawDeps += size; // the baseline needs the same OkHttp and Jackson, not SLF4J
      }
    }
    Path classes = target.resolve("classes");
    Path jar = out.resolve("ailab-sdk-classes.jar");
    long sdkJar = jar(classes, jar);
    rows.add(Row.info(section, "runtime footprint: jars on the classpath (KB)",
        fmt("%,d (SDK %,d + deps %,d)", (sdkJar + deps) / 1024, sdkJar / 1024, deps / 1024),
        fmt("%,d", rawDeps / 1024), ratio(sdkJar + deps, rawDeps)));
    notes.add("Runtime classpath (`dependency:build-classpath -Dmdep.includeScope=runtime`): "
        + String.join(", ", names) + fmt(". SDK jar: target/classes jarred here (%,d KB)", sdkJar / 1024)
        + packagedJarNote() + ".");
  }

  private String packagedJarNote() throws IOException {
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(p -> p.getFileName().toString().matches("ailab-sdk-[^-]+(-SNAPSHOT)?\\.jar"))
          .findFirst().map(p -> {
            try {
              return fmt("; packaged %s: %,d KB", p.getFileName(), Files.size(p) / 1024);
            } catch (IOException e) {
              return "";
            }
          }).orElse("");
    }
  }

  /** Jars a classes directory with default compression, as maven-jar-plugin would; returns its size. */
  private static long jar(Path classes, Path jar) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Path file : files) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
        out.write(Files.readAllBytes(file));
        out.closeEntry();
      }
    }
    return Files.size(jar);
  }

  // ---------------------------------------------------------------- forking and reporting

  private static final class Fork {
    final JsonNode result;
    final double wallMillis;

    Fork(JsonNode result, double wallMillis) {
      this.result = result;
      this.wallMillis = wallMillis;
    }
  }

  private Fork fork(String name, List<String> jvmArgs, String cp, Class<?> main, List<String> args,
      Duration timeout) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(cp);
    command.add(main.getName());
    command.addAll(args);
    Path stdout = out.resolve("fork-" + name + ".out");
    Files.writeString(log, "---- " + name + " " + Instant.now() + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not finish within " + timeout + "; see " + log);
    }
    double wall = (System.nanoTime() - started) / 1e6;
    String output = Files.readString(stdout);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(name + " failed (exit " + process.exitValue() + "):\n" + output + tail(log, 40));
    }
    String line = output.lines().filter(l -> l.startsWith(Fixtures.RESULT_PREFIX)).reduce((a, b) -> b)
        .orElseThrow(() -> new IllegalStateException(name + " printed no result:\n" + output));
    Files.delete(stdout);
    return new Fork(Fixtures.MAPPER.readTree(line.substring(Fixtures.RESULT_PREFIX.length())), wall);
  }

  // ---------------------------------------------------------------- 8. durable batch jobs

  /**
   * {@code jobs} inputs through the simulator (in this JVM, tasks done at their first poll), results
   * downloaded: by hand (submit on 4 threads, {@code awaitAll}, download) and by a {@code JobRunner} with the
   * file store and with the JDBC store on embedded PostgreSQL, each in a fresh JVM.
   */
  private void batchJobs(int jobs) throws Exception {
    String section = fmt("8. Batch jobs, %,d", jobs);
    Path work = out.resolve("jobs");
    List<String> jvm = List.of("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    try (io.github.ailabkit.simulator.AILabSimulator sim = io.github.ailabkit.simulator.AILabSimulator.builder()
        .queuedFor(Duration.ZERO).processingFor(Duration.ZERO).credits(10L * jobs).start();
         io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres =
             io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start()) {
      List<String> common = List.of(sim.baseUrl(), sim.apiKey(), Integer.toString(jobs));
      Map<String, JsonNode> results = new LinkedHashMap<>();
      for (String mode : List.of("plain", "file", "jdbc")) {
        progress(fmt("8 batch jobs: %,d jobs, %s", jobs, mode));
        List<String> args = new ArrayList<>(List.of(mode));
        args.addAll(common);
        args.add(work.resolve(mode).toString());
        args.addAll(List.of(Integer.toString(postgres.getPort()), "postgres"));
        try {
          results.put(mode, fork("jobs-" + mode, jvm, classpath, io.github.ailabkit.jobs.BatchJobsProbe.class, args,
              Duration.ofMinutes(10)).result);
        } catch (IllegalStateException e) { // report the others; the note says what failed
          notes.add("Batch jobs, " + mode + ": no result (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
      }
      if (!results.containsKey("plain")) {
        return;
      }
      double plain = jobs / (results.get("plain").path("elapsedMillis").asDouble() / 1000);
      for (String store : List.of("file", "jdbc")) {
        JsonNode run = results.get(store);
        if (run == null) {
          continue;
        }
        double throughput = jobs / (run.path("elapsedMillis").asDouble() / 1000);
        double r = throughput / plain;
        rows.add(new Row(section, fmt("throughput, %s store vs plain submit + awaitAll (jobs/s)", store),
            fmt("%.0f", throughput), fmt("%.0f", plain), fmt("%.2f×", r), "≥ 0.90×", r >= 0.9 ? "yes" : "**no**"));
        rows.add(Row.info(section, fmt("heap growth after GC, %s store vs plain (MB)", store),
            fmt("%.1f", run.path("heapGrowth").asLong() / (double) MB),
            fmt("%.1f", results.get("plain").path("heapGrowth").asLong() / (double) MB), ""));
      }
      JsonNode file = results.get("file");
      if (file != null) {
        rows.add(Row.info(section, "file store: journal bytes / fsyncs per job",
            fmt("%.0f B / %.2f", file.path("journalBytes").asDouble() / jobs, file.path("fsyncs").asDouble() / jobs),
            "", ""));
      }
    }
  }

  private void report(Duration elapsed) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("| Benchmark | Measure | AILab SDK | Baseline | SDK / baseline | Target | Met |\n");
    md.append("|---|---|--:|--:|--:|---|---|\n");
    String lastSection = "";
    for (Row row : rows) {
      String section = row.section.equals(lastSection) ? "" : row.section;
      lastSection = row.section;
      md.append("| ").append(String.join(" | ", section, row.measure, row.sdk, row.baseline, row.ratio,
          row.target, row.met)).append(" |\n");
    }
    md.append('\n');
    md.append("Baselines: 1 raw OkHttp GET + Jackson `readTree`; 2 one platform thread per task, "
        + "`Thread.sleep(interval)` + `client.getTaskResult` (the vendor SDK's `waitForTask`); "
        + "3 `Files.readAllBytes` + raw OkHttp multipart; 4 raw OkHttp + Jackson; "
        + "6 Jackson `readTree` of the same body.\n\n");
    for (String note : notes) {
      md.append("- ").append(note).append('\n');
    }
    int cores = Runtime.getRuntime().availableProcessors();
    long ram = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    md.append(fmt("- Machine: %d cores, %.1f GiB RAM, %s %s (%s), %s %s.%n", cores, ram / (double) (1L << 30),
        System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.vendor"), System.getProperty("os.name"), System.getProperty("os.version")));
    md.append(fmt("- Suite wall time: %d min %02d s.%n", elapsed.toMinutes(), elapsed.toSecondsPart()));
    Files.writeString(out.resolve("results.md"), md.toString());
    System.out.println();
    System.out.print(md);
    System.out.println();
    System.out.println("(written to " + out.resolve("results.md") + "; logs in " + out + ")");
  }

  private static final class Row {
    final String section;
    final String measure;
    final String sdk;
    final String baseline;
    final String ratio;
    final String target;
    final String met;

    Row(String section, String measure, String sdk, String baseline, String ratio, String target, String met) {
      this.section = section;
      this.measure = measure;
      this.sdk = sdk;
      this.baseline = baseline;
      this.ratio = ratio;
      this.target = target;
      this.met = met;
    }

    static Row ratio(String section, String measure, double sdk, double baseline, String format, double max) {
      return ratio(section, measure, sdk, baseline, fmt(format, sdk), fmt(format, baseline), max);
    }

    static Row ratio(String section, String measure, double sdk, double baseline, String sdkText,
        String baselineText, double max) {
      double r = sdk / baseline;
      return new Row(section, measure, sdkText, baselineText, fmt("%.2f×", r), fmt("≤ %.2f×", max),
          r <= max ? "yes" : "**no**");
    }

    static Row info(String section, String measure, String sdk, String baseline, String ratio) {
      return new Row(section, measure, sdk, baseline, ratio, "", "");
    }
  }

  private static String ratio(double sdk, double baseline) {
    if (baseline == 0 || Double.isNaN(sdk) || Double.isNaN(baseline)) {
      return "—";
    }
    double r = sdk / baseline;
    return r >= 0.1 || r <= 0 ? fmt("%.2f×", r) : fmt("1/%,.0f", 1 / r);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static long[] round(double[] values) {
    return Arrays.stream(values).mapToLong(Math::round).toArray();
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static void progress(String message) {
    System.out.println("[bench] " + message);
    System.out.flush();
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
