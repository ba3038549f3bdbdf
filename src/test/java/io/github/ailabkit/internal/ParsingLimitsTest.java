package io.github.ailabkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.ClientSeams;
import io.github.ailabkit.testing.PollScript;
import io.github.ailabkit.testing.RecordedSleeper;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parsing limits of {@link Json} at their edges: an answer just within each limit is read, one just
 * past it is refused with a typed, non-retryable {@link AILabApiException} after a single request.
 */
class ParsingLimitsTest {
  private static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";

  @StartStop final MockWebServer server = PollScript.newServer();
  private AILabClient client;

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
  }

  static Stream<Arguments> edges() {
    int string = Json.MAX_STRING_CHARS;
    int depth = Json.MAX_NESTING;
    // {"data":[0,0,...]} has 5 tokens around the array's n zeros
    int zeros = Json.MAX_TOKENS - 5;
    return Stream.of(
        Arguments.of("string", "{\"data\":\"" + "a".repeat(string) + "\"}", "{\"data\":\"" + "a".repeat(string + 1) + "\"}"),
        Arguments.of("nesting", "{\"data\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}",
            "{\"data\":" + "[".repeat(depth) + "]".repeat(depth) + "}"),
        Arguments.of("tokens", "{\"data\":[" + "0,".repeat(zeros - 1) + "0]}",
            "{\"data\":[" + "0,".repeat(zeros) + "0]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edges")
  void anAnswerWithinALimitIsReadAndOnePastItIsRefusedOnce(String limit, String within, String past) {
    client = ClientSeams.recorded(AILabClient.builder().apiKey("sk-limits").baseUrl(server.url("/").toString()),
        new RecordedSleeper()).build();
    server.enqueue(json(within));
    server.enqueue(json(past));

    assertThat(client.getTaskResult(TASK_ID).data()).isNotNull();
    AILabApiException refused = catchThrowableOfType(AILabApiException.class, () -> client.getTaskResult(TASK_ID));

    assertThat(refused).isNotNull();
    assertThat(refused.getMessage()).contains("parsing limits");
    assertThat(refused.isRetryable()).isFalse();
    assertThat(server.getRequestCount()).as("refused without a retry").isEqualTo(2);
  }

  @Test
  void aGzipBombPastTheCapIsRefusedCountingDecodedBytes() throws Exception {
    client = ClientSeams.recorded(AILabClient.builder().apiKey("sk-limits").baseUrl(server.url("/").toString()),
        new RecordedSleeper()).build();
    Buffer zipped = new Buffer();
    try (okio.BufferedSink sink = okio.Okio.buffer(new okio.GzipSink(zipped))) {
      sink.writeUtf8("{\"data\":\"");
      sink.write(new byte[17 << 20]);
    }
    server.enqueue(new MockResponse.Builder().setHeader("Content-Encoding", "gzip")
        .setHeader("Content-Type", "application/json").body(zipped).build());

    AILabApiException refused = catchThrowableOfType(AILabApiException.class, () -> client.getTaskResult(TASK_ID));

    assertThat(refused).isNotNull();
    assertThat(refused.getMessage()).contains("larger than 16 MiB");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(body).build();
  }
}
