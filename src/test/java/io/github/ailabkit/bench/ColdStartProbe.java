package io.github.ailabkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.testing.TestServers;
import java.lang.management.ManagementFactory;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Forked by {@link BenchmarkSuite} in a fresh JVM each time: the time from building a client to the first
 * completed task query. Nothing is touched before the clock starts, so class loading and initialisation of
 * OkHttp, Jackson (and the SDK) all count.
 *
 * <p>Arguments: {@code sdk|raw baseUrl}.
 */
public final class ColdStartProbe {
  private ColdStartProbe() {
  }

  public static void main(String[] args) throws Exception {
    String variant = args[0];
    long t0 = System.nanoTime();
    long t1;
    long wall1;
    if (variant.equals("sdk")) {
      AILabClient client = AILabClient.builder().apiKey(Fixtures.API_KEY).baseUrl(args[1]).build();
      TaskResult result = client.getTaskResult(Fixtures.TASK_ID);
      t1 = System.nanoTime();
      wall1 = System.currentTimeMillis();
      if (!result.isCompleted()) {
        throw new IllegalStateException("not completed: " + result);
      }
      client.close();
    } else {
      OkHttpClient http = Fixtures.rawOkHttp();
      JsonNode root = Fixtures.rawGetTaskResult(http, new ObjectMapper(), HttpUrl.get(args[1]), Fixtures.TASK_ID);
      t1 = System.nanoTime();
      wall1 = System.currentTimeMillis();
      if (root.path("task_status").asInt() != 2) {
        throw new IllegalStateException("not completed: " + root);
      }
      TestServers.shutDown(http);
    }
    long sinceJvmStart = wall1 - ManagementFactory.getRuntimeMXBean().getStartTime();
    ObjectNode out = Fixtures.MAPPER.createObjectNode();
    out.put("variant", variant);
    out.put("firstCallMillis", (t1 - t0) / 1e6);
    out.put("jvmStartToResultMillis", sinceJvmStart);
    Fixtures.emit(out);
  }
}
