package io.github.ailabkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.ailabkit.Endpoints;
import io.github.ailabkit.Form;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.testing.Images;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link FormValidator} lets through: values of the documented types, files and values exactly at
 * their limits, either member of an any-of group, and the files it yields, sniffed and in form order.
 * What it refuses, and that nothing is sent then, is {@code io.github.ailabkit.FormValidationTest}.
 */
class FormValidatorTest {
  private static final long FIVE_MB = 5L * 1024 * 1024;

  @TempDir Path dir;

  private Path jpeg;

  @BeforeEach
  void setUp() throws IOException {
    jpeg = Images.write(dir, "face.jpg", ImageFormat.JPEG, 2048);
  }

  @Test
  void valuesOfTheDocumentedTypeAreAccepted() {
    assertThatCode(() -> FormValidator.validate(Endpoints.AI_IMAGE_EXTENDER, Form.create().file("image", jpeg)
        .field("steps", 30).field("seed", "-1").field("strength", 0.75).field("top", "1e-1")))
        .doesNotThrowAnyException();
    assertThatCode(() -> FormValidator.validate(Endpoints.TRY_ON_CLOTHES_PRO, Form.create()
        .file("person_image", jpeg).field("restore_face", true).field("resolution", -1)))
        .doesNotThrowAnyException();
  }

  @Test
  void imagesExactlyAtTheDocumentedBoundsAreLeftToTheServer() throws IOException {
    for (ImageFormat format : List.of(ImageFormat.JPEG, ImageFormat.PNG)) {
      Path smallest = Images.ofSize(dir, "smallest." + format.extension(), format, 200, 200);
      Path largest = Images.ofSize(dir, "largest." + format.extension(), format, 4090, 4090);
      assertThatCode(() -> FormValidator.validate(Endpoints.HAIRSTYLE_EDITOR_PRO,
          Form.create().file("image", smallest).field("hair_style", "BuzzCut"))).doesNotThrowAnyException();
      assertThatCode(() -> FormValidator.validate(Endpoints.HAIRSTYLE_EDITOR_PRO,
          Form.create().file("image", largest).field("hair_style", "BuzzCut"))).doesNotThrowAnyException();
    }
  }

  @Test
  void valueAtTheLimitIsAcceptedAndCharactersAreCountedNotUtf16Units() {
    String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
    assertThatCode(() -> FormValidator.validate(Endpoints.AI_COLORED_CONTACTS,
        Form.create().file("image", jpeg).field("name", "x".repeat(500)).field("desc", emoji.repeat(1000))))
        .doesNotThrowAnyException();
  }

  @Test
  void fileExactlyAtTheSizeLimitIsAccepted() throws IOException {
    Path atLimit = Images.sparse(dir, "limit.png", ImageFormat.PNG, FIVE_MB);
    List<PreparedFile> files = FormValidator.validate(Endpoints.HAIRSTYLE_EDITOR_PRO,
        Form.create().file("image", atLimit).field("hair_style", "BuzzCut"));
    assertThat(files).containsExactly(new PreparedFile("image", atLimit, FIVE_MB, ImageFormat.PNG));
  }

  @Test
  void anyOfGroupIsSatisfiedByEitherMember() {
    assertThatCode(() -> FormValidator.validate(Endpoints.HAIRSTYLE_EDITOR_PREMIUM,
        Form.create().file("image", jpeg).file("image_template", jpeg))).doesNotThrowAnyException();
    assertThatCode(() -> FormValidator.validate(Endpoints.HAIRSTYLE_EDITOR_PREMIUM,
        Form.create().file("image", jpeg).field("hair_style", "BobCut"))).doesNotThrowAnyException();
  }

  @Test
  void settingANameAgainKeepsOnlyTheLastValueWhateverItsKind() {
    Form form = Form.create().field("image", "text").file("image", jpeg).field("hair_style", "A")
        .field("hair_style", "BuzzCut");
    assertThat(form.fields()).containsExactly(Map.entry("hair_style", "BuzzCut"));
    assertThat(form.files()).containsExactly(Map.entry("image", jpeg));
    assertThatCode(() -> FormValidator.validate(Endpoints.HAIRSTYLE_EDITOR_PRO, form)).doesNotThrowAnyException();
  }

  @Test
  void validFormYieldsTheSniffedFilesInFormOrder() throws IOException {
    Path target = Images.write(dir, "target.jpeg", ImageFormat.PNG, 1000);
    Path template = Images.write(dir, "template.png", ImageFormat.JPEG, 1200);
    List<PreparedFile> files = FormValidator.validate(Endpoints.AI_FACE_SWAP,
        Form.create().file("image_target", target).file("image_template", template));
    assertThat(files).containsExactly(
        new PreparedFile("image_target", target, 1000, ImageFormat.PNG),
        new PreparedFile("image_template", template, 1200, ImageFormat.JPEG));
  }
}
