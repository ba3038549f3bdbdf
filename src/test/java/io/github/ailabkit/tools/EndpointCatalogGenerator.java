package io.github.ailabkit.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code Endpoints.java} from the vendor's OpenAPI document, one constant per POST endpoint,
 * and, beside it, the typed answers of {@link ResponseTypesGenerator}.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.ailabkit.tools.EndpointCatalogGenerator \
 *     -Dexec.args="src/test/resources/ailabapi-openapi.json src/main/java/io/github/ailabkit/Endpoints.java"
 * </pre>
 *
 * <p>The generator fails on any shape of the document it cannot represent faithfully (an array field,
 * an unknown keyword, an image format {@code ImageFormat} lacks, a size limit it cannot read), so a
 * change in the document is noticed instead of silently dropped.
 */
public final class EndpointCatalogGenerator {
  static final String MULTIPART = "multipart/form-data";

  /** Keywords of a form field that the catalog represents, or that carry no constraint. */
  private static final Set<String> FIELD_KEYWORDS =
      Set.of("type", "format", "description", "example", "enum", "default", "maxLength");
  private static final Set<String> SCHEMA_KEYWORDS = Set.of("type", "properties", "required", "anyOf");
  private static final Set<String> SCALAR_TYPES = Set.of("string", "integer", "number", "boolean");

  private static final Pattern FORMAT_LINE =
      Pattern.compile("Image format:([^\\n]*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
  private static final Pattern SIZE_LINE =
      Pattern.compile("Image size:([^\\n]*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern NO_MORE_THAN = Pattern.compile(
      "No more than\\s+(\\d+(?:\\.\\d+)?)\\s*(KB|MB|GB)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern RESOLUTION_LINE =
      Pattern.compile("Image resolution:([^\\n]*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern LARGER_THAN = Pattern.compile(
      "Larger than\\s+(\\d+)\\s*x\\s*(\\d+)\\s*px", Pattern.CASE_INSENSITIVE);
  private static final Pattern SMALLER_THAN = Pattern.compile(
      "(?:Less|smaller) than\\s+(\\d+)\\s*x\\s*(\\d+)\\s*px", Pattern.CASE_INSENSITIVE);

  private static final int MAX_LINE = 100;
  /** A word of Javadoc text; an inline tag such as {@code {@code name}} stays one word. */
  private static final Pattern WORD = Pattern.compile("\\{@code [^}]*}\\S*|\\S+");

  private EndpointCatalogGenerator() {}

  /** A POST endpoint as read from the document; {@code sync} and {@code async} may both hold. */
  record EndpointSpec(String path, String summary, boolean async, boolean sync, List<FieldSpec> fields,
      List<List<String>> anyOfGroups) {}

  /**
   * A form field as read from the document; {@code type} is the OpenAPI type of a text field (null for
   * a file), {@code formats} are {@code ImageFormat} constant names, resolutions are {width, height}.
   */
  record FieldSpec(String name, boolean file, String type, boolean required, List<String> allowedValues,
      String defaultValue, Integer maxLength, Long maxFileBytes, List<String> formats,
      int[] minResolution, int[] maxResolution) {}

  /** A GET path with its summary. */
  record GetSpec(String path, String summary) {}

  /** Args: the OpenAPI document to read, the Java file to write. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: EndpointCatalogGenerator <ailabapi-openapi.json> <Endpoints.java>");
      System.exit(2);
    }
    JsonNode spec = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    Files.writeString(Path.of(args[1]), generate(spec), StandardCharsets.UTF_8);
    ResponseTypesGenerator.write(spec, Path.of(args[1]).toAbsolutePath().getParent());
  }

  /** The source of {@code Endpoints.java} for this document; the test compares it to the checked-in file. */
  public static String generate(JsonNode spec) {
    return render(readPosts(spec), readGets(spec));
  }

  // ---------------------------------------------------------------------------------------------
  // Reading the document

  static List<EndpointSpec> readPosts(JsonNode spec) {
    List<EndpointSpec> result = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : spec.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
        String method = operation.getKey();
        if (method.equals("post")) {
          result.add(readPost(path.getKey(), operation.getValue()));
        } else if (!method.equals("get")) {
          throw unsupported(path.getKey(), "method " + method);
        }
      }
    }
    return result;
  }

