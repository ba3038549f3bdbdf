package io.github.ailabkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * What the benchmarks share: the canned answers, the hand-written raw OkHttp + Jackson baseline, and the
 * in-process measurement helpers used by the forked probes.
 */
public final class Fixtures {
  /** A syntactically valid key; the bench servers do not check it. */
  public static final String API_KEY = "bench0key0123456789abcdef";
  /** A task id shaped like the API's. */
  public static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";
  /** A realistic completed poll answer (old-form fields included, as many endpoints send). */
  public static final String COMPLETED_BODY = "{\"request_id\":\"7a3c0b5e-2f41-4f7e-9d7b-3c1e0a9b8d21\","
      + "\"log_id\":\"0f3e5b7c9a1d4e6f\",\"error_code\":0,\"error_code_str\":\"\",\"error_msg\":\"\","
      + "\"error_detail\":{\"status_code\":200,\"code\":\"\",\"code_message\":\"\",\"message\":\"\"},"
      + "\"task_status\":2,\"data\":{\"image\":\"https://ai-result-rapidapi.ailabtools.com/image/generateImage/"
      + "2024-05-03/165624-5f5a3e1c-8b7d-4c0e-9a2f-1d3b5c7e9f01-1714726584.png\"}}";
  /** The answer of a synchronous endpoint such as background removal. */
  public static final String SYNC_BODY = "{\"request_id\":\"up-1\",\"log_id\":\"l-1\",\"error_code\":0,"
      + "\"error_detail\":{\"status_code\":200,\"code\":\"\",\"code_message\":\"\",\"message\":\"\"},"
      + "\"data\":{\"image_url\":\"https://files.example/cutout.png\"}}";

  static final String QUERY_PATH = "api/common/query-async-task-result";
  static final String UPLOAD_PATH = "api/cutout/general/universal-background-removal";
  /** The prefix of the line a forked probe prints its result on. */
  static final String RESULT_PREFIX = "BENCH-RESULT ";

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {
  }

  /** The baseline's OkHttp client: the SDK's timeouts and redirect policy, nothing else. */
  public static OkHttpClient rawOkHttp() {
    return new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(10))
        .readTimeout(Duration.ofSeconds(60))
        .writeTimeout(Duration.ofSeconds(60))
        .callTimeout(Duration.ofMinutes(3))
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
  }

  /** The baseline query: a raw GET, status check, {@code readTree} of the body. */
  public static JsonNode rawGetTaskResult(OkHttpClient http, ObjectMapper mapper, HttpUrl base, String taskId)
      throws IOException {
    HttpUrl url = base.newBuilder().addPathSegments(QUERY_PATH).addQueryParameter("task_id", taskId).build();
    Request request = new Request.Builder().url(url)
        .header("ailabapi-api-key", API_KEY)
        .header("Accept", "application/json")
        .get()
        .build();
    try (Response response = http.newCall(request).execute()) {
      if (response.code() != 200) {
        throw new IOException("HTTP " + response.code());
      }
      JsonNode root = mapper.readTree(response.body().bytes());
      if (!root.has("task_status")) {
        throw new IOException("no task_status");
      }
      return root;
    }
  }

  /** The baseline upload, as the vendor SDK does it: the whole file in a byte[], then a multipart POST. */
  public static JsonNode rawUpload(OkHttpClient http, ObjectMapper mapper, HttpUrl base, Path file)
      throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("image", file.getFileName().toString(), RequestBody.create(bytes, MediaType.get("image/png")))
        .build();
    Request request = new Request.Builder().url(base.newBuilder().addPathSegments(UPLOAD_PATH).build())
        .header("ailabapi-api-key", API_KEY)
        .post(body)
        .build();
    try (Response response = http.newCall(request).execute()) {
      if (response.code() != 200) {
        throw new IOException("HTTP " + response.code());
      }
      return mapper.readTree(response.body().bytes());
    }
  }

  // ---- measurement helpers for the forked probes ----

  /** Used heap after full collections: the live data, as far as the JVM can tell. */
  static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** Resident set size of this process in bytes, or -1 where /proc is not available. */
  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Live threads grouped by name with numbers and URLs blanked out, e.g. {@code ailab-http-# x 9}. */
  static String threadCensus() {
    java.util.Map<String, Integer> byName = new java.util.TreeMap<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      String name = thread.getName().replaceAll("https?://\\S*", "URL").replaceAll("\\d+", "#");
      byName.merge(name, 1, Integer::sum);
    }
    StringBuilder text = new StringBuilder();
    byName.forEach((name, n) -> text.append(text.length() == 0 ? "" : ", ").append(name)
        .append(n > 1 ? " x " + n : ""));
    return text.toString();
  }

  static void sleepUntil(long deadlineNanos) throws InterruptedException {
    long left;
    while ((left = deadlineNanos - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, left / 1_000_000));
    }
  }

  /** Prints a probe's result for the parent to parse (public for probes in other packages). */
  public static void emit(ObjectNode result) {
    System.out.println(RESULT_PREFIX + result);
    System.out.flush();
  }
}
