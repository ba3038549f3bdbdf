package io.github.ailabkit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.micrometer.MicrometerEventListener;
import io.github.ailabkit.testing.TestServers;
import java.lang.management.ManagementFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ThreadMXBean;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Forked by {@link BenchmarkSuite}: the client-side CPU time of one query, SDK against raw OkHttp + Jackson,
 * and the SDK with a {@link MicrometerEventListener} on a {@link SimpleMeterRegistry} installed against the
 * SDK without a listener.
 * Wall-clock latency over loopback includes the server's work and the scheduler's, which on a busy machine
 * hide a small client overhead in noise; CPU time of the calling thread (which runs the whole synchronous
 * call, interceptors included) does not. The three variants run in this one JVM, warmed up, then in rotating
 * blocks so that they share JIT state, GC and background load alike.
 *
 * <p>Arguments: {@code baseUrl warmupCalls blocks callsPerBlock}. Besides the totals it reports, per run, the
 * median over rotations of each rotation's CPU ratio (SDK / raw, metered SDK / SDK): on a shared machine a
 * load spike then skews one rotation, not the run.
 */
public final class QueryCpuProbe {
  private QueryCpuProbe() {
  }

  public static void main(String[] args) throws Exception {
    String baseUrl = args[0];
    int warmup = Integer.parseInt(args[1]);
    int blocks = Integer.parseInt(args[2]);
    int perBlock = Integer.parseInt(args[3]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (AILabClient client = AILabClient.builder().apiKey(Fixtures.API_KEY).baseUrl(baseUrl).build();
         AILabClient metered = AILabClient.builder().apiKey(Fixtures.API_KEY).baseUrl(baseUrl)
             .eventListener(MicrometerEventListener.of(registry)).build()) {
      OkHttpClient raw = Fixtures.rawOkHttp();
      ObjectMapper mapper = new ObjectMapper();
      HttpUrl base = HttpUrl.get(baseUrl);
      Call[] variants = {
          () -> client.getTaskResult(Fixtures.TASK_ID),
          () -> Fixtures.rawGetTaskResult(raw, mapper, base, Fixtures.TASK_ID),
          () -> metered.getTaskResult(Fixtures.TASK_ID),
      };
      for (int i = 0; i < warmup; i++) {
        for (Call variant : variants) {
          variant.run();
        }
      }
      long[] cpu = new long[variants.length];
      long[] wall = new long[variants.length];
      // per rotation, each variant's CPU time: the ratios of one rotation share the same moment's load
      double[] sdkToRaw = new double[blocks];
      double[] meteredToSdk = new double[blocks];
      for (int block = 0; block < blocks; block++) {
        long[] blockCpu = new long[variants.length];
        for (int v = 0; v < variants.length; v++) {
          int slot = (block + v) % variants.length; // rotate which goes first
          long c0 = threads.getCurrentThreadCpuTime();
          long w0 = System.nanoTime();
          for (int i = 0; i < perBlock; i++) {
            variants[slot].run();
          }
          wall[slot] += System.nanoTime() - w0;
          blockCpu[slot] = threads.getCurrentThreadCpuTime() - c0;
          cpu[slot] += blockCpu[slot];
        }
        sdkToRaw[block] = blockCpu[0] / (double) blockCpu[1];
        meteredToSdk[block] = blockCpu[2] / (double) blockCpu[0];
      }
      long timed = registry.get("ailab.client.requests").timer().count();
      if (timed != (long) (warmup + blocks * perBlock)) {
        throw new IllegalStateException("the metered client recorded " + timed + " requests");
      }
      long calls = (long) blocks * perBlock;
      ObjectNode out = Fixtures.MAPPER.createObjectNode();
      out.put("calls", calls);
      out.put("sdkCpuMicros", cpu[0] / 1e3 / calls);
      out.put("rawCpuMicros", cpu[1] / 1e3 / calls);
      out.put("sdkWallMicros", wall[0] / 1e3 / calls);
      out.put("rawWallMicros", wall[1] / 1e3 / calls);
      out.put("meteredCpuMicros", cpu[2] / 1e3 / calls);
      out.put("meteredWallMicros", wall[2] / 1e3 / calls);
      out.put("sdkToRawMedian", median(sdkToRaw));
      out.put("meteredToSdkMedian", median(meteredToSdk));
      Fixtures.emit(out);
      TestServers.shutDown(raw);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private interface Call {
    void run() throws Exception;
  }
}
