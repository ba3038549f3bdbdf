package io.github.ailabkit;

import static io.github.ailabkit.testing.RecordedResponses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that is deleted, changed or swapped for a FIFO between validation and sending fails with
 * {@link LocalInputException} ("nothing was sent"), never with {@link AILabIOException} ("the task may
 * exist"), and a FIFO never blocks a submit. The swap happens in an interceptor of the application's
 * OkHttp client, which runs after validation and before the body is written.
 */
class LocalInputNeverSentTest {
  /** Generous: only a submit that blocks on a FIFO would come near it. */
  private static final Duration NEVER_BLOCKS = Duration.ofSeconds(60);

  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  private final AtomicReference<ThrowingRunnable> beforeSending = new AtomicReference<>(() -> { });
  private OkHttpClient http;
  private AILabClient client;
  private Path image;

  /** A step that may fail with any exception. */
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @BeforeEach
  void setUp() throws Exception {
    http = new OkHttpClient.Builder().addInterceptor(chain -> {
      try {
        beforeSending.get().run();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return chain.proceed(chain.request());
    }).build();
    client = AILabClient.builder().apiKey("never-sent-key-0123").baseUrl(server.url("/").toString())
        .okHttpClient(http).build();
    image = Images.ofSize(dir, "face.png", ImageFormat.PNG, 640, 480);
  }

  @AfterEach
  void tearDown() {
    client.close();
    TestServers.shutDown(http);
  }

  @Test
  void aFileDeletedAfterValidationWasNeverSent() {
    beforeSending.set(() -> Files.delete(image));

    assertThatThrownBy(this::submit)
        .isInstanceOf(LocalInputException.class)
        .isNotInstanceOf(AILabIOException.class)
        .hasMessageContaining("file " + image + " was deleted after it was checked; nothing was sent");
  }

  @Test
  void aFileChangedAfterValidationWasNeverSent() {
    beforeSending.set(() -> {
      byte[] bytes = Files.readAllBytes(image);
      bytes[bytes.length - 1] ^= 1; // same size, other bytes, another modification time
      Files.write(image, bytes);
      Files.setLastModifiedTime(image, FileTime.fromMillis(Files.getLastModifiedTime(image).toMillis() + 10_000));
    });

    assertThatThrownBy(this::submit)
        .isInstanceOf(LocalInputException.class)
        .hasMessageContaining("changed after it was checked");
  }

  @Test
  void aFileSwappedForAFifoAfterValidationIsRefusedWithoutBlocking() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")), "mkfifo is not available");
    beforeSending.set(() -> {
      Files.delete(image);
      mkfifo(image);
    });

    assertTimeoutPreemptively(NEVER_BLOCKS, () -> assertThatThrownBy(this::submit)
        .isInstanceOf(LocalInputException.class)
        .hasMessageContaining("is no longer a regular file"));
  }

  @Test
  void anAsynchronousSubmitReportsTheSameException() {
    beforeSending.set(() -> Files.delete(image));

    assertThatThrownBy(() -> client.submitAsync(Endpoints.HAIRSTYLE_EDITOR_PRO, form()).get())
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(LocalInputException.class).hasMessageContaining("nothing was sent");
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void aFifoGivenAsTheFileIsRefusedBeforeAnythingIsSentWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("pipe.png");
    mkfifo(fifo);

    assertTimeoutPreemptively(NEVER_BLOCKS, () -> assertThatThrownBy(
        () -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, Form.create().file("image", fifo)
            .field("hair_style", "BuzzCut")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
            .extracting(ValidationException.Problem::kind).containsExactly(ValidationException.Kind.UNREADABLE))
        .hasMessageContaining("is not a regular file"));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void anUnchangedFileIsSent() throws Exception {
    server.enqueue(json("{\"request_id\":\"r\",\"task_id\":\"t-1\"}"));

    assertThat(submit().taskId()).isEqualTo("t-1");
  }

  private AsyncTask submit() {
    return client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, form());
  }

  private Form form() {
    return Form.create().file("image", image).field("hair_style", "BuzzCut");
  }

  private static void mkfifo(Path path) throws Exception {
    Process process = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(process.waitFor()).as("mkfifo exit code").isZero();
  }
}
