package io.github.ailabkit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ailabkit.testing.Conditions;
import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.RecordedSleeper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads as client calls: {@code client.download} and {@code downloadAsync}, one {@code downloadTimeout}
 * bounding a whole download with its retries, and cancel, timeout and {@code close()} stopping an
 * asynchronous one without leaving a partial file. Waits are recorded (not spent) where the test is about
 * them; a transfer that hangs is a real one against a MockWebServer that never finishes its body.
 */
class DownloadBoundsTest {
  private static final String KEY = "bounds-key-0123456789";
  /** Longer than any await here: a download that is not stopped would fail the test by hanging past it. */
  private static final Duration NEVER = Duration.ofMinutes(5);

  @StartStop final MockWebServer api = new MockWebServer();
  @StartStop final MockWebServer files = new MockWebServer();
  @TempDir Path dir;

  private final RecordedSleeper sleeper = new RecordedSleeper();
  private final byte[] image = Images.bytes(ImageFormat.PNG, 200_000);
  private AILabClient client;
  private URI url;
  private Path target;

  @BeforeEach
  void setUp() {
    url = files.url("/results/out.png").newBuilder().encodedQuery("Signature=s3cr3tSig").build().uri();
    target = dir.resolve("out.png");
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
  }

  private AILabClient recorded(Duration downloadTimeout) {
    client = ClientSeams.recorded(KEY, api, sleeper).maxRetries(2).downloadTimeout(downloadTimeout).build();
    return client;
  }

  /** A client that really waits, on the real clock. */
  private AILabClient realTime(Duration downloadTimeout) {
    client = AILabClient.builder().apiKey(KEY).baseUrl(api.url("/").toString()).maxRetries(2)
        .downloadTimeout(downloadTimeout).build();
    return client;
  }

