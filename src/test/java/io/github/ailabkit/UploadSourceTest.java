package io.github.ailabkit;

import static io.github.ailabkit.testing.RecordedResponses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.ValidationException.Kind;
import io.github.ailabkit.params.HairstyleEditorProParams;
import io.github.ailabkit.params.HairstyleEditorProParams.HairStyle;
import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.MultipartParts;
import io.github.ailabkit.testing.MultipartParts.Part;
import io.github.ailabkit.testing.TestServers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes and streams upload like files: sniffed format, part file name and {@code Content-Type} following
 * it, size and resolution checked before sending, the caller's bytes not copied, a 50 MB stream sent with
 * heap independent of its size, and a stream that cannot be opened again named as such.
 */
class UploadSourceTest {
  private static final long FIFTY_MB = 50L * 1024 * 1024;

  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  private AILabClient client;

  @BeforeEach
  void setUp() {
    client = AILabClient.builder().apiKey("upload-key-0123456789").baseUrl(server.url("/").toString()).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void bytesAreSentAsTheirSniffedFormatUnderTheNameGiven() throws Exception {
    byte[] png = Files.readAllBytes(Images.ofSize(dir, "x.png", ImageFormat.PNG, 640, 480));
    server.enqueue(json("{\"request_id\":\"r\",\"task_id\":\"t-1\"}"));

    client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, Form.create()
        .file("image", UploadSource.of(png).named("portrait.jpg"))
        .field("hair_style", "BuzzCut"));

    Part image = MultipartParts.byName(MultipartParts.parse(server.takeRequest())).get("image");
    assertThat(image.fileName()).isEqualTo("portrait.png");
    assertThat(image.contentType()).isEqualTo("image/png");
    assertThat(image.body()).isEqualTo(ByteString.of(png));
  }

  @Test
  void paramsTakeBytesAndStreamsWhereTheyTakePaths() throws Exception {
    byte[] jpeg = Files.readAllBytes(Images.ofSize(dir, "x.jpg", ImageFormat.JPEG, 640, 480));
    AtomicInteger opens = new AtomicInteger();
    server.enqueue(json("{\"request_id\":\"r\",\"task_id\":\"t-1\"}"));
    server.enqueue(json("{\"request_id\":\"r\",\"task_id\":\"t-2\"}"));

    client.portrait().hairstyleEditorPro(HairstyleEditorProParams.builder().image(jpeg)
        .hairStyle(HairStyle.BUZZ_CUT).build());
    client.portrait().hairstyleEditorPro(HairstyleEditorProParams.builder()
        .image(UploadSource.of(jpeg.length, () -> {
          opens.incrementAndGet();
          return new ByteArrayInputStream(jpeg);
        }))
        .hairStyle(HairStyle.BUZZ_CUT).build());

    for (int i = 0; i < 2; i++) {
      Part image = MultipartParts.byName(MultipartParts.parse(server.takeRequest())).get("image");
      assertThat(image.fileName()).isEqualTo("upload.jpg");
      assertThat(image.contentType()).isEqualTo("image/jpeg");
      assertThat(image.body()).isEqualTo(ByteString.of(jpeg));
    }
    assertThat(opens.get()).as("opened to check, then to send").isGreaterThanOrEqualTo(2);
  }

