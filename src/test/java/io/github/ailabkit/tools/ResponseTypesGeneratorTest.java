package io.github.ailabkit.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.internal.Json;
import io.github.ailabkit.tools.ResponseShape.ListOf;
import io.github.ailabkit.tools.ResponseShape.MapOf;
import io.github.ailabkit.tools.ResponseShape.Obj;
import io.github.ailabkit.tools.ResponseTypesGenerator.SyncEndpoint;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** How the generator reads answer shapes from examples and schemas, and how it names what it writes. */
class ResponseTypesGeneratorTest {

  @Test
  void twoExamplesMergeIntoOneShapeWithTheUnionOfTheirMembers() throws IOException {
    ResponseShape first = ResponseShape.ofExample(json("{'result':{'landmark4':[{'x':1.5}],'age':0}}"));
    ResponseShape second = ResponseShape.ofExample(json("{'result':{'landmark72':[{'x':2}],'age':3}}"));

    Obj merged = (Obj) ResponseShape.merge(first, second);

    Obj result = (Obj) merged.members().get("result").shape();
    assertThat(result.members()).containsOnlyKeys("landmark4", "age", "landmark72");
    assertThat(result.members().get("age").shape()).isEqualTo(new ResponseShape.Number(false));
  }

  @Test
  void anEmptyListTakesItsElementFromAnotherOccurrenceAndDisagreeingKindsStayJson() throws IOException {
    ResponseShape list = ResponseShape.merge(ResponseShape.ofExample(json("[]")),
        ResponseShape.ofExample(json("[{'x':1}]")));
    ResponseShape clash = ResponseShape.merge(ResponseShape.ofExample(json("''")), ResponseShape.ofExample(json("0")));

    assertThat(list).isInstanceOf(ListOf.class);
    assertThat(((ListOf) list).element()).isInstanceOf(Obj.class);
    assertThat(clash).isInstanceOf(ResponseShape.Untyped.class);
  }

  @Test
  void anObjectKeyedByCodesIsAMap() throws IOException {
    ResponseShape details = ResponseShape.ofExample(json("{'0':{'value':1},'1':{'value':0,'confidence':0.5}}"));

    assertThat(details).isInstanceOf(MapOf.class);
    assertThat(((Obj) ((MapOf) details).value()).members()).containsOnlyKeys("value", "confidence");
  }

  @Test
  void aSchemaIntegerIsALongAndItsDescriptionIsKept() throws IOException {
    JsonNode document = json("{'components':{'schemas':{'Base':{'type':'object','properties':{"
        + "'request_id':{'type':'string'}}}}}}");
    JsonNode schema = json("{'allOf':[{'$ref':'#/components/schemas/Base'},{'type':'object','properties':{"
        + "'count':{'type':'integer','description':'How many.'}}}]}");

    Obj shape = (Obj) ResponseShape.ofSchema("/x", schema, document);

    assertThat(shape.members()).containsOnlyKeys("request_id", "count");
    assertThat(shape.members().get("count").shape()).isEqualTo(new ResponseShape.Number(true));
    assertThat(shape.members().get("count").description()).isEqualTo("How many.");
    assertThatThrownBy(() -> ResponseShape.ofSchema("/x", json("{'$ref':'other.json#/A'}"), document))
        .hasMessageContaining("unsupported $ref");
  }

  @Test
  void recordsAreNamedFromJsonNamesAndAShapeMetTwiceIsOneRecord() throws IOException {
    JsonNode example = json("{'face_ratio:':0.3,'ITA':1,'default':'','emotion':{'type':0,'probability':0},"
        + "'gender':{'type':1,'probability':0.5},'face_infos':[{'x':1}]}");
    Obj shape = (Obj) ResponseShape.ofExample(example);

    String source = ResponseRecordWriter.write(new SyncEndpoint("FACE_THING", "/api/face-thing", "Face Thing",
        shape, example));

    assertThat(source).contains("public record FaceThingResponse(")
        .contains("@JsonProperty(\"face_ratio:\") double faceRatio")
        .contains("@JsonProperty(\"ITA\") double ita")
        .contains("@JsonProperty(\"default\") String defaultValue")
        .contains("@JsonProperty(\"emotion\") TypeProbability emotion")
        .contains("@JsonProperty(\"gender\") TypeProbability gender")
        .contains("@JsonProperty(\"face_infos\") List<FaceInfo> faceInfos")
        .contains("public static FaceThingResponse from(ApiResponse response)");
    assertThat(source.split("public record TypeProbability\\(", -1)).hasSize(2);
  }

  @Test
  void aMemberThatCannotBeNamedStopsTheGenerator() throws IOException {
    JsonNode example = json("{'9lives':1}");

    assertThatThrownBy(() -> ResponseRecordWriter.write(new SyncEndpoint("X", "/api/x", "X",
        (Obj) ResponseShape.ofExample(json("{'a':1,'9lives':{'b':1}}")), example)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("/api/x");
  }

  private static JsonNode json(String text) throws IOException {
    return Json.mapper().readTree(text.replace('\'', '"'));
  }
}
