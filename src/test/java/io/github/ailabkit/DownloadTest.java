package io.github.ailabkit;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.RecordedSleeper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Downloading result files from the object-storage host: streamed, retried, atomic, and never with the API
 * key. The API and the file host are two different servers, as in production.
 */
class DownloadTest {
  private static final String KEY = "download-key-0123456789";
  private static final String SIGNED_QUERY = "Expires=1714829772&OSSAccessKeyId=LTAI5tQ&Signature=s3cr3tSig%2Bx";

  @StartStop final MockWebServer api = new MockWebServer();
  @StartStop final MockWebServer files = new MockWebServer();
  @TempDir Path dir;

  private final RecordedSleeper sleeper = new RecordedSleeper();
  private AILabClient client;
  private byte[] image;
  private URI url;

  @BeforeEach
  void setUp() {
    client = builder().build();
    image = Images.bytes(ImageFormat.PNG, 300_000);
    url = files.url("/results/2024/out.png").newBuilder().encodedQuery(SIGNED_QUERY).build().uri();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private AILabClient.Builder builder() {
    return ClientSeams.recorded(KEY, api, sleeper).maxRetries(2);
  }

  private MockResponse ok(byte[] body) {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "image/png").body(new Buffer().write(body))
        .build();
  }

  /** A 200 whose body stops after half of the bytes its Content-Length announces, then the socket closes. */
  private MockResponse cutShort(byte[] body) {
    byte[] half = java.util.Arrays.copyOf(body, body.length / 2);
    return new MockResponse.Builder().code(200).body(new Buffer().write(half))
        .setHeader("Content-Length", body.length)
        .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE)
        .build();
  }

  private List<Path> filesIn(Path directory) throws IOException {
    try (Stream<Path> listing = Files.list(directory)) {
      return listing.toList();
    }
  }

  // ---- the happy path ----

  @Test
  void streamsTheFileToTheTargetWithoutTheApiKey() throws Exception {
    files.enqueue(ok(image));
    Path target = dir.resolve("nested/dirs/result.png");

    Path written = ResultFiles.download(client, url, target);

    assertThat(written).isEqualTo(target);
    assertThat(Files.readAllBytes(target)).isEqualTo(image);
    RecordedRequest request = files.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/results/2024/out.png");
    assertThat(request.getUrl().encodedQuery()).isEqualTo(SIGNED_QUERY);
    assertThat(request.getHeaders().names()).doesNotContain("ailabapi-api-key");
    assertThat(request.getHeaders().toString()).doesNotContain(KEY);
    assertThat(api.getRequestCount()).isZero();
    assertThat(filesIn(target.getParent())).containsExactly(target);
  }

  @Test
  void aLongNonAsciiTargetNameThatTheFileSystemAcceptsIsWritten() throws Exception {
    Path target = dir.resolve("照".repeat(80) + ".png"); // 244 bytes in UTF-8, under the usual 255-byte limit
    Files.write(target, new byte[] {1});
    Files.delete(target);
    files.enqueue(ok(image));

    ResultFiles.download(client, url, target);

    assertThat(Files.readAllBytes(target)).isEqualTo(image);
    assertThat(filesIn(dir)).containsExactly(target);
  }

  @Test
  void noApiKeyEvenWhenTheFileIsServedFromTheApiHost() throws Exception {
    api.enqueue(ok(image));

    ResultFiles.download(client, api.url("/files/out.png").uri(), dir.resolve("out.png"));

    assertThat(api.takeRequest().getHeaders().names()).doesNotContain("ailabapi-api-key");
  }

  @Test
  void redirectsOfTheFileHostAreFollowedWithoutTheKey() throws Exception {
    files.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "/moved/out.png?sig=1").build());
    files.enqueue(ok(image));

    ResultFiles.download(client, url, dir.resolve("out.png"));

    assertThat(Files.readAllBytes(dir.resolve("out.png"))).isEqualTo(image);
    assertThat(files.takeRequest().getHeaders().names()).doesNotContain("ailabapi-api-key");
    RecordedRequest moved = files.takeRequest();
    assertThat(moved.getUrl().encodedPath()).isEqualTo("/moved/out.png");
    assertThat(moved.getHeaders().names()).doesNotContain("ailabapi-api-key");
  }

  // ---- retries ----

  @Test
  void a503IsRetried() throws Exception {
    files.enqueue(new MockResponse.Builder().code(503).body("busy").build());
    files.enqueue(ok(image));

    ResultFiles.download(client, url, dir.resolve("out.png"));

    assertThat(Files.readAllBytes(dir.resolve("out.png"))).isEqualTo(image);
    assertThat(files.getRequestCount()).isEqualTo(2);
    assertThat(sleeper.sleeps()).hasSize(1);
    assertThat(filesIn(dir)).containsExactly(dir.resolve("out.png"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "99999999999"})
  void retryAfterOfTheFileHostIsReadByTheSdkNotByOkHttp(String retryAfter) throws Exception {
    // OkHttp would repeat a 503 with Retry-After: 0 on its own, and fail with a NumberFormatException on a huge one.
    for (int i = 0; i < 3; i++) {
      files.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", retryAfter).body("busy").build());
    }

    assertThatThrownBy(() -> ResultFiles.download(client, url, dir.resolve("out.png")))
        .isInstanceOfSatisfying(AILabApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(503));
    assertThat(files.getRequestCount()).isEqualTo(3); // the first try and two retries, no more
    assertThat(sleeper.sleeps()).hasSize(2);
  }

  @Test
  void aBodyCutShortIsDownloadedAgainAndTheFileIsComplete() throws Exception {
    files.enqueue(cutShort(image));
    files.enqueue(ok(image));

    ResultFiles.download(client, url, dir.resolve("out.png"));

    assertThat(Files.readAllBytes(dir.resolve("out.png"))).isEqualTo(image);
    assertThat(files.getRequestCount()).isEqualTo(2);
    assertThat(filesIn(dir)).containsExactly(dir.resolve("out.png"));
  }

  @Test
  void aConnectionDroppedMidBodyIsDownloadedAgain() throws Exception {
    files.enqueue(new MockResponse.Builder(ok(image)).onResponseBody(new SocketEffect.CloseSocket()).build());
    files.enqueue(ok(image));

    ResultFiles.download(client, url, dir.resolve("out.png"));

    assertThat(Files.readAllBytes(dir.resolve("out.png"))).isEqualTo(image);
    assertThat(files.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aHostThatStallsMidBodyIsDownloadedAgain() throws Exception {
    // Headers arrive, then the body stalls longer than the read timeout: the storage host's known failure.
    client.close();
    client = builder().readTimeout(Duration.ofMillis(150)).build();
    files.enqueue(new MockResponse.Builder(ok(image)).bodyDelay(500, MILLISECONDS).build());
    files.enqueue(ok(image));

    ResultFiles.download(client, url, dir.resolve("out.png"));

    assertThat(Files.readAllBytes(dir.resolve("out.png"))).isEqualTo(image);
    assertThat(files.getRequestCount()).isEqualTo(2);
    assertThat(filesIn(dir)).containsExactly(dir.resolve("out.png"));
  }

  @Test
  void finalFailureLeavesNeitherATargetNorATemporaryFile() throws Exception {
    for (int i = 0; i < 3; i++) {
      files.enqueue(cutShort(image));
    }
    files.enqueue(ok(image)); // never reached: maxRetries(2) allows three attempts
    Path target = dir.resolve("out.png");

    assertThatThrownBy(() -> ResultFiles.download(client, url, target))
        .isInstanceOf(AILabIOException.class)
        .hasMessageContaining("/results/2024/out.png")
        .hasMessageNotContaining("Signature")
        .hasMessageNotContaining("s3cr3tSig");

    assertThat(files.getRequestCount()).isEqualTo(3);
    assertThat(target).doesNotExist();
    assertThat(filesIn(dir)).isEmpty();
  }

  @Test
  void anExistingTargetIsReplacedOnlyOnSuccess() throws Exception {
    Path target = dir.resolve("out.png");
    Files.writeString(target, "previous result");
    for (int i = 0; i < 3; i++) {
      files.enqueue(cutShort(image));
    }

    assertThatThrownBy(() -> ResultFiles.download(client, url, target)).isInstanceOf(AILabIOException.class);
    assertThat(Files.readString(target)).isEqualTo("previous result");
    assertThat(filesIn(dir)).containsExactly(target);

    files.enqueue(ok(image));
    ResultFiles.download(client, url, target);
    assertThat(Files.readAllBytes(target)).isEqualTo(image);
    assertThat(filesIn(dir)).containsExactly(target);
  }

  @Test
  void anUnreachableFileHostIsRetriedOnlyMaxRetriesTimes() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    URI unreachable = URI.create("http://127.0.0.1:" + port + "/out.png?" + SIGNED_QUERY);

    assertThatThrownBy(() -> ResultFiles.download(client, unreachable, dir.resolve("out.png")))
        .isInstanceOf(AILabIOException.class)
        .hasMessageNotContaining("s3cr3tSig");
    // Three attempts in all: retries are not multiplied by a second retry layer.
    assertThat(sleeper.sleeps()).hasSize(2);
    assertThat(filesIn(dir)).isEmpty();
  }

  // ---- errors ----

  @Test
  void notFoundIsAnApiErrorWhoseMessageKeepsTheSignatureOut() throws Exception {
    // Storage hosts often echo the requested URL, query included, in their error page.
    files.enqueue(new MockResponse.Builder().code(404).setHeader("Content-Type", "application/xml")
        .body("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
            + "<Resource>/results/2024/out.png?" + SIGNED_QUERY + "</Resource></Error>")
        .build());
    Path target = dir.resolve("out.png");

    assertThatThrownBy(() -> ResultFiles.download(client, url, target))
        .isInstanceOfSatisfying(AILabApiException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(404);
          assertThat(e.isRetryable()).isFalse();
          assertThat(e.getMessage()).contains("404").contains("/results/2024/out.png").contains("NoSuchKey")
              .doesNotContain(SIGNED_QUERY).doesNotContain("s3cr3tSig").doesNotContain("LTAI5tQ");
        });
    assertThat(files.getRequestCount()).isEqualTo(1);
    assertThat(target).doesNotExist();
    assertThat(filesIn(dir)).isEmpty();
  }

  @Test
  void anExpiredSignatureIsNotReportedAsARefusedApiKey() {
    files.enqueue(new MockResponse.Builder().code(403).body("<Error><Code>AccessDenied</Code></Error>").build());

    assertThatThrownBy(() -> ResultFiles.download(client, url, dir.resolve("out.png")))
        .isInstanceOfSatisfying(AILabApiException.class, e -> {
          assertThat(e).isNotInstanceOf(AuthenticationException.class);
          assertThat(e.httpStatus()).isEqualTo(403);
          assertThat(e.isRetryable()).isFalse();
        });
    assertThat(files.getRequestCount()).isEqualTo(1);
  }

  @Test
  void notAnHttpUrlIsRefused() {
    assertThatThrownBy(() -> ResultFiles.download(client, URI.create("ftp://files.example/out.png"),
        dir.resolve("out.png"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResultFiles.download(client, URI.create("file:///etc/passwd"), dir.resolve("out.png")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResultFiles.download(client, null, dir.resolve("out.png")))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ResultFiles.download(client, url, null)).isInstanceOf(NullPointerException.class);
    assertThat(files.getRequestCount()).isZero();
  }

  @Test
  void aDirectoryAsTargetIsRefusedBeforeAnythingIsFetched() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("results"));

    assertThatThrownBy(() -> ResultFiles.download(client, url, directory))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a directory");
    assertThat(directory).isDirectory();
    assertThat(files.getRequestCount()).isZero();
  }

  @Test
  void downloadAfterCloseIsRefused() {
    client.close();
    assertThatThrownBy(() -> ResultFiles.download(client, url, dir.resolve("out.png")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(files.getRequestCount()).isZero();
  }

  @Test
  void theDownloadedFileHasTheUsualPermissionsOfANewFile() throws Exception {
    Assumptions.assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "POSIX only");
    files.enqueue(ok(image));
    Path target = dir.resolve("out.png");

    ResultFiles.download(client, url, target);

    Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain.png")));
    assertThat(Files.getPosixFilePermissions(target)).isEqualTo(usual);
  }
}
