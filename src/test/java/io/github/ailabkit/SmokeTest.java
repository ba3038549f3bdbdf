package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @StartStop final MockWebServer server = new MockWebServer();

  @Test
  void pollsUntilCompleted() throws Exception {
    for (int s : new int[] {0, 1, 1}) {
      server.enqueue(new MockResponse.Builder().body("{\"task_status\":" + s + "}").build());
    }
    server.enqueue(new MockResponse.Builder().body("{\"request_id\":\"r\",\"task_status\":2,\"data\":{\"image\":\"u\"}}").build());
    try (AILabClient client = AILabClient.builder().apiKey("k3y").baseUrl(server.url("/").toString()).build()) {
      TaskResult r = TaskPoller.builder(client).interval(Duration.ofMillis(10)).build().awaitCompletion("a&task_id=b");
      assertThat(r.isCompleted()).isTrue();
      assertThat(r.data().path("image").asText()).isEqualTo("u");
      RecordedRequest req = server.takeRequest();
      assertThat(req.getUrl().queryParameterValues("task_id")).containsExactly("a&task_id=b");
      assertThat(req.getHeaders().get("ailabapi-api-key")).isEqualTo("k3y");
      assertThat(server.getRequestCount()).isEqualTo(4);
    }
  }
}