  static List<GetSpec> readGets(JsonNode spec) {
    List<GetSpec> result = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : spec.path("paths").properties()) {
      JsonNode get = path.getValue().get("get");
      if (get != null) result.add(new GetSpec(path.getKey(), summary(path.getKey(), get)));
    }
    return result;
  }

  private static EndpointSpec readPost(String path, JsonNode operation) {
    JsonNode content = operation.path("requestBody").path("content");
    if (content.size() != 1 || !content.has(MULTIPART)) {
      throw unsupported(path, "request body other than " + MULTIPART);
    }
    JsonNode schema = content.get(MULTIPART).path("schema");
    checkKeywords(path, schema, SCHEMA_KEYWORDS);
    Set<String> required = textSet(schema.path("required"));
    List<FieldSpec> fields = new ArrayList<>();
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      String name = property.getKey();
      fields.add(readField(path, name, property.getValue(), required.contains(name)));
    }
    for (String name : required) {
      if (!schema.path("properties").has(name)) throw unsupported(path, "required unknown " + name);
    }
    boolean async = isAsync(operation);
    return new EndpointSpec(path, summary(path, operation), async, !async || answersSyncToo(operation),
        fields, readAnyOf(path, schema));
  }

  /** Asynchronous: the 200 response mentions {@code task_id} anywhere (schema or example). */
  static boolean isAsync(JsonNode operation) {
    JsonNode ok = operation.path("responses").path("200");
    return ok.toString().contains("task_id");
  }

  /** An asynchronous endpoint that also answers directly: a 200 example says {@code "task_type":"sync"}. */
  static boolean answersSyncToo(JsonNode operation) {
    JsonNode examples = operation.path("responses").path("200").path("content").path("application/json")
        .path("examples");
    for (JsonNode example : examples) {
      if ("sync".equals(example.path("value").path("task_type").asText())) return true;
    }
    return false;
  }

  private static FieldSpec readField(String path, String name, JsonNode property, boolean required) {
    String where = path + " field " + name;
    checkKeywords(where, property, FIELD_KEYWORDS);
    String type = property.path("type").asText();
    if (!SCALAR_TYPES.contains(type)) throw unsupported(where, "type " + type);
    boolean file = "binary".equals(property.path("format").asText(null));
    if (property.has("format") && !file) throw unsupported(where, "format " + property.get("format"));

    List<String> allowed = new ArrayList<>();
    for (JsonNode value : property.path("enum")) allowed.add(value.asText());
    String defaultValue = property.has("default") ? property.get("default").asText() : null;
    Integer maxLength = property.has("maxLength") ? property.get("maxLength").intValue() : null;
    String description = property.path("description").asText("");
    if (!file) {
      if (maxLength != null && !type.equals("string")) throw unsupported(where, "maxLength on " + type);
      if (!allowed.isEmpty() && type.equals("boolean")) throw unsupported(where, "enum on a boolean");
      return new FieldSpec(name, false, type, required, allowed, defaultValue, maxLength, null, List.of(),
          null, null);
    }
    if (!allowed.isEmpty() || defaultValue != null || maxLength != null) {
      throw unsupported(where, "enum, default or maxLength on a file");
    }
    return new FieldSpec(name, true, null, required, List.of(), null, null,
        maxFileBytes(where, description), formats(where, description),
        resolution(where, description, LARGER_THAN), resolution(where, description, SMALLER_THAN));
  }

  /**
   * One bound of "Image resolution: Larger than 200x200px, smaller than 4090x4090px" (or "Less than
   * 4096x4096px") as {width, height}; null if the line does not state it.
   */
  static int[] resolution(String where, String description, Pattern bound) {
    Matcher line = RESOLUTION_LINE.matcher(description);
    if (!line.find()) return null;
    if (!LARGER_THAN.matcher(line.group(1)).find() && !SMALLER_THAN.matcher(line.group(1)).find()) {
      throw unsupported(where, "resolution limit '" + line.group(1).trim() + "'");
    }
    Matcher size = bound.matcher(line.group(1));
    return size.find() ? new int[] {Integer.parseInt(size.group(1)), Integer.parseInt(size.group(2))} : null;
  }

  /** Each anyOf alternative must require exactly one field; the alternatives form one group. */
  private static List<List<String>> readAnyOf(String path, JsonNode schema) {
    if (!schema.has("anyOf")) return List.of();
    List<String> group = new ArrayList<>();
    for (JsonNode alternative : schema.get("anyOf")) {
      JsonNode names = alternative.path("required");
      if (alternative.size() != 1 || names.size() != 1) {
        throw unsupported(path, "anyOf alternative " + alternative);
      }
      String name = names.get(0).asText();
      if (!schema.path("properties").has(name)) throw unsupported(path, "anyOf unknown " + name);
      group.add(name);
    }
    return List.of(group);
  }

  /** The limit of "Image size: No more than N MB" (or KB, GB; 1 MB = 1024 KB); null if not stated. */
  static Long maxFileBytes(String where, String description) {
    Matcher line = SIZE_LINE.matcher(description);
    if (!line.find()) return null;
    Matcher limit = NO_MORE_THAN.matcher(line.group(1));
    if (!limit.find()) throw unsupported(where, "size limit '" + line.group(1).trim() + "'");
    long unit = switch (limit.group(2).toUpperCase(Locale.ROOT)) {
      case "KB" -> 1024L;
      case "MB" -> 1024L * 1024;
      default -> 1024L * 1024 * 1024;
    };
    return new BigDecimal(limit.group(1)).multiply(BigDecimal.valueOf(unit)).longValueExact();
  }

  /** The ImageFormat names of "Image format: `JPEG` `JPG` `PNG`", in order; empty if not stated. */
  static List<String> formats(String where, String description) {
    Matcher line = FORMAT_LINE.matcher(description);
    if (!line.find()) return List.of();
    Set<String> result = new LinkedHashSet<>();
    Matcher token = BACKTICKED.matcher(line.group(1));
    while (token.find()) {
      String format = token.group(1).trim().toUpperCase(Locale.ROOT);
      switch (format) {
        case "JPG", "JPEG" -> result.add("JPEG");
        case "PNG", "BMP", "WEBP" -> result.add(format);
        default -> throw unsupported(where, "image format " + format);
      }
    }
    if (result.isEmpty()) throw unsupported(where, "format line '" + line.group(1).trim() + "'");
    return List.copyOf(result);
  }

  private static String summary(String path, JsonNode operation) {
    String summary = operation.path("summary").asText("").trim();
    if (summary.isEmpty()) throw unsupported(path, "missing summary");
    return summary;
  }

  private static void checkKeywords(String where, JsonNode node, Set<String> known) {
    if (!node.isObject()) throw unsupported(where, "non-object schema " + node);
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!known.contains(entry.getKey())) throw unsupported(where, "keyword " + entry.getKey());
    }
  }

  private static Set<String> textSet(JsonNode array) {
    Set<String> result = new LinkedHashSet<>();
    for (JsonNode value : array) result.add(value.asText());
    return result;
  }

  private static IllegalStateException unsupported(String where, String what) {
    return new IllegalStateException(where + ": unsupported " + what);
  }

  // ---------------------------------------------------------------------------------------------
  // Naming

  /** UPPER_SNAKE of the last path segment; where two paths clash, of the last two segments. */
  static Map<String, String> constantNames(List<String> paths) {
    Map<String, Integer> lastSegmentCounts = new HashMap<>();
    for (String path : paths) lastSegmentCounts.merge(upperSnake(segments(path, 1)), 1, Integer::sum);
    Map<String, String> result = new LinkedHashMap<>();
    Set<String> taken = new HashSet<>();
    for (String path : paths) {
      String name = upperSnake(segments(path, 1));
      if (lastSegmentCounts.get(name) > 1) name = upperSnake(segments(path, 2));
      if (!name.matches("[A-Z][A-Z0-9_]*") || !taken.add(name)) {
        throw new IllegalStateException(path + ": cannot name constant " + name);
      }
      result.put(path, name);
    }
    return result;
  }

  private static String segments(String path, int count) {
    String[] parts = path.split("/");
    return String.join("-", List.of(parts).subList(parts.length - count, parts.length));
  }

  private static String upperSnake(String text) {
    return text.replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------------------------------------
  // Writing Endpoints.java

  static String render(List<EndpointSpec> posts, List<GetSpec> gets) {
    Map<String, String> names = constantNames(posts.stream().map(EndpointSpec::path).toList());
    StringBuilder out = new StringBuilder();
    renderHeader(out, posts);
    for (GetSpec get : gets) renderGetPath(out, get);
    for (EndpointSpec endpoint : posts) renderConstant(out, names.get(endpoint.path()), endpoint);
    renderFooter(out, posts, names);
    return out.toString();
  }

  private static void renderHeader(StringBuilder out, List<EndpointSpec> posts) {
    Set<String> formats = new TreeSet<>();
    for (EndpointSpec endpoint : posts) {
      for (FieldSpec field : endpoint.fields()) formats.addAll(field.formats());
    }
    long asyncCount = posts.stream().filter(EndpointSpec::async).count();
    out.append("// Generated by EndpointCatalogGenerator from ailabapi-openapi.json; do not edit by hand.\n")
        .append("// Regenerate: mvn -q test-compile exec:java -Dexec.classpathScope=test \\\n")
        .append("//     -Dexec.mainClass=io.github.ailabkit.tools.EndpointCatalogGenerator \\\n")
        .append("//     -Dexec.args=\"src/test/resources/ailabapi-openapi.json")
        .append(" src/main/java/io/github/ailabkit/Endpoints.java\"\n")
        .append("package io.github.ailabkit;\n\n");
    for (String format : formats) {
      out.append("import static io.github.ailabkit.ImageFormat.").append(format).append(";\n");
    }
    out.append("\n")
        .append("import java.util.LinkedHashMap;\n")
        .append("import java.util.List;\n")
        .append("import java.util.Map;\n")
        .append("import java.util.Objects;\n")
        .append("import java.util.Optional;\n\n")
        .append("/**\n")
        .append(" * The catalog of the AILab API: one constant per {@code POST} endpoint (")
        .append(posts.size()).append(", of which\n")
        .append(" * ").append(asyncCount).append(" answer with a task id to poll), generated from the ")
        .append("vendor's OpenAPI document.\n")
        .append(" *\n")
        .append(" * <pre>{@code\n")
        .append(" * Endpoint endpoint = Endpoints.HAIRSTYLE_EDITOR_PRO;\n")
        .append(" * Endpoint same = Endpoints.forPath(\"/api/portrait/effects/hairstyle-editor-pro\")")
        .append(".orElseThrow();\n")
        .append(" * }</pre>\n")
        .append(" */\n")
        .append("public final class Endpoints {\n");
  }

  private static void renderGetPath(StringBuilder out, GetSpec get) {
    String name = upperSnake(segments(get.path(), 1)) + "_PATH";
    javadoc(out, "{@code GET}: " + escapeHtml(get.summary()) + ".");
    out.append("  public static final String ").append(name).append(" = ")
        .append(javaString(get.path())).append(";\n\n");
  }

  private static void renderConstant(StringBuilder out, String name, EndpointSpec endpoint) {
    javadoc(out, describe(endpoint));
    out.append("  public static final Endpoint ").append(name).append(" =\n");
    String factory = endpoint.async() && endpoint.sync() ? "Endpoint.syncOrAsync("
        : endpoint.async() ? "Endpoint.async(" : "Endpoint.sync(";
    call(out, 6, factory, List.of(javaString(endpoint.path()), javaString(endpoint.summary())));
    for (FieldSpec field : endpoint.fields()) renderField(out, field);
    for (List<String> group : endpoint.anyOfGroups()) {
      List<String> args = group.stream().map(EndpointCatalogGenerator::javaString).toList();
      call(out, 10, ".anyOf(", args);
    }
    out.append("          .build();\n\n");
  }

  private static void renderField(StringBuilder out, FieldSpec field) {
    List<String> args = new ArrayList<>();
    args.add(javaString(field.name()));
    args.add(Boolean.toString(field.required()));
    if (field.file()) {
      args.add(field.maxFileBytes() == null ? "null" : longLiteral(field.maxFileBytes()));
      if (field.minResolution() != null || field.maxResolution() != null) {
        args.add(sizeLiteral(field.minResolution()));
        args.add(sizeLiteral(field.maxResolution()));
      }
      args.addAll(field.formats());
      call(out, 10, ".file(", args);
      return;
    }
    args.add(field.defaultValue() == null ? "null" : javaString(field.defaultValue()));
    if (field.type().equals("string")) {
      args.add(field.maxLength() == null ? "null" : field.maxLength().toString());
    }
    for (String value : field.allowedValues()) args.add(javaString(value));
    String method = switch (field.type()) {
      case "integer" -> ".integer(";
      case "number" -> ".number(";
      case "boolean" -> ".bool(";
      default -> ".text(";
    };
    call(out, 10, method, args);
  }

  private static String sizeLiteral(int[] size) {
    return size == null ? "null" : "new Endpoint.Size(" + size[0] + ", " + size[1] + ")";
  }

  private static void renderFooter(StringBuilder out, List<EndpointSpec> posts,
      Map<String, String> names) {
    out.append("  private static final List<Endpoint> ALL = List.of(\n");
    for (int i = 0; i < posts.size(); i++) {
      out.append("      ").append(names.get(posts.get(i).path()))
          .append(i + 1 < posts.size() ? ",\n" : ");\n\n");
    }
    out.append("  private static final Map<String, Endpoint> BY_PATH = byPath(ALL);\n\n")
        .append("  private Endpoints() {}\n\n")
        .append("  /** All POST endpoints, in the document's order; the list is unmodifiable. */\n")
        .append("  public static List<Endpoint> all() {\n")
        .append("    return ALL;\n")
        .append("  }\n\n")
        .append("  /** The POST endpoint with this path, or empty if there is none (such as a GET path). */\n")
        .append("  public static Optional<Endpoint> forPath(String path) {\n")
        .append("    Objects.requireNonNull(path, \"path == null\");\n")
        .append("    return Optional.ofNullable(BY_PATH.get(path));\n")
        .append("  }\n\n")
        .append("  private static Map<String, Endpoint> byPath(List<Endpoint> endpoints) {\n")
        .append("    Map<String, Endpoint> result = new LinkedHashMap<>();\n")
        .append("    for (Endpoint endpoint : endpoints) result.put(endpoint.path(), endpoint);\n")
        .append("    return result;\n")
        .append("  }\n")
        .append("}\n");
  }

  /** "Summary: asynchronous; requires {@code a}, {@code b}; at least one of ..." */
  private static String describe(EndpointSpec endpoint) {
    StringBuilder text = new StringBuilder(escapeHtml(endpoint.summary())).append(
        endpoint.async() && endpoint.sync() ? ": asynchronous, or synchronous with {@code task_type=sync}"
            : endpoint.async() ? ": asynchronous" : ": synchronous");
    List<String> required = endpoint.fields().stream()
        .filter(FieldSpec::required).map(FieldSpec::name).toList();
    text.append(required.isEmpty() ? "; no required fields" : "; requires " + codeList(required));
    for (List<String> group : endpoint.anyOfGroups()) {
      text.append("; at least one of ").append(codeList(group));
    }
    return text.append('.').toString();
  }

  private static String codeList(List<String> names) {
    return String.join(", ", names.stream().map(name -> "{@code " + name + "}").toList());
  }

  /** A one-line Javadoc if it fits, else a block with the text wrapped at word boundaries. */
  private static void javadoc(StringBuilder out, String text) {
    String oneLine = "  /** " + text + " */";
    if (oneLine.length() <= MAX_LINE) {
      out.append(oneLine).append('\n');
      return;
    }
    out.append("  /**\n");
    StringBuilder line = new StringBuilder("   *");
    Matcher words = WORD.matcher(text);
    while (words.find()) {
      String word = words.group();
      if (line.length() > 4 && line.length() + 1 + word.length() > MAX_LINE) {
        out.append(line).append('\n');
        line = new StringBuilder("   *");
      }
      line.append(' ').append(word);
    }
    out.append(line).append("\n   */\n");
  }

  /**
   * Writes {@code head(arg, arg, ...)} at this indent, wrapping the arguments at the line limit onto
   * lines indented past the {@code .file(}/{@code .text(} calls.
   */
  private static void call(StringBuilder out, int indent, String head, List<String> args) {
    String continuation = " ".repeat(14);
    StringBuilder line = new StringBuilder(" ".repeat(indent)).append(head);
    for (int i = 0; i < args.size(); i++) {
      String piece = args.get(i) + (i + 1 < args.size() ? "," : ")");
      if (i > 0 && line.length() + 1 + piece.length() > MAX_LINE) {
        out.append(line).append('\n');
        line = new StringBuilder(continuation).append(piece);
      } else {
        line.append(i > 0 ? " " : "").append(piece);
      }
    }
    out.append(line).append('\n');
  }

  private static String longLiteral(long value) {
    String digits = Long.toString(value);
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < digits.length(); i++) {
      if (i > 0 && (digits.length() - i) % 3 == 0) grouped.append('_');
      grouped.append(digits.charAt(i));
    }
    return grouped.append('L').toString();
  }

  static String javaString(String value) {
    StringBuilder result = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> result.append("\\\"");
        case '\\' -> result.append("\\\\");
        case '\n' -> result.append("\\n");
        case '\r' -> result.append("\\r");
        case '\t' -> result.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            result.append(String.format("\\u%04x", (int) c));
          } else {
            result.append(c);
          }
        }
      }
    }
    return result.append('"').toString();
  }

  private static String escapeHtml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("@", "&#64;").replace("*/", "*&#47;");
  }
}
