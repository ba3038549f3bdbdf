package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ailabkit.testing.PollScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download is bounded by {@code maxDownloadSize}, counted on the decoded bytes: a small gzip answer that
 * decodes to more, or a host that announces or sends more, fails with {@link AILabException} and leaves no
 * file, partial or complete, behind.
 */
class DownloadSizeTest {
  private static final int LIMIT = 1024 * 1024;

  @StartStop final MockWebServer host = PollScript.newServer();
  @TempDir Path dir;
  private AILabClient client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
  }

  private AILabClient client() {
    client = AILabClient.builder().apiKey("sk-size").baseUrl(host.url("/").toString()).maxDownloadSize(LIMIT)
        .maxRetries(0).build();
    return client;
  }

  @Test
  void aGzipBombIsRefusedOnItsDecodedSizeAndLeavesNoFile() throws IOException {
    Buffer zipped = new Buffer();
    try (BufferedSink sink = Okio.buffer(new GzipSink(zipped))) {
      sink.write(new byte[3 * LIMIT]);
    }
    assertThat(zipped.size()).as("small on the wire").isLessThan(LIMIT / 100);
    host.enqueue(new MockResponse.Builder().setHeader("Content-Encoding", "gzip").body(zipped).build());

    Throwable thrown = catchThrowable(() -> ResultFiles.download(client(), host.url("/f.png?sig=s3cr3t").uri(),
        dir.resolve("f.png")));

    assertThat(thrown).isInstanceOf(AILabException.class).hasMessageContaining("maxDownloadSize")
        .hasMessageNotContaining("s3cr3t");
    assertDirectoryEmpty();
  }

  @Test
  void anAnnouncedLengthOverTheLimitIsRefusedBeforeAnyByteIsWritten() throws IOException {
    host.enqueue(new MockResponse.Builder().body(new Buffer().write(new byte[LIMIT + 1])).build());

    Throwable thrown = catchThrowable(() -> ResultFiles.download(client(), host.url("/f.png").uri(),
        dir.resolve("f.png")));

    assertThat(thrown).isInstanceOf(AILabException.class).hasMessageContaining("Content-Length");
    assertDirectoryEmpty();
  }

  @Test
  void aFileOfExactlyTheLimitIsKept() throws IOException {
    host.enqueue(new MockResponse.Builder().body(new Buffer().write(new byte[LIMIT])).build());

    Path file = ResultFiles.download(client(), host.url("/f.png").uri(), dir.resolve("f.png"));

    assertThat(Files.size(file)).isEqualTo(LIMIT);
  }

  @Test
  void theLimitMustBePositive() {
    assertThat(catchThrowable(() -> AILabClient.builder().maxDownloadSize(0)))
        .isExactlyInstanceOf(IllegalArgumentException.class);
    assertThat(AILabClient.Builder.DEFAULT_MAX_DOWNLOAD_SIZE).isEqualTo(256L * 1024 * 1024);
  }

  private void assertDirectoryEmpty() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("no file left behind").isEmpty();
    }
  }
}