  private MockResponse ok() {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "image/png")
        .body(new Buffer().write(image)).build();
  }

  private static MockResponse busy(int retryAfterSeconds) {
    return new MockResponse.Builder().code(503).setHeader("Retry-After", retryAfterSeconds).body("busy").build();
  }

  /** Headers at once, then a body that trickles far slower than any bound here (the file host's known stall). */
  private MockResponse trickling() {
    return new MockResponse.Builder(ok()).throttleBody(1024, 1, SECONDS).build();
  }

  private List<Path> filesInDir() throws IOException {
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.toList();
    }
  }

  private boolean dirIsEmpty() {
    try {
      return filesInDir().isEmpty();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Throwable failureOf(CompletableFuture<Path> future) {
    Throwable thrown = catchThrowable(() -> future.get(NEVER.toSeconds(), SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    return thrown.getCause();
  }

  // ---- the bound of a whole download ----

  @Test
  void retriesThatWouldRunPastTheBoundAreNotMadeAndTheFailureSaysSo() throws Exception {
    recorded(Duration.ofSeconds(10));
    for (int i = 0; i < 3; i++) {
      files.enqueue(busy(6)); // 6 s + 6 s of waiting would pass the 10 s bound; maxRetries(2) alone allows it
    }

    assertThatThrownBy(() -> client.download(url, target))
        .isInstanceOfSatisfying(AILabApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(503))
        .hasMessageContaining("downloadTimeout of PT10S")
        .hasMessageNotContaining("s3cr3tSig");
    assertThat(files.getRequestCount()).isEqualTo(2);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(6));
    assertThat(filesInDir()).isEmpty();
  }

  @Test
  void aBrokenTransferIsNotStartedAgainWhenItsWaitWouldPassTheBound() throws Exception {
    recorded(Duration.ofMillis(300)); // the first restart waits 375-500 ms
    byte[] half = java.util.Arrays.copyOf(image, image.length / 2);
    files.enqueue(new MockResponse.Builder().code(200).body(new Buffer().write(half))
        .setHeader("Content-Length", image.length).onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build());
    files.enqueue(ok());

    assertThatThrownBy(() -> client.download(url, target))
        .isInstanceOf(AILabIOException.class)
        .hasMessageContaining("unexpected end of stream")
        .hasMessageContaining("downloadTimeout of PT0.3S");
    assertThat(files.getRequestCount()).isEqualTo(1);
    assertThat(filesInDir()).isEmpty();
  }

  @Test
  void aTransferThatOutlastsTheBoundFailsAtTheBoundAndKeepsNothing() throws Exception {
    realTime(Duration.ofMillis(500));
    files.enqueue(trickling());
    Files.writeString(target, "previous result");

    assertThatThrownBy(() -> client.download(url, target))
        .isInstanceOf(AILabIOException.class)
        .hasMessageContaining("did not finish within the client's downloadTimeout of PT0.5S")
        .hasMessageContaining("nothing was kept")
        .hasMessageNotContaining("s3cr3tSig");
    assertThat(Files.readString(target)).isEqualTo("previous result");
    assertThat(filesInDir()).containsExactly(target);
  }

  // ---- downloadAsync ----

  @Test
  void downloadAsyncRetriesOnTheTimerAndCompletesWithTheTarget() throws Exception {
    recorded(Duration.ofMinutes(1));
    files.enqueue(busy(2));
    files.enqueue(ok());

    Path written = client.downloadAsync(url, target).get(NEVER.toSeconds(), SECONDS);

    assertThat(written).isEqualTo(target);
    assertThat(Files.readAllBytes(target)).isEqualTo(image);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(2));
    assertThat(files.getRequestCount()).isEqualTo(2);
    assertThat(files.takeRequest().getHeaders().names()).doesNotContain("ailabapi-api-key");
    assertThat(filesInDir()).containsExactly(target);
  }

  @Test
  void downloadAsyncHoldsNoHttpThreadWhileItWaitsToRetry() throws Exception {
    // One dispatcher thread for everything: a retry wait slept on it would stall the query below for 60 s.
    ExecutorService oneThread = Executors.newSingleThreadExecutor();
    OkHttpClient http = new OkHttpClient.Builder().dispatcher(new Dispatcher(oneThread)).build();
    try {
      client = AILabClient.builder().apiKey(KEY).baseUrl(api.url("/").toString()).okHttpClient(http)
          .downloadTimeout(NEVER).build();
      files.enqueue(busy(60));
      api.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
          .body("{\"request_id\":\"r-1\",\"task_status\":2,\"data\":{}}").build());

      CompletableFuture<Path> download = client.downloadAsync(url, target);
      files.takeRequest();
      TaskResult answer = client.getTaskResultAsync("1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92")
          .get(30, SECONDS);

      assertThat(answer.isCompleted()).isTrue();
      assertThat(download).isNotDone();
      client.close(); // the supplied OkHttp client keeps running: the client's timer ends the wait
      assertThat(failureOf(download)).isInstanceOf(AILabException.class).hasMessageContaining("closed");
      assertThat(files.getRequestCount()).isEqualTo(1);
    } finally {
      oneThread.shutdownNow();
    }
  }

  @Test
  void downloadAsyncRefusesBadInputAtOnce() throws Exception {
    recorded(Duration.ofMinutes(1));

    assertThatThrownBy(() -> client.downloadAsync(URI.create("ftp://host/x.png"), target))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.downloadAsync(url, dir)).isInstanceOf(IllegalArgumentException.class);
    client.close();
    assertThatThrownBy(() -> client.downloadAsync(url, target)).isInstanceOf(IllegalStateException.class);
    assertThat(files.getRequestCount()).isZero();
  }

  @Test
  void downloadAsyncTimesOutAtTheBoundAndKeepsNothing() throws Exception {
    realTime(Duration.ofMillis(500));
    files.enqueue(trickling());

    Throwable failure = failureOf(client.downloadAsync(url, target));

    assertThat(failure).isInstanceOf(AILabIOException.class)
        .hasMessageContaining("did not finish within the client's downloadTimeout of PT0.5S");
    assertThat(filesInDir()).isEmpty(); // the future failed once the temporary file was gone
  }

  @Test
  void cancellingDownloadAsyncStopsTheTransferAndKeepsNothing() throws Exception {
    realTime(NEVER);
    files.enqueue(trickling());

    CompletableFuture<Path> future = client.downloadAsync(url, target);
    Conditions.await("the transfer has begun writing", () -> !dirIsEmpty(), Duration.ofSeconds(30));
    future.cancel(true);

    assertThatThrownBy(future::join).isInstanceOf(CancellationException.class);
    Conditions.await("the temporary file is deleted", this::dirIsEmpty, Duration.ofSeconds(30));
    assertThat(target).doesNotExist();
  }

  @Test
  void closeEndsADownloadAsyncWaitingToRetryAndKeepsNothing() throws Exception {
    realTime(NEVER);
    files.enqueue(busy(60)); // a real wait far longer than the awaits here
    files.enqueue(ok());

    CompletableFuture<Path> future = client.downloadAsync(url, target);
    files.takeRequest();
    client.close();

    assertThat(failureOf(future)).isInstanceOf(AILabException.class).hasMessageContaining("closed");
    assertThat(files.getRequestCount()).isEqualTo(1);
    assertThat(filesInDir()).isEmpty();
  }

  @Test
  void closeEndsADownloadAsyncInTheMiddleOfItsTransfer() throws Exception {
    realTime(NEVER);
    files.enqueue(trickling());

    CompletableFuture<Path> future = client.downloadAsync(url, target);
    Conditions.await("the transfer has begun writing", () -> !dirIsEmpty(), Duration.ofSeconds(30));
    client.close();

    assertThat(failureOf(future)).isInstanceOf(AILabException.class).hasMessageContaining("closed");
    assertThat(filesInDir()).isEmpty(); // the future failed once the temporary file was gone
  }
}
