package io.github.ailabkit;

import static io.github.ailabkit.testing.RecordedResponses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.ailabkit.ValidationException.Kind;
import io.github.ailabkit.ValidationException.Problem;
import io.github.ailabkit.params.HairstyleEditorPremiumParams;
import io.github.ailabkit.params.HairstyleEditorProParams;
import io.github.ailabkit.params.HairstyleEditorProParams.HairStyle;
import io.github.ailabkit.params.UniversalBackgroundRemovalParams;
import io.github.ailabkit.params.UniversalBackgroundRemovalParams.ReturnForm;
import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.LogCapture;
import io.github.ailabkit.testing.MultipartParts;
import java.nio.file.Path;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation problems come as data ({@link ValidationException#problems()}), from generic forms and from
 * params alike; {@code strictValidation(false)} lets values newer than the SDK through with one WARN per
 * field and refuses everything else as before.
 */
class ValidationProblemsTest {
  private static final String REQUESTS_LOGGER = "io.github.ailabkit.internal.ApiRequests";

  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  private AILabClient client;
  private Path jpeg;

  @BeforeEach
  void setUp() throws Exception {
    client = client(true);
    jpeg = Images.ofSize(dir, "face.jpg", ImageFormat.JPEG, 640, 480);
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void everyProblemIsOneRecordWithFieldKindAndMessage() throws Exception {
    Path gif = Images.ofSize(dir, "anim.gif", ImageFormat.GIF, 640, 480);
    Form form = Form.create().file("image", gif).field("hair_style", "Mullet").field("colour", "red")
        .field("color", "blonde");

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, form))
        .isInstanceOf(IllegalArgumentException.class)
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
            .extracting(Problem::field, Problem::kind)
            .containsExactlyInAnyOrder(
                tuple("image", Kind.FORMAT),
                tuple("hair_style", Kind.NOT_ALLOWED),
                tuple("colour", Kind.UNKNOWN_FIELD)))
        .hasMessageContaining("is a GIF; accepted: JPEG, PNG");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void problemsSurviveSerialization() throws Exception {
    ValidationException thrown = (ValidationException) org.assertj.core.api.Assertions.catchThrowable(
        () -> HairstyleEditorProParams.builder().build());
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(thrown);
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(((ValidationException) in.readObject()).problems()).isEqualTo(thrown.problems()).isNotEmpty();
    }
  }

  @Test
  void paramsRefuseMissingRequiredFieldsAtBuild() {
    assertThatThrownBy(() -> HairstyleEditorProParams.builder().build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
            .extracting(Problem::field, Problem::kind)
            .containsExactly(tuple("image", Kind.MISSING), tuple("hair_style", Kind.MISSING)));
    assertThatThrownBy(() -> HairstyleEditorPremiumParams.builder().image(jpeg).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
            .extracting(Problem::field, Problem::kind)
            .containsExactly(tuple("hair_style|image_template", Kind.MISSING)));
  }

  @Test
  void paramsGoThroughTheSameValidationAsForms() {
    HairstyleEditorProParams params = HairstyleEditorProParams.builder().image(dir.resolve("gone.jpg"))
        .hairStyle(HairStyle.of("Mullet")).build();

    assertThatThrownBy(() -> client.portrait().hairstyleEditorPro(params))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
            .extracting(Problem::field, Problem::kind)
            .containsExactlyInAnyOrder(tuple("image", Kind.UNREADABLE), tuple("hair_style", Kind.NOT_ALLOWED)));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void valueTypesHaveReadableConstantsAndAcceptNewerValues() {
    assertThat(HairStyle.BUZZ_CUT.value()).isEqualTo("BuzzCut");
    assertThat(HairStyle.of("BuzzCut")).isEqualTo(HairStyle.BUZZ_CUT).hasSameHashCodeAs(HairStyle.BUZZ_CUT);
    assertThat(HairStyle.of("Mullet").value()).isEqualTo("Mullet");
    assertThat(ReturnForm.WHITE_BK.value()).as("an enumeration stated in prose").isEqualTo("whiteBK");
  }

  @Test
  void aProseEnumerationIsChecked() {
    assertThatThrownBy(() -> client.backgroundRemoval().universalBackgroundRemoval(
        UniversalBackgroundRemovalParams.builder().image(jpeg).returnForm(ReturnForm.of("sepia")).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
            .extracting(Problem::field, Problem::kind).containsExactly(tuple("return_form", Kind.NOT_ALLOWED)))
        .hasMessageContaining("allowed: [mask, whiteBK, crop]");
  }

  @Test
  void relaxedValidationSendsNewerValuesWithOneWarnPerField() throws Exception {
    try (AILabClient relaxed = client(false); LogCapture logs = LogCapture.capture(REQUESTS_LOGGER)) {
      server.enqueue(json("{\"request_id\":\"r\",\"task_id\":\"t-1\"}"));
      server.enqueue(json("{\"request_id\":\"r\",\"task_id\":\"t-2\"}"));
      HairstyleEditorProParams params = HairstyleEditorProParams.builder().image(jpeg)
          .hairStyle(HairStyle.of("Mullet")).build();

      relaxed.portrait().hairstyleEditorPro(params);
      relaxed.portrait().hairstyleEditorPro(params);

      for (int i = 0; i < 2; i++) {
        assertThat(MultipartParts.byName(MultipartParts.parse(server.takeRequest())).get("hair_style").text())
            .isEqualTo("Mullet");
      }
      assertThat(logs.lines()).filteredOn(line -> line.contains("WARN")).singleElement().asString()
          .contains("hair_style").contains("Mullet").contains("/api/portrait/effects/hairstyle-editor-pro");
    }
  }

  @Test
  void relaxedValidationStillRefusesEverythingElse() throws Exception {
    Path huge = Images.write(dir, "huge.jpg", ImageFormat.JPEG, 5 * 1024 * 1024 + 1);
    try (AILabClient relaxed = client(false)) {
      assertThatThrownBy(() -> relaxed.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, Form.create()
          .file("image", huge).field("color", "chartreuse")))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
              .extracting(Problem::field, Problem::kind)
              .containsExactlyInAnyOrder(tuple("image", Kind.TOO_LARGE), tuple("hair_style", Kind.MISSING)));
      assertThatThrownBy(() -> relaxed.call(Endpoints.AI_IMAGE_EXTENDER, Form.create().file("image", jpeg)
          .field("steps", "many")))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.problems())
              .extracting(Problem::kind).containsExactly(Kind.WRONG_TYPE));
    }
    assertThat(server.getRequestCount()).isZero();
  }

  private AILabClient client(boolean strict) {
    return AILabClient.builder().apiKey("validation-key-0123").baseUrl(server.url("/").toString())
        .strictValidation(strict).build();
  }
}
