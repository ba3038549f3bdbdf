package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.RecordedSleeper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A form is checked against the endpoint's documented fields before anything is sent: every invalid form
 * below ends in one {@link IllegalArgumentException} and the server receives nothing. What the validator lets
 * through is {@code io.github.ailabkit.internal.FormValidatorTest}.
 */
class FormValidationTest {
  private static final long FIVE_MB = 5L * 1024 * 1024;

  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  private AILabClient client;
  private Path jpeg;

  @BeforeEach
  void setUp() throws IOException {
    client = ClientSeams.recorded("validation-key-123", server, new RecordedSleeper()).build();
    jpeg = Images.write(dir, "face.jpg", ImageFormat.JPEG, 2048);
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  /** Submits, expecting an IllegalArgumentException with nothing sent. */
  private AbstractThrowableAssert<?, ? extends Throwable> assertRejectedSubmit(Endpoint endpoint, Form form) {
    AbstractThrowableAssert<?, ? extends Throwable> rejected =
        assertThatThrownBy(() -> client.submit(endpoint, form)).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).as("requests sent").isZero();
    return rejected;
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRejectedCall(Endpoint endpoint, Form form) {
    AbstractThrowableAssert<?, ? extends Throwable> rejected =
        assertThatThrownBy(() -> client.call(endpoint, form)).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).as("requests sent").isZero();
    return rejected;
  }

  // ---- text fields ----