  @Test
  void bytesAreCheckedLikeFiles() throws Exception {
    byte[] gif = Images.header(ImageFormat.GIF, 640, 480);
    byte[] small = Files.readAllBytes(Images.ofSize(dir, "s.png", ImageFormat.PNG, 100, 100));
    byte[] big = new byte[5 * 1024 * 1024 + 1];
    System.arraycopy(small, 0, big, 0, small.length);

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", gif).field("hair_style", "BuzzCut")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
            .extracting(ValidationException.Problem::field, ValidationException.Problem::kind)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("image", Kind.FORMAT)))
        .hasMessageContaining("is a GIF; accepted: JPEG, PNG");
    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", small).field("hair_style", "BuzzCut")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
            .extracting(ValidationException.Problem::kind).containsExactly(Kind.RESOLUTION));
    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", big).field("hair_style", "BuzzCut")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
            .extracting(ValidationException.Problem::kind).contains(Kind.TOO_LARGE));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void theCallersBytesAreNotCopied() throws Exception {
    byte[] png = Files.readAllBytes(Images.ofSize(dir, "x.png", ImageFormat.PNG, 640, 480));
    Form form = Form.create().file("image", png).field("hair_style", "BuzzCut");
    png[png.length - 1] ^= 0x55; // changed after being handed over: the change is what is sent
    server.enqueue(json("{\"request_id\":\"r\",\"task_id\":\"t-1\"}"));

    client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, form);

    Part image = MultipartParts.byName(MultipartParts.parse(server.takeRequest())).get("image");
    assertThat(image.body()).isEqualTo(ByteString.of(png));
  }

  @Test
  void aStreamThatCannotBeOpenedAgainIsSentOnceThenRefusedAsUnretryable() throws Exception {
    byte[] png = Images.bytes(ImageFormat.PNG, 200_000); // more than the bytes a once stream keeps
    Form form = Form.create().file("image", UploadSource.once(new ByteArrayInputStream(png), png.length));
    server.enqueue(json("{\"request_id\":\"r\",\"data\":{}}"));

    client.call(Endpoints.BLURRED_FACES, form);
    assertThat(MultipartParts.byName(MultipartParts.parse(server.takeRequest())).get("image").body())
        .isEqualTo(ByteString.of(png));

    assertThatThrownBy(() -> client.call(Endpoints.BLURRED_FACES, form))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("cannot be opened again")
        .hasMessageContaining("UploadSource.of(length, opener)");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aStreamShorterThanItsLengthIsNeverSent() {
    byte[] png = Images.bytes(ImageFormat.PNG, 10_000);
    Form form = Form.create().file("image", UploadSource.of(20_000, () -> new ByteArrayInputStream(png)));

    assertThatThrownBy(() -> client.call(Endpoints.BLURRED_FACES, form))
        .isInstanceOf(LocalInputException.class)
        .isNotInstanceOf(AILabIOException.class)
        .hasMessageContaining("changed size while uploading")
        .hasMessageContaining("nothing was sent");
  }

  @Test
  void aFiftyMegabyteStreamIsSentWithHeapIndependentOfItsSize() throws Exception {
    Assumptions.assumeTrue(allocationCounted(), "per-thread allocation counting is not available");
    server.setBodyLimit(0); // the server reads and drops the body
    OkHttpClient http = new OkHttpClient();
    try (AILabClient streaming = AILabClient.builder().apiKey("upload-key-0123456789")
        .baseUrl(server.url("/").toString()).okHttpClient(http).build()) {
      server.enqueue(json("{\"request_id\":\"r\",\"data\":{}}"));
      streaming.call(Endpoints.BLURRED_FACES, Form.create().file("image", UploadSource.of(1 << 20, () -> new PngStream(1 << 20))));
      server.takeRequest(); // warmed up: classes loaded, pools filled
      server.enqueue(json("{\"request_id\":\"r\",\"data\":{}}"));

      long before = allocatedByThisThread();
      streaming.call(Endpoints.BLURRED_FACES, Form.create().file("image", UploadSource.of(FIFTY_MB, () -> new PngStream(FIFTY_MB))));
      long allocated = allocatedByThisThread() - before;

      RecordedRequest request = server.takeRequest();
      assertThat(request.getBodySize()).isGreaterThan(FIFTY_MB);
      assertThat(allocated).as("bytes allocated while sending a 50 MB stream").isLessThan(8L * 1024 * 1024);
    } finally {
      TestServers.shutDown(http);
    }
  }

  private static boolean allocationCounted() {
    return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
        && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled();
  }

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /** A PNG header followed by zeros up to {@code length} bytes, allocating nothing per read. */
  private static final class PngStream extends InputStream {
    private static final byte[] HEADER = Images.header(ImageFormat.PNG, 640, 480);
    private final long length;
    private long position;

    PngStream(long length) {
      this.length = length;
    }

    @Override
    public int read() {
      if (position >= length) {
        return -1;
      }
      int b = position < HEADER.length ? HEADER[(int) position] & 0xFF : 0;
      position++;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(count, length - position);
      for (int i = 0; i < n; i++, position++) {
        buffer[offset + i] = position < HEADER.length ? HEADER[(int) position] : 0;
      }
      return n;
    }
  }
}
