package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.params.HairstyleEditorProParams;
import io.github.ailabkit.params.HairstyleEditorProParams.Color;
import io.github.ailabkit.params.HairstyleEditorProParams.HairStyle;
import io.github.ailabkit.params.TryOnClothesProParams;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Params are immutable: their form is read-only, and a builder used again does not change what it built. */
class ParamsImmutabilityTest {
  private static final Path IMAGE = Path.of("me.jpg");

  @Test
  void theFormOfParamsIsReadOnlyAndACopyIsWritable() {
    HairstyleEditorProParams params = HairstyleEditorProParams.builder().image(IMAGE).hairStyle(HairStyle.AFRO).build();

    assertThat(params.endpoint()).isEqualTo(Endpoints.HAIRSTYLE_EDITOR_PRO);
    assertThat(params.toForm().isReadOnly()).isTrue();
    assertThatThrownBy(() -> params.toForm().field("color", "blue")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("copy()");
    Form copy = params.toForm().copy().field("color", "blue");
    assertThat(copy.fields()).containsEntry("color", "blue");
    assertThat(params.toForm().fields()).containsOnlyKeys("hair_style");
    assertThat(params.toForm().files()).containsEntry("image", IMAGE);
  }

  @Test
  void aBuilderUsedAgainLeavesWhatItBuiltAlone() {
    HairstyleEditorProParams.Builder builder = HairstyleEditorProParams.builder().image(IMAGE).hairStyle(HairStyle.AFRO);
    HairstyleEditorProParams first = builder.build();
    HairstyleEditorProParams second = builder.color(Color.BLUE).build();

    assertThat(first.toForm().fields()).doesNotContainKey("color");
    assertThat(second.toForm().fields()).containsEntry("color", "blue").containsEntry("hair_style", "Afro");
  }

  @Test
  void settersWriteTheDocumentedTextForEachType() {
    TryOnClothesProParams params = TryOnClothesProParams.builder().personImage(IMAGE)
        .restoreFace(false).resolution(TryOnClothesProParams.Resolution.MINUS_1).build();

    assertThat(params.toForm().fields()).containsEntry("restore_face", "false").containsEntry("resolution", "-1")
        .doesNotContainKey("task_type");
  }
}
