package io.github.ailabkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** The streaming multipart parser, against bodies built by OkHttp and by hand. */
class MultipartTest {
  private static final MediaType PNG = MediaType.get("image/png");

  @Test
  void parsesTextAndFilePartsBuiltByOkHttp() throws IOException {
    MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("hair_style", "BuzzCut")
        .addFormDataPart("image", "face.png", RequestBody.create(Pngs.onePixel(), PNG))
        .addFormDataPart("note", "naïve \"quoted\" text")
        .build();

    List<Multipart.Part> parts = parse(body, false);

    assertThat(parts).extracting(Multipart.Part::name).containsExactly("hair_style", "image", "note");
    assertThat(parts.get(0).text()).isEqualTo("BuzzCut");
    assertThat(parts.get(0).isFile()).isFalse();
    Multipart.Part image = parts.get(1);
    assertThat(image.isFile()).isTrue();
    assertThat(image.fileName()).isEqualTo("face.png");
    assertThat(image.contentType()).isEqualTo("image/png");
    assertThat(image.size()).isEqualTo(Pngs.onePixel().length);
    assertThat(image.head()).isEqualTo(Arrays.copyOf(Pngs.onePixel(), Multipart.HEAD_BYTES));
    assertThat(image.text()).isNull();
    assertThat(parts.get(2).text()).isEqualTo("naïve \"quoted\" text");
  }

  @Test
  void findsBoundariesWhenTheBodyArrivesOneByteAtATime() throws IOException {
    MultipartBody body = new MultipartBody.Builder("b0undary").setType(MultipartBody.FORM)
        .addFormDataPart("a", "1")
        .addFormDataPart("image", "x.png", RequestBody.create(Pngs.onePixel(), PNG))
        .build();

    List<Multipart.Part> parts = parse(body, true);

    assertThat(parts).extracting(Multipart.Part::name).containsExactly("a", "image");
    assertThat(parts.get(1).size()).isEqualTo(Pngs.onePixel().length);
  }

  @Test
  void countsALargeFileWithoutKeepingIt() throws IOException {
    byte[] large = new byte[3 * 1024 * 1024 + 17];
    Arrays.fill(large, (byte) '-');
    System.arraycopy(Pngs.onePixel(), 0, large, 0, 8);
    MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("image", "big.png", RequestBody.create(large, PNG)).build();

    Multipart.Part part = parse(body, false).get(0);

    assertThat(part.size()).isEqualTo(large.length);
    assertThat(part.head()).hasSize(Multipart.HEAD_BYTES).startsWith(Arrays.copyOf(Pngs.onePixel(), 8));
  }

  @Test
  void contentThatLooksLikeABoundaryWithoutCrlfStaysContent() throws IOException {
    String body = "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nbefore --xyz after\r\n--xyz--\r\n";

    List<Multipart.Part> parts = Multipart.parse(stream(body), "multipart/form-data; boundary=xyz");

    assertThat(parts).singleElement().satisfies(part -> assertThat(part.text()).isEqualTo("before --xyz after"));
  }

  @Test
  void acceptsAQuotedBoundaryAPreambleAndEmptyValues() throws IOException {
    String body = "preamble to ignore\r\n--q b\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n--q b--";

    List<Multipart.Part> parts = Multipart.parse(stream(body), "multipart/form-data; boundary=\"q b\"");

    assertThat(parts).singleElement().satisfies(part -> {
      assertThat(part.name()).isEqualTo("empty");
      assertThat(part.text()).isEmpty();
      assertThat(part.size()).isZero();
    });
  }

  @Test
  void rejectsABodyWithoutAClosingBoundary() {
    String body = "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue";

    assertThatThrownBy(() -> Multipart.parse(stream(body), "multipart/form-data; boundary=xyz"))
        .isInstanceOf(Multipart.MalformedException.class).hasMessageContaining("part 'a'");
  }

  @Test
  void rejectsAPartWithoutAName() {
    String body = "--xyz\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--xyz--";

    assertThatThrownBy(() -> Multipart.parse(stream(body), "multipart/form-data; boundary=xyz"))
        .isInstanceOf(Multipart.MalformedException.class).hasMessageContaining("name");
  }

  @Test
  void rejectsOtherContentTypesAndMissingBoundaries() {
    assertThatThrownBy(() -> Multipart.boundary("application/json"))
        .isInstanceOf(Multipart.MalformedException.class);
    assertThatThrownBy(() -> Multipart.boundary(null)).isInstanceOf(Multipart.MalformedException.class);
    assertThatThrownBy(() -> Multipart.boundary("multipart/form-data"))
        .isInstanceOf(Multipart.MalformedException.class).hasMessageContaining("boundary");
    assertThatThrownBy(() -> Multipart.parse(stream("no parts here"), "multipart/form-data; boundary=xyz"))
        .isInstanceOf(Multipart.MalformedException.class);
  }

  @Test
  void rejectsATextValueOverTheLimit() {
    String body = "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + "x".repeat(Multipart.MAX_TEXT_BYTES + 1)
        + "\r\n--xyz--";

    assertThatThrownBy(() -> Multipart.parse(stream(body), "multipart/form-data; boundary=xyz"))
        .isInstanceOf(Multipart.MalformedException.class).hasMessageContaining("exceeds");
  }

  @Test
  void readsHeaderParametersWithQuotesAndEscapes() {
    assertThat(Multipart.parameters("form-data; name=\"image\"; filename=\"a \\\"b\\\".png\""))
        .containsEntry("name", "image").containsEntry("filename", "a \"b\".png");
    assertThat(Multipart.parameters("multipart/form-data; BOUNDARY=abc")).containsEntry("boundary", "abc");
  }

  private static List<Multipart.Part> parse(MultipartBody body, boolean oneByteAtATime) throws IOException {
    Buffer buffer = new Buffer();
    body.writeTo(buffer);
    InputStream in = new ByteArrayInputStream(buffer.readByteArray());
    if (oneByteAtATime) {
      in = new FilterInputStream(in) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return super.read(b, off, Math.min(len, 1));
        }
      };
    }
    return Multipart.parse(in, body.contentType().toString());
  }

  private static InputStream stream(String body) {
    return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
  }
}
