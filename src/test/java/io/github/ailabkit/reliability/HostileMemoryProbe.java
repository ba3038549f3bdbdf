package io.github.ailabkit.reliability;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.testing.HostileServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

/**
 * Run by {@link HostileMemoryTest} in a child JVM with a small heap: {@value #THREADS} threads each query
 * every kind of hostile answer (gzip, so each is a few KB on the wire and just under 16 MiB decoded) at
 * once. Prints one line per outcome type and exits 0 only if every call ended in an {@link AILabException}
 * and no thread anywhere met an {@link OutOfMemoryError}.
 */
public final class HostileMemoryProbe {
  static final int THREADS = 8;
  private static final int SIZE = 16 * 1024 * 1024 - 1024;

  private HostileMemoryProbe() {
  }

  /** Answers that are small on the wire and cost much to read, by the task id that asks for them. */
  static Map<String, byte[]> answers() throws IOException {
    Map<String, byte[]> answers = new ConcurrentHashMap<>();
    answers.put("empty-objects", gzip("{\"data\":[", "{},", "{}]}"));
    answers.put("zeros", gzip("{\"data\":[", "0,", "0]}"));
    answers.put("string", gzip("{\"data\":\"", "a", "\"}"));
    answers.put("nesting", gzip("{\"data\":", "[", ""));
    answers.put("names", names());
    answers.put("number", gzip("{\"task_status\":", "9", "}"));
    return answers;
  }

  /** Runs the probe; see the class comment. */
  public static void main(String[] args) throws Exception {
    AtomicReference<Throwable> outOfMemory = new AtomicReference<>();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> outOfMemory.compareAndSet(null, e));
    Map<String, byte[]> answers = answers();
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    try (HostileServer server = new HostileServer(requestLine -> answer(answers, requestLine));
        AILabClient client = AILabClient.builder().apiKey("sk-probe").baseUrl(server.url("/")).build()) {
      List<String> kinds = new ArrayList<>(answers.keySet());
      CountDownLatch done = new CountDownLatch(THREADS);
      for (int t = 0; t < THREADS; t++) {
        int first = t;
        Thread thread = new Thread(() -> {
          try {
            for (int i = 0; i < kinds.size(); i++) {
              String kind = kinds.get((first + i) % kinds.size());
              String outcome;
              try {
                outcome = "returned " + client.getTaskResult(kind).taskStatus();
              } catch (AILabException e) {
                outcome = "typed " + e.getClass().getSimpleName() + (e instanceof io.github.ailabkit.AILabIOException ? " " + e.getMessage() : "");
              } catch (Throwable e) {
                outOfMemory.compareAndSet(null, e instanceof OutOfMemoryError ? e : null);
                outcome = "untyped " + e.getClass().getName();
              }
              outcomes.computeIfAbsent(kind + ": " + outcome, k -> new AtomicInteger()).incrementAndGet();
            }
          } finally {
            done.countDown();
          }
        }, "probe-" + t);
        thread.start();
      }
      if (!done.await(5, TimeUnit.MINUTES)) {
        System.out.println("TIMED OUT");
        System.exit(2);
      }
    }
    outcomes.forEach((outcome, count) -> System.out.println(count + " x " + outcome));
    boolean allTyped = outcomes.keySet().stream().allMatch(o -> o.contains(": typed "));
    System.out.println(outOfMemory.get() == null ? "no OutOfMemoryError" : "FAILED: " + outOfMemory.get());
    System.exit(allTyped && outOfMemory.get() == null ? 0 : 1);
  }

  private static byte[] answer(Map<String, byte[]> answers, String requestLine) {
    String kind = requestLine.replaceAll(".*task_id=([a-z-]+).*", "$1");
    byte[] body = answers.getOrDefault(kind, new byte[0]);
    String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
        + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }

  /** {@code start}, then {@code unit} repeated to fill the size, then {@code end}, gzipped. */
  private static byte[] gzip(String start, String unit, String end) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream zip = new GZIPOutputStream(out)) {
      zip.write(start.getBytes(StandardCharsets.US_ASCII));
      byte[] repeated = unit.repeat(4096).getBytes(StandardCharsets.US_ASCII);
      for (long written = 0; written + repeated.length < SIZE; written += repeated.length) {
        zip.write(repeated);
      }
      zip.write(end.getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  /** An object with ever new field names, each a new string and map entry. */
  private static byte[] names() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream zip = new GZIPOutputStream(out)) {
      zip.write("{\"data\":{".getBytes(StandardCharsets.US_ASCII));
      long written = 0;
      for (int i = 0; written < SIZE - 64; i++) {
        byte[] field = ("\"k" + i + "\":{},").getBytes(StandardCharsets.US_ASCII);
        zip.write(field);
        written += field.length;
      }
      zip.write("\"end\":0}}".getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }
}
