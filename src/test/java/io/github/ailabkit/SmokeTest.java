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

  @Test
  void submitsStreamsAndDownloads(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path img = dir.resolve("me.jpeg");
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3};
    java.nio.file.Files.write(img, png);
    server.enqueue(new MockResponse.Builder().body("{\"request_id\":\"s1\",\"task_id\":\"t-1\"}").build());
    server.enqueue(new MockResponse.Builder().body("{\"task_status\":2,\"data\":{\"images\":[\"" + server.url("/files/out.png") + "?sig=abc\"]}}").build());
    server.enqueue(new MockResponse.Builder().body("PNGDATA").build());
    try (AILabClient client = AILabClient.builder().apiKey("k3y").baseUrl(server.url("/").toString()).build()) {
      AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, Form.create().file("image", img).field("hair_style", "BuzzCut"));
      assertThat(task.taskId()).isEqualTo("t-1");
      RecordedRequest submit = server.takeRequest();
      String body = submit.getBody().utf8();
      assertThat(body).contains("filename=\"me.png\"").contains("Content-Type: image/png").contains("BuzzCut");
      TaskResult done = task.await(TaskPoller.builder(client).interval(Duration.ofMillis(5)).build());
      java.util.List<java.net.URI> urls = ResultFiles.urls(done);
      assertThat(urls).hasSize(1);
      java.nio.file.Path out = ResultFiles.download(client, urls.get(0), dir.resolve("out.png"));
      assertThat(java.nio.file.Files.readString(out)).isEqualTo("PNGDATA");
      server.takeRequest();
      assertThat(server.takeRequest().getHeaders().get("ailabapi-api-key")).isNull();
    }
  }
}
