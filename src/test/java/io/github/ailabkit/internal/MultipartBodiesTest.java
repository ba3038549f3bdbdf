package io.github.ailabkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.Form;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.MultipartParts;
import io.github.ailabkit.testing.MultipartParts.Part;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multipart body: parts, names, types, exact bytes, a length known up front, never replayed. */
class MultipartBodiesTest {
  @TempDir Path dir;

  private static Buffer written(RequestBody body) throws IOException {
    Buffer buffer = new Buffer();
    body.writeTo(buffer);
    return buffer;
  }

  @Test
  void partsCarryNamesSniffedFileNamesTypesAndExactBytes() throws Exception {
    Path target = Images.write(dir, "me.jpeg", ImageFormat.PNG, 5000);
    Path template = Images.write(dir, "style", ImageFormat.WEBP, 3000);
    Form form = Form.create().field("hair_style", "BuzzCut").file("image", target).file("image_template", template)
        .field("color", "blonde");
    List<PreparedFile> files = List.of(new PreparedFile("image", target, 5000, ImageFormat.PNG),
        new PreparedFile("image_template", template, 3000, ImageFormat.WEBP));

    RequestBody body = MultipartBodies.create(form, files);
    Buffer bytes = written(body);

    assertThat(body.contentType().toString()).startsWith("multipart/form-data; boundary=");
    List<Part> parts = MultipartParts.parse(body.contentType().toString(), bytes.readByteString());
    assertThat(parts).extracting(Part::name).containsExactly("hair_style", "color", "image", "image_template");
    assertThat(parts.get(0)).extracting(Part::fileName, Part::contentType, Part::text)
        .containsExactly(null, null, "BuzzCut");
    assertThat(parts.get(2).fileName()).isEqualTo("me.png");
    assertThat(parts.get(2).contentType()).isEqualTo("image/png");
    assertThat(parts.get(2).body()).isEqualTo(ByteString.of(Files.readAllBytes(target)));
    assertThat(parts.get(3).fileName()).isEqualTo("style.webp");
    assertThat(parts.get(3).contentType()).isEqualTo("image/webp");
    assertThat(parts.get(3).body()).isEqualTo(ByteString.of(Files.readAllBytes(template)));
  }

  @Test
  void lengthIsKnownWithoutReadingTheFileAndMatchesWhatIsWritten() throws Exception {
    Path image = Images.write(dir, "a.png", ImageFormat.PNG, 12_345);
    PreparedFile file = new PreparedFile("image", image, 12_345, ImageFormat.PNG);
    RequestBody body = MultipartBodies.create(Form.create().field("x", "y"), List.of(file));
    long expected = written(body).size();

    // The same body for a file that is not even there: the length comes from the checked size alone.
    PreparedFile absent = new PreparedFile("image", dir.resolve("gone/a.png"), 12_345, ImageFormat.PNG);
    RequestBody unread = MultipartBodies.create(Form.create().field("x", "y"), List.of(absent));
    assertThat(unread.contentLength()).isEqualTo(expected);
    assertThat(body.contentLength()).isEqualTo(expected);
  }

  @Test
  void theBodyIsOneShotSoNoLayerCanSendItTwice() throws Exception {
    Path image = Images.write(dir, "a.png", ImageFormat.PNG, 100);
    RequestBody body = MultipartBodies.create(Form.create(),
        List.of(new PreparedFile("image", image, 100, ImageFormat.PNG)));
    assertThat(body.isOneShot()).isTrue();
    assertThat(body.isDuplex()).isFalse();
  }

  @Test
  void fileReadAtWriteTimeNotAtCreation() throws Exception {
    Path image = Images.write(dir, "a.png", ImageFormat.PNG, 1000);
    RequestBody body = MultipartBodies.create(Form.create(),
        List.of(new PreparedFile("image", image, 1000, ImageFormat.PNG)));
    byte[] replaced = Images.bytes(ImageFormat.PNG, 1000);
    replaced[500] ^= 0x55;
    Files.write(image, replaced);

    Part part = MultipartParts.parse(body.contentType().toString(), written(body).readByteString()).get(0);

    assertThat(part.body()).isEqualTo(ByteString.of(replaced));
  }

