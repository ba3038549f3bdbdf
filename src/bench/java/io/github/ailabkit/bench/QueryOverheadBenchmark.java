package io.github.ailabkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.TaskResult;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-query overhead: {@code client.getTaskResult(id)} against a raw OkHttp GET plus Jackson
 * {@code readTree} of the same answer, over keep-alive loopback HTTP.
 *
 * <p>The server runs in another JVM ({@link BenchmarkSuite} passes its URL as {@code -Dbench.url}), so
 * {@code gc.alloc.rate.norm} counts the client's allocations only. Run alone, it starts a MockWebServer in
 * the benchmark JVM instead (then the server's allocations are counted too, equally for both).
 *
 * <p>Lives in {@code src/bench/java}, compiled only by {@code -Pbench}, because it needs jmh-core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueryOverheadBenchmark {
  private BenchServer localServer;
  private AILabClient client;
  private OkHttpClient raw;
  private ObjectMapper mapper;
  private HttpUrl base;

  @Setup
  public void setUp() throws IOException {
    String url = System.getProperty("bench.url");
    if (url == null || url.isBlank()) {
      localServer = BenchServer.fixed(Fixtures.COMPLETED_BODY);
      url = localServer.baseUrl();
    }
    base = HttpUrl.get(url);
    client = AILabClient.builder().apiKey(Fixtures.API_KEY).baseUrl(url).build();
    raw = Fixtures.rawOkHttp();
    mapper = new ObjectMapper();
  }

  @TearDown
  public void tearDown() {
    client.close();
    raw.dispatcher().executorService().shutdown();
    raw.connectionPool().evictAll();
    if (localServer != null) {
      localServer.close();
    }
  }

  /** The SDK: validation, retry and key interceptors, typed errors, a {@link TaskResult}. */
  @Benchmark
  public TaskResult sdk() {
    return client.getTaskResult(Fixtures.TASK_ID);
  }

  /** The baseline: a hand-written GET and {@code readTree}. */
  @Benchmark
  public JsonNode raw() throws IOException {
    return Fixtures.rawGetTaskResult(raw, mapper, base, Fixtures.TASK_ID);
  }
}
