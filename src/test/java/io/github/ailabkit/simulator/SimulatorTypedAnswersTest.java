package io.github.ailabkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.ApiResponse;
import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.ErrorDetail;
import io.github.ailabkit.PublicResponseFields;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.params.FaceAnalyzerParams;
import io.github.ailabkit.params.FaceAnalyzerResponse;
import io.github.ailabkit.params.FaceAnalyzerResponse.FaceDetailInfo.FaceDetailAttributesInfo;
import io.github.ailabkit.params.PortraitBackgroundRemovalResponse;
import io.github.ailabkit.params.SkinAnalysisResponse;
import io.github.ailabkit.params.SmartBeautyParams;
import io.github.ailabkit.params.SmartBeautyResponse;
import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.RecordJson;
import io.github.ailabkit.testing.ValidForms;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every synchronous endpoint answers in its documented shape, with plausible values, and the answer
 * binds into the endpoint's generated response record with every documented value in place.
 */
class SimulatorTypedAnswersTest {
  @TempDir Path dir;

  private AILabSimulator sim;
  private AILabClient client;

  @BeforeEach
  void start() {
    sim = Fixtures.simulator(new MutableClock()).start();
    client = Fixtures.client(sim);
  }

  @AfterEach
  void stop() {
    client.close();
    sim.close();
  }

  @Test
  void everySynchronousEndpointAnswersInAShapeItsResponseRecordBindsCompletely() throws Exception {
    Map<Endpoint, Class<?>> typed = typedEndpoints();
    assertThat(typed).hasSize(49);

    for (Map.Entry<Endpoint, Class<?>> entry : typed.entrySet()) {
      Endpoint endpoint = entry.getKey();
      String where = endpoint.path();
      ApiResponse raw = client.call(endpoint, ValidForms.minimal(endpoint, Files.createTempDirectory(dir, "f")));
      PublicResponseFields answer = bind(entry.getValue(), raw);

      assertThat(answer.requestId()).as(where).isEqualTo(raw.requestId());
      assertThat(answer.logId()).as(where).isEqualTo(raw.logId()).isNotEmpty();
      RecordJson.assertTypedAnswer(answer, raw.body(), where);
      JsonNode documented = raw.body().deepCopy();
      ((ObjectNode) documented).remove(List.of("request_id", "log_id", "error_code", "error_code_str", "error_msg",
          "error_detail"));
      assertNoEmptyOrZeroValue(documented, where);
    }
  }

  @Test
  void faceAnalyzerAnswersTheDocumentedValuesWhereTheDocumentHasThemAndPlausibleOnesElsewhere() throws Exception {
    ApiResponse raw = client.call(Endpoints.FACE_ANALYZER, ValidForms.minimal(Endpoints.FACE_ANALYZER, dir));

    FaceAnalyzerResponse answer = FaceAnalyzerResponse.from(raw);

    assertThat(answer.imageWidth()).isEqualTo(512.0);
    assertThat(answer.imageHeight()).isEqualTo(512.0);
    assertThat(answer.faceDetailInfos()).hasSize(1);
    FaceDetailAttributesInfo attributes = answer.faceDetailInfos().get(0).faceDetailAttributesInfo();
    assertThat(attributes.eye().glass().probability()).isEqualTo(0.99936753511429);
    assertThat(attributes.eye().eyeSize().type()).isEqualTo(2.0);
    assertThat(attributes.nose().probability()).isEqualTo(0.75233882665634);
    assertThat(attributes.gender().probability()).isBetween(0.5, 1.0);
    assertThat(answer.faceDetailInfos().get(0).faceRect().width()).isEqualTo(512.0);
    assertThat(answer.body()).isSameAs(raw.body());
  }

  @Test
  void theServicesAnswerSynchronousEndpointsWithTheirTypedAnswer() throws Exception {
    byte[] face = Images.png();

    FaceAnalyzerResponse analyzed = client.portrait().faceAnalyzer(FaceAnalyzerParams.builder().image(face).build());
    FaceAnalyzerResponse later = client.portrait()
        .faceAnalyzerAsync(FaceAnalyzerParams.builder().image(face).build()).get(30, TimeUnit.SECONDS);
    SmartBeautyResponse beautified = client.portrait()
        .smartBeautySync(SmartBeautyParams.builder().imageTarget(face).build());

    assertThat(analyzed.imageWidth()).isEqualTo(512.0);
    assertThat(analyzed.faceDetailInfos().get(0).faceDetailAttributesInfo().nose().probability())
        .isEqualTo(0.75233882665634);
    assertThat(later.faceDetailInfos()).isEqualTo(analyzed.faceDetailInfos());
    assertThat(later.requestId()).isNotEqualTo(analyzed.requestId());
    assertThat(beautified.result()).startsWith(sim.baseUrl() + "/files/");
    assertThat(sim.stats().submits(Endpoints.FACE_ANALYZER.path())).isEqualTo(2);
  }

