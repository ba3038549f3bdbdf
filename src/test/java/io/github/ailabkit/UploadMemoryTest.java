package io.github.ailabkit;

import static io.github.ailabkit.testing.RecordedResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.internal.MultipartBodies;
import io.github.ailabkit.internal.PreparedFile;
import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.MultipartParts;
import io.github.ailabkit.testing.MultipartParts.Part;
import io.github.ailabkit.testing.RecordedSleeper;
import io.github.ailabkit.testing.TestServers;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.ByteString;
import okio.Okio;
import okio.Sink;
import okio.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads stream from disk: the body's length is known without reading the file, and sending it never
 * holds the file in memory. Heap use is measured as bytes allocated by the sending thread, which does not
 * depend on garbage collection timing.
 */
class UploadMemoryTest {
  private static final int FIVE_MB = 5 * 1024 * 1024;
  private static final long FIFTY_MB = 50L * 1024 * 1024;
  private static final long ALLOWED_ALLOCATION = 8L * 1024 * 1024;

  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  private AILabClient client;
  private OkHttpClient suppliedHttp;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    TestServers.shutDown(suppliedHttp);
  }

  @Test
  void aFiveMegabyteSubmitIsStreamedWithAKnownLengthAndArrivesIntact() throws Exception {
    Path image = Images.write(dir, "portrait.jpeg", ImageFormat.PNG, FIVE_MB); // exactly the 5 MB limit
    AtomicReference<RequestBody> sentBody = new AtomicReference<>();
    suppliedHttp = new OkHttpClient.Builder()
        .addInterceptor(chain -> {
          sentBody.set(chain.request().body());
          return chain.proceed(chain.request());
        })
        .build();
    RecordedSleeper sleeper = new RecordedSleeper();
    client = AILabClient.builder().apiKey("memory-key-0123456789").baseUrl(server.url("/").toString())
        .okHttpClient(suppliedHttp).sleeper(sleeper).clock(sleeper.clock()).build();
    Form form = Form.create().file("image", image).field("hair_style", "BuzzCut");
    // One small submit first, so one-time class loading and initialisation are not counted.
    server.enqueue(json("{\"request_id\":\"r\",\"task_id\":\"warm-up\"}"));
    Path small = Images.write(dir, "small.png", ImageFormat.PNG, 10_000);
    client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, Form.create().file("image", small).field("hair_style", "BuzzCut"));
    server.takeRequest();

    server.enqueue(json("{\"request_id\":\"r\",\"task_id\":\"t-1\"}"));
    long before = Allocation.currentThread();
    AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, form);
    long allocated = Allocation.currentThread() - before;

    assertThat(task.taskId()).isEqualTo("t-1");
    RecordedRequest request = server.takeRequest();
    RequestBody body = sentBody.get();
    assertThat(body.isOneShot()).isTrue();
    assertThat(body.contentLength()).isEqualTo(request.getBodySize());
    assertThat(request.getHeaders().get("Content-Length")).isEqualTo(String.valueOf(request.getBodySize()));
    assertThat(request.getHeaders().get("Transfer-Encoding")).isNull();
    Part part = MultipartParts.byName(MultipartParts.parse(request)).get("image");
    assertThat(part.fileName()).isEqualTo("portrait.png");
    assertThat(part.body()).isEqualTo(ByteString.of(Files.readAllBytes(image)));
    // The length is the checked size plus the multipart framing: the file is not needed to compute it.
    Files.delete(image);
    assertThat(body.contentLength()).isEqualTo(request.getBodySize());
    // Sending allocated far less than the file: it was never held in memory whole.
    if (Allocation.supported()) {
      assertThat(allocated).as("bytes allocated by the submitting thread").isLessThan(FIVE_MB / 2);
    }
  }

  @Test
  void writingAFiftyMegabyteBodyAllocatesLittleAndWritesInChunks() throws Exception {
    Assumptions.assumeTrue(Allocation.supported(), "per-thread allocation counting is not available");
    Path image = Images.sparse(dir, "huge.png", ImageFormat.PNG, FIFTY_MB);
    RequestBody body = MultipartBodies.create(Form.create().field("hair_style", "BuzzCut"),
        List.of(new PreparedFile("image", image, FIFTY_MB, ImageFormat.PNG)));
    long expectedLength = body.contentLength();
    Allocation.warmUp();
    CountingSink counting = new CountingSink();

    long before = Allocation.currentThread();
    try (BufferedSink sink = Okio.buffer(counting)) {
      body.writeTo(sink);
    }
    long allocated = Allocation.currentThread() - before;

    assertThat(expectedLength).isGreaterThan(FIFTY_MB);
    assertThat(counting.total).isEqualTo(expectedLength);
    assertThat(counting.writes).as("writes").isGreaterThan(100);
    assertThat(counting.largestWrite).as("largest single write").isLessThanOrEqualTo(1024 * 1024);
    assertThat(allocated).as("bytes allocated while writing %d bytes", expectedLength)
        .isLessThan(ALLOWED_ALLOCATION);
  }

  /** Counts what reaches it and lets the bytes go at once. */
  private static final class CountingSink implements Sink {
    long total;
    long writes;
    long largestWrite;

    @Override
    public void write(Buffer source, long byteCount) throws IOException {
      source.skip(byteCount);
      total += byteCount;
      writes++;
      largestWrite = Math.max(largestWrite, byteCount);
    }

    @Override
    public void flush() {
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {
    }
  }

  /** Bytes allocated on the heap by the current thread (HotSpot's per-thread counter). */
  private static final class Allocation {
    static boolean supported() {
      return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
          && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled();
    }

    static long currentThread() {
      return supported()
          ? ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes()
          : 0;
    }

    /** Loads and initialises the classes involved, so their one-time cost is not counted. */
    static void warmUp() throws IOException {
      Path small = Files.createTempFile("warm-up", ".png");
      try {
        Files.write(small, Images.bytes(ImageFormat.PNG, 64 * 1024));
        RequestBody body = MultipartBodies.create(Form.create().field("a", "b"),
            List.of(new PreparedFile("image", small, 64 * 1024, ImageFormat.PNG)));
        try (BufferedSink sink = Okio.buffer(new CountingSink())) {
          body.writeTo(sink);
        }
        currentThread();
      } finally {
        Files.deleteIfExists(small);
      }
    }
  }
}
