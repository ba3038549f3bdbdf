package io.github.ailabkit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.testing.TestServers;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Forked by {@link BenchmarkSuite}: the client-side CPU time of one query, SDK against raw OkHttp + Jackson.
 * Wall-clock latency over loopback includes the server's work and the scheduler's, which on a busy machine
 * hide a small client overhead in noise; CPU time of the calling thread (which runs the whole synchronous
 * call, interceptors included) does not. Both variants run in this one JVM, warmed up, then in alternating
 * blocks so that they share JIT state, GC and background load alike.
 *
 * <p>Arguments: {@code baseUrl warmupCalls blocks callsPerBlock}.
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
    try (AILabClient client = AILabClient.builder().apiKey(Fixtures.API_KEY).baseUrl(baseUrl).build()) {
      OkHttpClient raw = Fixtures.rawOkHttp();
      ObjectMapper mapper = new ObjectMapper();
      HttpUrl base = HttpUrl.get(baseUrl);
      Call sdk = () -> client.getTaskResult(Fixtures.TASK_ID);
      Call baseline = () -> Fixtures.rawGetTaskResult(raw, mapper, base, Fixtures.TASK_ID);
      for (int i = 0; i < warmup; i++) {
        sdk.run();
        baseline.run();
      }
      long[] cpu = new long[2];
      long[] wall = new long[2];
      for (int block = 0; block < blocks; block++) {
        for (int v = 0; v < 2; v++) {
          Call call = (block + v) % 2 == 0 ? sdk : baseline; // alternate which goes first
          int slot = call == sdk ? 0 : 1;
          long c0 = threads.getCurrentThreadCpuTime();
          long w0 = System.nanoTime();
          for (int i = 0; i < perBlock; i++) {
            call.run();
          }
          wall[slot] += System.nanoTime() - w0;
          cpu[slot] += threads.getCurrentThreadCpuTime() - c0;
        }
      }
      long calls = (long) blocks * perBlock;
      ObjectNode out = Fixtures.MAPPER.createObjectNode();
      out.put("calls", calls);
      out.put("sdkCpuMicros", cpu[0] / 1e3 / calls);
      out.put("rawCpuMicros", cpu[1] / 1e3 / calls);
      out.put("sdkWallMicros", wall[0] / 1e3 / calls);
      out.put("rawWallMicros", wall[1] / 1e3 / calls);
      Fixtures.emit(out);
      TestServers.shutDown(raw);
    }
  }

  private interface Call {
    void run() throws Exception;
  }
}