  @Test
  void aFileThatShrankSinceItWasCheckedFailsTheUpload() throws Exception {
    Path image = Images.write(dir, "a.png", ImageFormat.PNG, 1000);
    RequestBody body = MultipartBodies.create(Form.create(),
        List.of(new PreparedFile("image", image, 1000, ImageFormat.PNG)));
    Files.write(image, Images.bytes(ImageFormat.PNG, 600));

    assertThatThrownBy(() -> written(body)).isInstanceOf(LocalInputFailure.class)
        .hasMessageContaining("changed after it was checked").hasMessageEndingWith("nothing was sent");
  }

  @Test
  void aFileThatGrewSinceItWasCheckedFailsTheUpload() throws Exception {
    Path image = Images.write(dir, "a.png", ImageFormat.PNG, 1000);
    RequestBody body = MultipartBodies.create(Form.create(),
        List.of(new PreparedFile("image", image, 1000, ImageFormat.PNG)));
    Files.write(image, Images.bytes(ImageFormat.PNG, 1600));

    assertThatThrownBy(() -> written(body)).isInstanceOf(LocalInputFailure.class)
        .hasMessageContaining("changed after it was checked").hasMessageEndingWith("nothing was sent");
  }

  @Test
  void unrecognisedFileGoesAsOctetStreamUnderItsOwnName() throws Exception {
    Path text = Images.notAnImage(dir, "notes.txt", 50);
    RequestBody body = MultipartBodies.create(Form.create(), List.of(new PreparedFile("image", text, 50, null)));

    Part part = MultipartParts.parse(body.contentType().toString(), written(body).readByteString()).get(0);

    assertThat(part.fileName()).isEqualTo("notes.txt");
    assertThat(part.contentType()).isEqualTo("application/octet-stream");
  }

  @Test
  void quotesAndLineBreaksInAFileNameCannotBreakThePartHeaders() throws Exception {
    Path odd = Images.write(dir, "we\"ird\rname.jpeg", ImageFormat.JPEG, 100);
    RequestBody body = MultipartBodies.create(Form.create(), List.of(new PreparedFile("image", odd, 100,
        ImageFormat.JPEG)));

    List<Part> parts = MultipartParts.parse(body.contentType().toString(), written(body).readByteString());

    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).name()).isEqualTo("image");
    assertThat(parts.get(0).fileName()).isEqualTo("we%22ird%0Dname.jpg");
    assertThat(parts.get(0).body()).isEqualTo(ByteString.of(Files.readAllBytes(odd)));
  }

  // ---- the part's file name ----

  @Test
  void partFileNameTakesTheExtensionOfTheRealFormat() {
    assertThat(name("me.jpeg", ImageFormat.PNG)).isEqualTo("me.png");
    assertThat(name("me.jpeg", ImageFormat.JPEG)).isEqualTo("me.jpg");
    assertThat(name("me.PNG", ImageFormat.PNG)).isEqualTo("me.png");
    assertThat(name("scan.2024.05.bmp", ImageFormat.WEBP)).isEqualTo("scan.2024.05.webp");
    assertThat(name("upload", ImageFormat.BMP)).isEqualTo("upload.bmp");
    assertThat(name(".hidden", ImageFormat.PNG)).isEqualTo(".hidden.png");
    assertThat(name("照片.jpg", ImageFormat.PNG)).isEqualTo("照片.png");
    assertThat(name("notes.txt", null)).isEqualTo("notes.txt");
  }

  @Test
  void mediaTypeIsTheRealFormats() {
    assertThat(new PreparedFile("f", Path.of("x.jpg"), 1, ImageFormat.PNG).mediaType()).isEqualTo("image/png");
    assertThat(new PreparedFile("f", Path.of("x.png"), 1, ImageFormat.JPEG).mediaType()).isEqualTo("image/jpeg");
    assertThat(new PreparedFile("f", Path.of("x.png"), 1, ImageFormat.BMP).mediaType()).isEqualTo("image/bmp");
    assertThat(new PreparedFile("f", Path.of("x.png"), 1, ImageFormat.WEBP).mediaType()).isEqualTo("image/webp");
    assertThat(new PreparedFile("f", Path.of("x.png"), 1, null).mediaType()).isEqualTo("application/octet-stream");
  }

  private String name(String fileName, ImageFormat format) {
    return new PreparedFile("image", dir.resolve(fileName), 1, format).partFileName();
  }
}
