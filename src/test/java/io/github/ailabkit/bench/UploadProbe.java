package io.github.ailabkit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.Form;
import io.github.ailabkit.testing.TestServers;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Forked by {@link BenchmarkSuite}, one fresh JVM per variant and size: uploads one file to the
 * {@link DiscardServer} and reports how much the client's live heap grew while the body was in flight, and
 * how many bytes its threads allocated.
 *
 * <p>Arguments: {@code sdk|raw baseUrl file warmupFile}. {@code sdk} is
 * {@code client.call(Endpoints.UNIVERSAL_BACKGROUND_REMOVAL, Form.create().file("image", file))};
 * {@code raw} reads the file into a byte[] and posts it with a raw OkHttp multipart body.
 *
 * <p>Live heap is sampled by a side thread that runs {@code System.gc()} and reads the used heap every
 * 10 ms while the upload runs (the server reads at a capped rate so there are many samples); the figure is
 * the highest sample minus the used heap after GC just before the upload.
 */
public final class UploadProbe {
  private UploadProbe() {
  }

  public static void main(String[] args) throws Exception {
    String variant = args[0];
    HttpUrl base = HttpUrl.get(args[1]);
    Path file = Path.of(args[2]);
    Path warmup = Path.of(args[3]);

    AILabClient client = AILabClient.builder().apiKey(Fixtures.API_KEY).baseUrl(args[1]).build();
    OkHttpClient raw = Fixtures.rawOkHttp();
    ObjectMapper mapper = new ObjectMapper();
    UploadAction upload = variant.equals("sdk")
        ? path -> client.call(Endpoints.UNIVERSAL_BACKGROUND_REMOVAL, Form.create().file("image", path))
        : path -> Fixtures.rawUpload(raw, mapper, base, path);
    for (int i = 0; i < 3; i++) {
      upload.run(warmup); // load classes and warm the connection code outside the measurement
    }

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long heapBefore = Fixtures.usedHeapAfterGc();
    long[] peak = {heapBefore};
    int[] samples = {0};
    RunFlag running = new RunFlag();
    Thread sampler = new Thread(() -> {
      while (running.on) {
        System.gc();
        long used = memory.getHeapMemoryUsage().getUsed();
        peak[0] = Math.max(peak[0], used);
        samples[0]++;
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-heap-sampler");
    Map<Long, Long> allocatedBefore = allocatedByThread(threads, -1);
    sampler.start();
    long t0 = System.nanoTime();
    upload.run(file);
    long t1 = System.nanoTime();
    running.on = false;
    sampler.join();
    Map<Long, Long> allocatedAfter = allocatedByThread(threads, sampler.getId());
    long allocated = 0;
    for (Map.Entry<Long, Long> e : allocatedAfter.entrySet()) {
      allocated += e.getValue() - allocatedBefore.getOrDefault(e.getKey(), 0L);
    }

    ObjectNode out = Fixtures.MAPPER.createObjectNode();
    out.put("variant", variant);
    out.put("fileBytes", java.nio.file.Files.size(file));
    out.put("elapsedMillis", (t1 - t0) / 1e6);
    out.put("heapBefore", heapBefore);
    out.put("heapPeak", peak[0]);
    out.put("samples", samples[0]);
    out.put("allocatedBytes", allocated);
    Fixtures.emit(out);
    client.close();
    TestServers.shutDown(raw);
  }

  private static Map<Long, Long> allocatedByThread(com.sun.management.ThreadMXBean threads, long exclude) {
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> byThread = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] != exclude && bytes[i] >= 0) {
        byThread.put(ids[i], bytes[i]);
      }
    }
    return byThread;
  }

  private interface UploadAction {
    void run(Path file) throws Exception;
  }

  private static final class RunFlag {
    volatile boolean on = true;
  }
}
