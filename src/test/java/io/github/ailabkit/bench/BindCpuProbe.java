package io.github.ailabkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.ApiResponse;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.ErrorDetail;
import io.github.ailabkit.internal.Json;
import io.github.ailabkit.params.FaceAnalyzerResponse;
import io.github.ailabkit.simulator.AILabSimulator;
import io.github.ailabkit.testing.ValidForms;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;

/**
 * Forked by {@link BenchmarkSuite}: the CPU time of binding Face Analyzer's answer into
 * {@link FaceAnalyzerResponse} against a Jackson {@code readTree} of the same body, with the SDK's mapper.
 *
 * <p>The body is the embedded simulator's answer to a real call (the documented example with plausible
 * values), fetched once before measuring. "Bind" is what the typed face adds to a call: the SDK parses
 * every answer into a tree anyway (for {@link ApiResponse#body()}) and {@code from} binds from that tree;
 * "parse and bind" goes from bytes to the record, for reference. CPU time of this thread, not wall time,
 * so that a busy machine does not decide the ratio; the three run warmed up, in rotating blocks, in one
 * JVM, sharing JIT state, GC and background load alike.
 *
 * <p>Arguments: {@code warmupRounds blocks opsPerBlock}.
 */
public final class BindCpuProbe {
  private BindCpuProbe() {
  }

  public static void main(String[] args) throws Exception {
    int warmup = Integer.parseInt(args[0]);
    int blocks = Integer.parseInt(args[1]);
    int perBlock = Integer.parseInt(args[2]);
    ObjectMapper mapper = Json.mapper();
    byte[] body;
    try (AILabSimulator sim = AILabSimulator.builder().start();
        AILabClient client = AILabClient.builder().apiKey(sim.apiKey()).baseUrl(sim.baseUrl()).build()) {
      ApiResponse answer = client.call(Endpoints.FACE_ANALYZER,
          ValidForms.minimal(Endpoints.FACE_ANALYZER, Files.createTempDirectory("bind-probe")));
      body = mapper.writeValueAsBytes(answer.body());
    }
    ApiResponse parsed = answer(mapper.readTree(body));
    Op[] ops = {
        () -> mapper.readTree(body),
        () -> FaceAnalyzerResponse.from(parsed),
        () -> FaceAnalyzerResponse.from(answer(mapper.readTree(body)))};
    Object sink = null;
    for (int i = 0; i < warmup; i++) {
      for (Op op : ops) {
        sink = op.run();
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] cpu = new long[ops.length];
    for (int block = 0; block < blocks; block++) {
      for (int k = 0; k < ops.length; k++) {
        int slot = (block + k) % ops.length; // rotate which goes first
        long c0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < perBlock; i++) {
          sink = ops[slot].run();
        }
        cpu[slot] += threads.getCurrentThreadCpuTime() - c0;
      }
    }
    long n = (long) blocks * perBlock;
    ObjectNode out = Fixtures.MAPPER.createObjectNode();
    out.put("ops", n);
    out.put("bodyBytes", body.length);
    out.put("readTreeNanos", (double) cpu[0] / n);
    out.put("bindNanos", (double) cpu[1] / n);
    out.put("parseAndBindNanos", (double) cpu[2] / n);
    out.put("sink", sink == null ? 0 : 1);
    Fixtures.emit(out);
  }

  private static ApiResponse answer(JsonNode tree) {
    return new ApiResponse(Json.text(tree, "request_id"), Json.text(tree, "log_id"), ErrorDetail.NONE, tree);
  }

  private interface Op {
    Object run() throws Exception;
  }
}