  @Test
  void missingRequiredTextField() {
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO, Form.create().file("image", jpeg))
        .hasMessageContaining(Endpoints.HAIRSTYLE_EDITOR_PRO.path())
        .hasMessageContaining("1 problem")
        .hasMessageContaining("missing required field 'hair_style'");
  }

  @Test
  void missingRequiredFile() {
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO, Form.create().field("hair_style", "BuzzCut"))
        .hasMessageContaining("missing required file 'image'");
  }

  @Test
  void unknownTextFieldNameListsTheKnownNames() {
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", jpeg).field("hair_style", "BuzzCut").field("hairstyle", "BuzzCut"))
        .hasMessageContaining("unknown field 'hairstyle'")
        .hasMessageContaining("[image, hair_style, color]");
  }

  @Test
  void unknownFileFieldName() {
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", jpeg).field("hair_style", "BuzzCut").file("photo", jpeg))
        .hasMessageContaining("unknown file field 'photo'");
  }

  @Test
  void valueOutsideTheEnumeration() {
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", jpeg).field("hair_style", "buzzcut"))
        .hasMessageContaining("'hair_style' = 'buzzcut' is not an allowed value")
        .hasMessageContaining("BuzzCut");
  }

  @Test
  void valuesMustHaveTheDocumentedType() {
    assertRejectedCall(Endpoints.AI_IMAGE_EXTENDER, Form.create().file("image", jpeg)
        .field("steps", "many").field("strength", "half").field("seed", "1.5"))
        .hasMessageContaining("3 problems")
        .hasMessageContaining("'steps' = 'many' is not a whole number")
        .hasMessageContaining("'strength' = 'half' is not a number")
        .hasMessageContaining("'seed' = '1.5' is not a whole number");
    assertRejectedSubmit(Endpoints.TRY_ON_CLOTHES_PRO, Form.create().file("person_image", jpeg)
        .field("restore_face", "yes"))
        .hasMessageContaining("'restore_face' = 'yes' is not true or false");
  }

  @Test
  void imageLargerThanTheDocumentedResolution() throws IOException {
    Path big = Images.ofSize(dir, "big.png", ImageFormat.PNG, 4200, 3000);
    assertRejectedSubmit(Endpoints.AI_FACE_SWAP, Form.create().file("image_target", big).file("image_template", jpeg))
        .hasMessageContaining("'image_target': file " + big + " is 4200x3000px; "
            + "the documented maximum resolution is 4096x4096px");
  }

  @Test
  void imageSmallerThanTheDocumentedResolution() throws IOException {
    Path small = Images.ofSize(dir, "small.jpg", ImageFormat.JPEG, 640, 150);
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO, Form.create().file("image", small).field("hair_style", "BuzzCut"))
        .hasMessageContaining("is 640x150px; the documented minimum resolution is 200x200px");
  }

  @Test
  void valueTooLong() {
    assertRejectedSubmit(Endpoints.AI_COLORED_CONTACTS,
        Form.create().file("image", jpeg).field("name", "x".repeat(501)))
        .hasMessageContaining("'name' is 501 characters long; the limit is 500");
  }

  @Test
  void textGivenForAFileField() {
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().field("image", jpeg.toString()).field("hair_style", "BuzzCut"))
        .hasMessageContaining("'image' is a file field; use Form.file(\"image\", path)");
  }

  @Test
  void fileGivenForATextField() {
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", jpeg).file("hair_style", jpeg))
        .hasMessageContaining("'hair_style' is a text field; use Form.field(\"hair_style\", value)");
  }

  // ---- files ----

  @Test
  void missingFile() {
    Path missing = dir.resolve("nope.jpg");
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", missing).field("hair_style", "BuzzCut"))
        .hasMessageContaining("'image': file " + missing + " does not exist");
  }

  @Test
  void directoryInsteadOfAFile() throws IOException {
    Path directory = Files.createDirectory(dir.resolve("photos.jpg"));
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", directory).field("hair_style", "BuzzCut"))
        .hasMessageContaining("'image': file " + directory + " is not a regular file");
  }

  @Test
  void unreadableFile() throws IOException {
    Assumptions.assumeTrue(Files.getFileAttributeView(jpeg, java.nio.file.attribute.PosixFileAttributeView.class)
        != null, "POSIX permissions needed");
    Files.setPosixFilePermissions(jpeg, PosixFilePermissions.fromString("---------"));
    Assumptions.assumeFalse(Files.isReadable(jpeg), "running as root: permissions do not stop reading");
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", jpeg).field("hair_style", "BuzzCut"))
        .hasMessageContaining("cannot be read");
  }

  @Test
  void fileOverTheSizeLimit() throws IOException {
    Path big = Images.sparse(dir, "big.png", ImageFormat.PNG, FIVE_MB + 1);
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", big).field("hair_style", "BuzzCut"))
        .hasMessageContaining("is 5242881 bytes; the size limit is 5242880 bytes (5 MB)");
  }

  @Test
  void formatNotAccepted() throws IOException {
    Path bmp = Images.write(dir, "face.jpg", ImageFormat.BMP, 2048); // named .jpg, really a bitmap
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", bmp).field("hair_style", "BuzzCut"))
        .hasMessageContaining("is a BMP; accepted: JPEG, PNG");
  }

  @Test
  void fileThatIsNoImageWhereFormatsAreDocumented() throws IOException {
    Path text = Images.notAnImage(dir, "face.png", 500);
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", text).field("hair_style", "BuzzCut"))
        .hasMessageContaining("is not a recognised image");
  }

  @Test
  void textStartingWithBmIsNoBmp() throws IOException {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "BMW service history, 2019-2024\nOil every 15,000 km\n");
    assertRejectedSubmit(Endpoints.HD_UNIVERSAL_BACKGROUND_REMOVAL, Form.create().file("image", notes))
        .hasMessageContaining("is not a recognised image");
  }

  @Test
  void emptyFile() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.png"));
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", empty).field("hair_style", "BuzzCut"))
        .hasMessageContaining("is empty");
  }

  @Test
  void imageEndpointWithNoFileAtAll() {
    // Face Blur documents its image as optional, but a request without any file is never useful.
    assertRejectedCall(Endpoints.BLURRED_FACES, Form.create())
        .hasMessageContaining("no file given; this endpoint takes [image]");
    assertRejectedCall(Endpoints.PORTRAIT_ANIMATION, Form.create().field("type", "anime"))
        .hasMessageContaining("no file given");
    assertRejectedSubmit(Endpoints.TRY_ON_CLOTHES, Form.create().field("clothes_type", "upper_body"))
        .hasMessageContaining("no file given; this endpoint takes [person_image, clothes_image]");
  }

  // ---- any-of groups ----

  @Test
  void anyOfGroupWithNoMember() {
    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PREMIUM, Form.create().file("image", jpeg))
        .hasMessageContaining("one of [hair_style, image_template] is required");
  }

  // ---- several problems, and the wrong method ----

  @Test
  void everyProblemIsListedInOneException() throws IOException {
    Path bmp = Images.write(dir, "template.bmp", ImageFormat.BMP, 100);
    Form form = Form.create()
        .file("image", dir.resolve("missing.png"))
        .file("image_template", bmp)
        .field("color", "chartreuse")
        .field("colour", "red");

    assertRejectedSubmit(Endpoints.HAIRSTYLE_EDITOR_PREMIUM, form)
        .hasMessageContaining("4 problems")
        .hasMessageContaining("missing.png does not exist")
        .hasMessageContaining("template.bmp is a BMP")
        .hasMessageContaining("'color' = 'chartreuse' is not an allowed value")
        .hasMessageContaining("unknown field 'colour'")
        .satisfies(e -> assertThat(e.getMessage().split("\n  - ")).hasSize(5));
  }

  @Test
  void submitToASynchronousEndpointIsRefused() {
    assertRejectedSubmit(Endpoints.PORTRAIT_ANIMATION, Form.create().file("image", jpeg))
        .hasMessageContaining("is synchronous")
        .hasMessageContaining("use call(...)");
  }

  @Test
  void callToAnAsynchronousEndpointIsRefused() {
    assertRejectedCall(Endpoints.HAIRSTYLE_EDITOR_PRO, Form.create().file("image", jpeg).field("hair_style", "BuzzCut"))
        .hasMessageContaining("is asynchronous")
        .hasMessageContaining("use submit(...)");
  }

  @Test
  void asyncVariantsThrowInputErrorsAtOnce() {
    Form invalid = Form.create().file("image", jpeg);
    assertThatThrownBy(() -> client.submitAsync(Endpoints.HAIRSTYLE_EDITOR_PRO, invalid))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hair_style");
    assertThatThrownBy(() -> client.callAsync(Endpoints.HAIRSTYLE_EDITOR_PRO, invalid))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use submit(...)");
    assertThatThrownBy(() -> client.submitAsync(Endpoints.BLURRED_FACES, invalid))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use call(...)");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void nullArgumentsAreRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> client.submit(null, Form.create())).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Form.create().field("a", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Form.create().file("a", (Path) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Form.create().field(" ", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }
}