  @Test
  void skinAnalysisScoresAreKeyedByTheirDocumentedCodes() throws Exception {
    ApiResponse raw = client.call(Endpoints.SKIN_ANALYSIS, ValidForms.minimal(Endpoints.SKIN_ANALYSIS, dir));

    SkinAnalysisResponse answer = SkinAnalysisResponse.from(raw);

    assertThat(answer.result().skinType().details()).containsOnlyKeys("0", "1", "2", "3");
    assertThat(answer.result().skinType().details().get("2").value()).isEqualTo(1.0);
    assertThat(answer.result().skinType().details().get("2").confidence()).isEqualTo(0.89);
    assertThat(answer.faceRectangle().width()).isEqualTo(512.0);
  }

  @Test
  void resultFilesFindTheFilesOfSynchronousAnswersThatCarryImages() throws Exception {
    ApiResponse cutout = client.call(Endpoints.PORTRAIT_BACKGROUND_REMOVAL,
        ValidForms.minimal(Endpoints.PORTRAIT_BACKGROUND_REMOVAL, dir));
    PortraitBackgroundRemovalResponse typed = PortraitBackgroundRemovalResponse.from(cutout);

    List<URI> urls = ResultFiles.urls(cutout);
    assertThat(urls).containsExactly(URI.create(typed.data().imageUrl()));
    Path saved = ResultFiles.download(client, urls.get(0), dir.resolve("cutout.png"));
    assertThat(Files.readAllBytes(saved)).isEqualTo(Pngs.onePixel());

    Path inline = Files.createDirectory(dir.resolve("inline"));
    ApiResponse emotion = client.call(Endpoints.EMOTION_EDITOR, ValidForms.minimal(Endpoints.EMOTION_EDITOR, inline));
    assertThat(ResultFiles.base64Images(emotion)).singleElement().isEqualTo(Pngs.onePixel());
  }

  @Test
  void everySynchronousAnswerThatDocumentsAResultUrlCarriesOneThatDownloads() throws Exception {
    int withUrls = 0;
    for (Endpoint endpoint : typedEndpoints().keySet()) {
      ApiResponse raw = client.call(endpoint, ValidForms.minimal(endpoint, Files.createTempDirectory(dir, "f")));
      List<URI> urls = ResultFiles.urls(raw);
      boolean documentsUrl = hasUrlMember(io.github.ailabkit.internal.Json.mapper().readTree(DocumentedAnswers.forPath(endpoint.path())));
      assertThat(!urls.isEmpty()).as(endpoint.path()).isEqualTo(documentsUrl);
      for (URI url : urls) {
        Path saved = ResultFiles.download(client, url, dir.resolve("result-" + withUrls + ".png"));
        assertThat(Files.readAllBytes(saved)).as(url.toString()).isEqualTo(Pngs.onePixel());
      }
      withUrls += urls.isEmpty() ? 0 : 1;
    }
    assertThat(withUrls).isPositive();
  }

  private static boolean hasUrlMember(JsonNode json) {
    for (Map.Entry<String, JsonNode> member : json.properties()) {
      boolean urlName = member.getKey().contains("url") || member.getKey().equals("result");
      if (member.getValue().isTextual() && urlName || hasUrlMember(member.getValue())) {
        return true;
      }
    }
    for (int i = 0; json.isArray() && i < json.size(); i++) {
      if (hasUrlMember(json.get(i))) return true;
    }
    return false;
  }

  /** The synchronous endpoints with their response record, found by the generated names. */
  static Map<Endpoint, Class<?>> typedEndpoints() throws IllegalAccessException {
    Map<Endpoint, Class<?>> result = new LinkedHashMap<>();
    for (Field constant : Endpoints.class.getFields()) {
      if (Modifier.isStatic(constant.getModifiers()) && constant.getType() == Endpoint.class) {
        try {
          result.put((Endpoint) constant.get(null), Class.forName("io.github.ailabkit.params."
              + upperCamel(constant.getName()) + "Response"));
        } catch (ClassNotFoundException asynchronous) {
          // no typed answer: the endpoint answers with a task id
        }
      }
    }
    return result;
  }

  private static String upperCamel(String constant) {
    StringBuilder name = new StringBuilder();
    for (String word : constant.split("_")) {
      name.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return name.toString();
  }

  private static PublicResponseFields bind(Class<?> type, ApiResponse raw) throws ReflectiveOperationException {
    Method from = type.getMethod("from", ApiResponse.class);
    try {
      return (PublicResponseFields) from.invoke(null, raw);
    } catch (InvocationTargetException e) {
      throw new AssertionError(type.getSimpleName() + " did not bind " + raw.body(), e.getCause());
    }
  }

  private static void assertNoEmptyOrZeroValue(JsonNode json, String where) {
    if (json.isContainerNode()) {
      json.properties().forEach(member -> assertNoEmptyOrZeroValue(member.getValue(), where + "." + member.getKey()));
      for (int i = 0; json.isArray() && i < json.size(); i++) assertNoEmptyOrZeroValue(json.get(i), where + "[" + i + "]");
    } else {
      assertThat(json.asText()).as(where).isNotEmpty().isNotEqualTo("0");
    }
  }
}
