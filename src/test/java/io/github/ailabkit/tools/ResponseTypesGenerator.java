package io.github.ailabkit.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.tools.EndpointCatalogGenerator.EndpointSpec;
import io.github.ailabkit.tools.ResponseShape.Member;
import io.github.ailabkit.tools.ResponseShape.Obj;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the typed answers of the synchronous endpoints: one record per endpoint in
 * {@code io.github.ailabkit.params} ({@code FACE_ANALYZER} → {@code FaceAnalyzerResponse}), typed from
 * the response schema or, where it says only {@code object}, from the documented examples; and the
 * simulator's {@code DocumentedAnswers}, the example each synchronous endpoint answers in.
 *
 * <p>Part of {@link EndpointCatalogGenerator#generateAll}; the drift test compares every file to what
 * this class writes.
 */
public final class ResponseTypesGenerator {
  public static final String ANSWERS_FILE = "io/github/ailabkit/simulator/DocumentedAnswers.java";
  private static final String JSON_TYPE = "application/json";

  private ResponseTypesGenerator() {}

  /** A synchronous endpoint's constant, summary and documented answer. */
  record SyncEndpoint(String constant, String path, String summary, ResponseShape.Obj shape, JsonNode example) {}

  /** Every file this generator writes, by path under {@code src/main/java}, with its source. */
  public static Map<String, String> generate(JsonNode spec) {
    List<SyncEndpoint> endpoints = readSyncEndpoints(spec);
    Map<String, String> files = new LinkedHashMap<>();
    for (SyncEndpoint endpoint : endpoints) {
      files.put(ParamsGenerator.DIRECTORY + "/" + typeName(endpoint.constant()) + ".java",
          EndpointCatalogGenerator.GENERATED_HEADER + ResponseRecordWriter.write(endpoint));
    }
    files.put(ANSWERS_FILE, renderAnswers(endpoints));
    return files;
  }

  /** The response record's simple name: {@code FACE_ANALYZER} → {@code FaceAnalyzerResponse}. */
  static String typeName(String constant) {
    return JavaText.upperCamel(constant) + "Response";
  }

  // ---------------------------------------------------------------------------------------------
  // Reading the document

  static List<SyncEndpoint> readSyncEndpoints(JsonNode spec) {
    List<EndpointSpec> posts = EndpointCatalogGenerator.readPosts(spec);
    Map<String, String> constants = EndpointCatalogGenerator.constantNames(
        posts.stream().map(EndpointSpec::path).toList());
    List<SyncEndpoint> result = new ArrayList<>();
    for (EndpointSpec post : posts) {
      if (!post.sync()) continue;
      JsonNode content = spec.path("paths").path(post.path()).path("post").path("responses").path("200")
          .path("content").path(JSON_TYPE);
      List<JsonNode> examples = syncExamples(content);
      if (examples.isEmpty()) throw new IllegalStateException(post.path() + ": no example of the answer");
      ResponseShape shape = ResponseShape.ofSchema(post.path(), content.path("schema"), spec);
      if (!(shape instanceof Obj fromSchema) || resultMembers(fromSchema).members().isEmpty()) {
        shape = new ResponseShape.Unknown();
        for (JsonNode example : examples) shape = ResponseShape.merge(shape, ResponseShape.ofExample(example));
      }
      if (!(shape instanceof Obj object)) throw new IllegalStateException(post.path() + ": answer not an object");
      result.add(new SyncEndpoint(constants.get(post.path()), post.path(), post.summary(),
          resultMembers(object), withoutCallFields(examples.get(0))));
    }
    return result;
  }

  /** The examples of a synchronous answer: all of them but those of the asynchronous form. */
  private static List<JsonNode> syncExamples(JsonNode content) {
    List<JsonNode> result = new ArrayList<>();
    if (content.has("example")) result.add(content.get("example"));
    for (JsonNode example : content.path("examples")) {
      if (!"async".equals(example.path("value").path("task_type").asText())) result.add(example.path("value"));
    }
    return result;
  }

  private static Obj resultMembers(Obj shape) {
    Map<String, Member> members = new LinkedHashMap<>(shape.members());
    members.keySet().removeAll(ResponseShape.CALL_FIELDS);
    return new Obj(members);
  }

  private static JsonNode withoutCallFields(JsonNode example) {
    ObjectNode copy = example.deepCopy();
    copy.remove(ResponseShape.CALL_FIELDS);
    return copy;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing the simulator's documented answers

  private static String renderAnswers(List<SyncEndpoint> endpoints) {
    StringBuilder out = new StringBuilder(EndpointCatalogGenerator.GENERATED_HEADER)
        .append("package io.github.ailabkit.simulator;\n\n")
        .append("import java.util.Map;\n\n")
        .append("/**\n")
        .append(" * The documented example answer of each synchronous endpoint, without the members that describe\n")
        .append(" * the call; {@link PlausibleValues} fills in its empty values.\n")
        .append(" */\n")
        .append("final class DocumentedAnswers {\n")
        .append("  private static final Map<String, String> BY_PATH = Map.ofEntries(\n");
    for (int i = 0; i < endpoints.size(); i++) {
      SyncEndpoint endpoint = endpoints.get(i);
      out.append("      Map.entry(").append(JavaText.javaString(endpoint.path())).append(",\n");
      String json = endpoint.example().toString();
      for (int start = 0; start < json.length(); start += 80) {
        String piece = json.substring(start, Math.min(json.length(), start + 80));
        out.append("          ").append(start == 0 ? "" : "+ ").append(JavaText.javaString(piece))
            .append(start + 80 < json.length() ? "\n" : "");
      }
      out.append(i + 1 < endpoints.size() ? "),\n" : "));\n\n");
    }
    out.append("  private DocumentedAnswers() {\n")
        .append("  }\n\n")
        .append("  /** The documented answer of this synchronous endpoint as JSON, or null for any other path. */\n")
        .append("  static String forPath(String path) {\n")
        .append("    return BY_PATH.get(path);\n")
        .append("  }\n")
        .append("}\n");
    return out.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Naming

  /**
   * UpperCamelCase of a JSON member name, whatever separates its words ({@code face_ratio:} to
   * {@code FaceRatio}, {@code ITA} to {@code Ita}); a word already in camel case keeps its inner capitals.
   */
  static String upperCamel(String text) {
    StringBuilder result = new StringBuilder();
    for (String word : text.split("[^A-Za-z0-9]+")) {
      if (word.isEmpty()) continue;
      String rest = word.substring(1);
      if (word.equals(word.toUpperCase(Locale.ROOT))) rest = rest.toLowerCase(Locale.ROOT);
      result.append(Character.toUpperCase(word.charAt(0))).append(rest);
    }
    return result.toString();
  }
}
