package io.github.ailabkit.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.ApiResponse;
import io.github.ailabkit.ErrorDetail;
import io.github.ailabkit.internal.Json;
import io.github.ailabkit.params.FaceAnalyzerResponse.FaceDetailInfo;
import io.github.ailabkit.params.FaceAnalyzerResponse.TypeProbability;
import org.junit.jupiter.api.Test;

/** How an answer binds into a generated response record: by JSON name, leniently, the public fields from the answer. */
class ResponseBindingTest {
  /** Face Analyzer's documented example with values a real answer would carry. */
  private static final String FACE_ANALYZER = """
      {"request_id":"req-1","log_id":"log-1","error_code":0,"error_code_str":"","error_msg":"",
       "error_detail":{"status_code":200,"code":"","code_message":"","message":""},
       "image_width":1024,"image_height":768,
       "face_detail_infos":[{"face_rect":{"x":120,"y":80,"width":300,"height":310},
        "face_detail_attributes_info":{"age":31,"beauty":78.5,"emotion":{"type":2,"probability":0.91},
         "eye":{"glass":{"type":0,"probability":0.99936753511429},"eye_open":{"type":1,"probability":0.98},
          "eyelid_type":{"type":1,"probability":0.75},"eye_size":{"type":2,"probability":0.59}},
         "eyebrow":{"eyebrow_density":{"type":1,"probability":0.6},"eyebrow_curve":{"type":0,"probability":0.7},
          "eyebrow_length":{"type":1,"probability":0.8}},
         "gender":{"type":1,"probability":0.97},
         "hair":{"length":{"type":3,"probability":0.5},"bang":{"type":0,"probability":0.9},
          "color":{"type":2,"probability":0.8}},
         "hat":{"style":{"type":0,"probability":0.99},"color":{"type":0,"probability":0.99}},
         "head_pose":{"pitch":-3.5,"yaw":12.25,"roll":1},"mask":{"type":0,"probability":0.99},
         "mouth":{"mouth_open":{"type":0,"probability":0.88}},"moustache":{"type":1,"probability":0.66},
         "nose":{"type":2,"probability":0.75233882665634},"shape":{"type":4,"probability":0.55},
         "skin":{"type":1,"probability":0.7},"smile":42}}]}
      """;

  @Test
  void theDocumentedShapeBindsByJsonName() {
    FaceAnalyzerResponse answer = FaceAnalyzerResponse.from(answer(FACE_ANALYZER));

    assertThat(answer.imageWidth()).isEqualTo(1024.0);
    assertThat(answer.imageHeight()).isEqualTo(768.0);
    FaceDetailInfo face = answer.faceDetailInfos().get(0);
    assertThat(face.faceRect().height()).isEqualTo(310.0);
    assertThat(face.faceDetailAttributesInfo().age()).isEqualTo(31.0);
    assertThat(face.faceDetailAttributesInfo().beauty()).isEqualTo(78.5);
    assertThat(face.faceDetailAttributesInfo().eye().glass()).isEqualTo(new TypeProbability(0, 0.99936753511429));
    assertThat(face.faceDetailAttributesInfo().headPose().yaw()).isEqualTo(12.25);
    assertThat(face.faceDetailAttributesInfo().hair().length().type()).isEqualTo(3.0);
    assertThat(face.faceDetailAttributesInfo().smile()).isEqualTo(42.0);
  }

  @Test
  void membersTheApiAddsAreIgnoredAtEveryLevelAndStayReadableInTheBody() {
    String extended = FACE_ANALYZER
        .replace("\"image_width\":1024", "\"image_width\":1024,\"face_count\":1,\"model\":{\"version\":\"v9\"}")
        .replace("\"smile\":42", "\"smile\":42,\"dimples\":[1,2]")
        .replace("\"roll\":1}", "\"roll\":1,\"confidence\":0.4}");

    FaceAnalyzerResponse answer = FaceAnalyzerResponse.from(answer(extended));

    assertThat(answer.imageWidth()).isEqualTo(1024.0);
    assertThat(answer.faceDetailInfos().get(0).faceDetailAttributesInfo().smile()).isEqualTo(42.0);
    assertThat(answer.faceDetailInfos().get(0).faceDetailAttributesInfo().headPose().roll()).isEqualTo(1.0);
    assertThat(answer.body().path("model").path("version").asText()).isEqualTo("v9");
  }

  @Test
  void aNumberThatTurnsFromIntegerToDecimalOrBackBindsWithoutLoss() {
    String decimals = FACE_ANALYZER.replace("\"image_width\":1024", "\"image_width\":1024.5")
        .replace("\"age\":31", "\"age\":31.75").replace("\"probability\":0.97", "\"probability\":1");

    FaceAnalyzerResponse answer = FaceAnalyzerResponse.from(answer(decimals));

    assertThat(answer.imageWidth()).isEqualTo(1024.5);
    assertThat(answer.faceDetailInfos().get(0).faceDetailAttributesInfo().age()).isEqualTo(31.75);
    assertThat(answer.faceDetailInfos().get(0).faceDetailAttributesInfo().gender().probability()).isEqualTo(1.0);
  }

  @Test
  void thePublicFieldsComeFromTheAnswerAndTheBodyIsTheWholeJson() {
    JsonNode body = json(FACE_ANALYZER);
    ErrorDetail detail = new ErrorDetail("", "", "");
    ApiResponse raw = new ApiResponse("from-header-or-body", "log-7", detail, body);

    FaceAnalyzerResponse answer = FaceAnalyzerResponse.from(raw);

    assertThat(answer.requestId()).isEqualTo("from-header-or-body");
    assertThat(answer.logId()).isEqualTo("log-7");
    assertThat(answer.errorDetail()).isSameAs(detail);
    assertThat(answer.body()).isSameAs(body);
  }

  @Test
  void absentMembersAreNullOrZeroAndNeverFail() {
    FaceAnalyzerResponse answer = FaceAnalyzerResponse.from(answer("{\"request_id\":\"r\",\"image_width\":null}"));

    assertThat(answer.imageWidth()).isZero();
    assertThat(answer.faceDetailInfos()).isNull();
    assertThat(answer.requestId()).isEqualTo("r");
  }

  @Test
  void aMemberOfAShapeTheRecordCannotHoldIsAnAILabExceptionNamingTheRecord() {
    ApiResponse raw = answer("{\"image_width\":{\"value\":3}}");

    assertThatThrownBy(() -> FaceAnalyzerResponse.from(raw)).isInstanceOf(AILabException.class)
        .hasMessageContaining("FaceAnalyzerResponse").hasMessageContaining("image_width");
  }

  @Test
  void aSchemaTypedAnswerBindsItsDocumentedMember() {
    ApiResponse raw = answer("{\"request_id\":\"r\",\"data\":{\"image\":\"aGVsbG8=\"}}");

    assertThat(EmotionEditorResponse.from(raw).data().image()).isEqualTo("aGVsbG8=");
  }

  private static ApiResponse answer(String json) {
    JsonNode body = json(json);
    return new ApiResponse(Json.text(body, "request_id"), Json.text(body, "log_id"), ErrorDetail.NONE, body);
  }

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
