package io.github.ailabkit.tools;

import io.github.ailabkit.tools.ResponseShape.ListOf;
import io.github.ailabkit.tools.ResponseShape.MapOf;
import io.github.ailabkit.tools.ResponseShape.Member;
import io.github.ailabkit.tools.ResponseShape.Obj;
import io.github.ailabkit.tools.ResponseTypesGenerator.SyncEndpoint;
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

/**
 * Writes the Java source of one synchronous endpoint's response record: the four components every
 * answer has (request id, log id, error detail, whole body; injected by {@code ResponseBinder}), one
 * component per documented member, and nested records for nested objects.
 *
 * <p>An object shape met more than once in the answer (Face Analyzer's many {@code {type, probability}})
 * becomes one record declared at the top, named after its members ({@code TypeProbability}) when they are
 * few, else after its first member name; every record name is unique in the file, so no nested record
 * hides another.
 */
final class ResponseRecordWriter {
  private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte",
      "case", "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum",
      "extends", "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof",
      "int", "interface", "long", "native", "new", "package", "private", "protected", "public", "return",
      "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws",
      "transient", "try", "void", "volatile", "while", "true", "false", "null", "record", "var", "yield",
      "hashCode", "toString", "equals", "getClass", "notify", "notifyAll", "wait", "clone", "finalize");
  /** Components every response record has, filled from the answer rather than bound by name. */
  private static final List<String> INJECTED = List.of("requestId", "logId", "errorDetail", "body");
  /** Simple names a nested record may not take: the generated file uses them. */
  private static final Set<String> RESERVED_TYPES = Set.of("List", "Map", "String", "Object", "JsonNode",
      "JsonProperty", "JacksonInject", "OptBoolean", "ApiResponse", "ErrorDetail", "PublicResponseFields",
      "ResponseBinder", "Override", "Double", "Long", "Boolean", "Endpoints", "AILabException");
  /** A shared record is named after its members when it has at most this many. */
  private static final int MAX_MEMBERS_IN_NAME = 3;

  private final SyncEndpoint endpoint;
  private final String name;
  private final Set<String> imports = new TreeSet<>();
  private final Set<String> usedNames = new HashSet<>();
  /** Object shapes met more than once, with the name of their one record. */
  private final Map<Obj, String> shared = new LinkedHashMap<>();
  /** The JSON names of the members that have each shared shape, in document order. */
  private final Map<Obj, Set<String>> sharedBy = new HashMap<>();

  private ResponseRecordWriter(SyncEndpoint endpoint) {
    this.endpoint = endpoint;
    this.name = ResponseTypesGenerator.typeName(endpoint.constant());
    usedNames.addAll(RESERVED_TYPES);
    usedNames.add(name);
  }

  /** The source of {@code endpoint}'s response record, after the generated-file header. */
  static String write(SyncEndpoint endpoint) {
    return new ResponseRecordWriter(endpoint).render();
  }

  private String render() {
    nameSharedShapes();
    imports.addAll(List.of("com.fasterxml.jackson.annotation.JacksonInject",
        "com.fasterxml.jackson.annotation.JsonProperty", "com.fasterxml.jackson.annotation.OptBoolean",
        "com.fasterxml.jackson.databind.JsonNode", "io.github.ailabkit.ApiResponse",
        "io.github.ailabkit.ErrorDetail", "io.github.ailabkit.PublicResponseFields",
        "io.github.ailabkit.internal.ResponseBinder"));
    String constant = endpoint.constant();
    List<String> javadoc = new ArrayList<>(List.of(
        "The answer of {@link io.github.ailabkit.Endpoints#" + constant + "} ("
            + JavaText.escapeHtml(endpoint.summary()) + "), typed from the vendor's documented answer. Members the API "
            + "adds later are ignored here and readable in {@link #body()}; a number is read whether it "
            + "comes as an integer or a decimal.",
        "",
        "<pre>{@code",
        "ApiResponse raw = client.call(Endpoints." + constant + ", form);",
        name + " answer = " + name + ".from(raw);",
        "}</pre>",
        "",
        "@param requestId the server's request id (empty if none)",
        "@param logId the server's log id (empty if none)",
        "@param errorDetail {@link ErrorDetail#NONE} for a successful call",
        "@param body the whole JSON answer, for anything the components do not cover"));
    List<String> components = new ArrayList<>(List.of(
        injected("REQUEST_ID", "String requestId"), injected("LOG_ID", "String logId"),
        injected("ERROR_DETAIL", "ErrorDetail errorDetail"), injected("BODY", "JsonNode body")));
    StringBuilder nested = new StringBuilder();
    addComponents(endpoint.shape(), new HashSet<>(INJECTED), components, javadoc, nested, 1);
    StringBuilder sharedRecords = new StringBuilder();
    for (Map.Entry<Obj, String> record : shared.entrySet()) {
      List<String> names = sharedBy.get(record.getKey()).stream()
          .map(json -> "{@code " + JavaText.escapeHtml(json) + "}").toList();
      renderRecord(record.getValue(), "The shape shared by " + String.join(", ", names) + ".",
          record.getKey(), sharedRecords, 1);
    }

    StringBuilder out = new StringBuilder("package io.github.ailabkit.params;\n\n");
    for (String imported : imports) out.append("import ").append(imported).append(";\n");
    out.append('\n');
    javadocBlock(out, "", javadoc);
    out.append("public record ").append(name).append("(\n");
    appendComponents(out, "    ", components);
    out.append(" implements PublicResponseFields {\n\n");
    javadocBlock(out, "  ", List.of(
        "Binds a synchronous answer of {@link io.github.ailabkit.Endpoints#" + constant + "}.",
        "",
        "@param response the answer of {@code client.call(Endpoints." + constant + ", form)}",
        "@return the typed answer; unknown members ignored",
        "@throws io.github.ailabkit.AILabException if a documented member has a shape that cannot be read"));
    out.append("  public static ").append(name).append(" from(ApiResponse response) {\n")
        .append("    return ResponseBinder.bind(response, ").append(name).append(".class);\n")
        .append("  }\n")
        .append(sharedRecords).append(nested).append("}\n");
    return out.toString();
  }

  /** Finds the object shapes met more than once and names their records. */
  private void nameSharedShapes() {
    Map<Obj, Integer> counts = new HashMap<>();
    Map<Obj, Set<String>> usedBy = new LinkedHashMap<>();
    countObjects(endpoint.shape(), "", counts, usedBy);
    for (Map.Entry<Obj, Set<String>> use : usedBy.entrySet()) {
      Obj shape = use.getKey();
      if (counts.get(shape) < 2) continue;
      String recordName = shape.members().size() <= MAX_MEMBERS_IN_NAME
          ? String.join("", shape.members().keySet().stream().map(ResponseTypesGenerator::upperCamel).toList())
          : singular(ResponseTypesGenerator.upperCamel(use.getValue().iterator().next()));
      shared.put(shape, claim(recordName, recordName));
      sharedBy.put(shape, use.getValue());
    }
  }

  private static void countObjects(ResponseShape shape, String jsonName, Map<Obj, Integer> counts,
      Map<Obj, Set<String>> usedBy) {
    if (shape instanceof ListOf list) {
      countObjects(list.element(), jsonName, counts, usedBy);
    } else if (shape instanceof MapOf map) {
      countObjects(map.value(), jsonName, counts, usedBy);
    } else if (shape instanceof Obj object) {
      counts.merge(object, 1, Integer::sum);
      usedBy.computeIfAbsent(object, first -> new LinkedHashSet<>()).add(jsonName);
      for (Member member : object.members().values()) {
        countObjects(member.shape(), member.name(), counts, usedBy);
      }
    }
  }

  /** Adds one component (and its {@code @param} line) per member; nested records go to {@code nested}. */
  private void addComponents(Obj object, Set<String> componentNames, List<String> components,
      List<String> javadoc, StringBuilder nested, int depth) {
    for (Member member : object.members().values()) {
      String component = componentName(member.name());
      if (!componentNames.add(component)) throw fail("two members named " + component);
      String type = javaType(member.name(), member.shape(), false, nested, depth);
      components.add("@JsonProperty(" + JavaText.javaString(member.name()) + ") " + type + " "
          + component);
      String doc = "@param " + component + " {@code " + JavaText.escapeHtml(member.name()) + "}";
      javadoc.add(member.description().isEmpty() ? doc : doc + ": " + JavaText.escapeHtml(member.description()));
    }
  }

  private String javaType(String jsonName, ResponseShape shape, boolean element, StringBuilder nested,
      int depth) {
    if (shape instanceof ResponseShape.Text) return "String";
    if (shape instanceof ResponseShape.Number number) {
      return number.integer() ? (element ? "Long" : "long") : (element ? "Double" : "double");
    }
    if (shape instanceof ResponseShape.Bool) return element ? "Boolean" : "boolean";
    if (shape instanceof ListOf list) {
      imports.add("java.util.List");
      return "List<" + javaType(jsonName, list.element(), true, nested, depth) + ">";
    }
    if (shape instanceof MapOf map) {
      imports.add("java.util.Map");
      return "Map<String, " + javaType(jsonName, map.value(), true, nested, depth) + ">";
    }
    if (shape instanceof Obj object) {
      if (shared.containsKey(object)) return shared.get(object);
      String upper = ResponseTypesGenerator.upperCamel(jsonName);
      String recordName = claim(element ? singular(upper) : upper, upper);
      renderRecord(recordName, (element ? "An element of the {@code " : "The {@code ") + JavaText.escapeHtml(jsonName)
          + "} member.", object, nested, depth);
      return recordName;
    }
    return "JsonNode"; // Unknown or Untyped: kept as JSON
  }

  /** Writes a record for {@code object} at {@code depth}, its own nested records inside it. */
  private void renderRecord(String recordName, String summary, Obj object, StringBuilder out, int depth) {
    String indent = "  ".repeat(depth);
    List<String> javadoc = new ArrayList<>(List.of(summary, ""));
    List<String> components = new ArrayList<>();
    StringBuilder inner = new StringBuilder();
    addComponents(object, new HashSet<>(), components, javadoc, inner, depth + 1);
    out.append('\n');
    javadocBlock(out, indent, javadoc);
    out.append(indent).append("public record ").append(recordName).append("(\n");
    appendComponents(out, indent + "    ", components);
    out.append(inner.isEmpty() ? " {}\n" : " {" + inner + indent + "}\n");
  }

  /** A record name not yet used in this file: {@code wanted}, else {@code wanted} + n. */
  private String claim(String wanted, String jsonWords) {
    if (wanted.isEmpty() || !Character.isLetter(wanted.charAt(0))) throw fail("cannot name a record " + jsonWords);
    String candidate = wanted;
    for (int n = 2; !usedNames.add(candidate); n++) candidate = wanted + n;
    return candidate;
  }

  private static String singular(String name) {
    return name.endsWith("s") && !name.endsWith("ss") ? name.substring(0, name.length() - 1) : name;
  }

  /** lowerCamelCase of a JSON name ({@code image_width} → {@code imageWidth}, {@code ITA} → {@code ita}). */
  private String componentName(String jsonName) {
    String camel = ResponseTypesGenerator.upperCamel(jsonName);
    if (camel.isEmpty() || !Character.isLetter(camel.charAt(0))) throw fail("cannot name a component " + jsonName);
    String component = camel.substring(0, 1).toLowerCase(Locale.ROOT) + camel.substring(1);
    return JAVA_KEYWORDS.contains(component) ? component + "Value" : component;
  }

  private IllegalStateException fail(String what) {
    return new IllegalStateException(endpoint.path() + ": " + what);
  }

  private static String injected(String key, String declaration) {
    return "@JacksonInject(value = ResponseBinder." + key + ", useInput = OptBoolean.FALSE) " + declaration;
  }

  private static void appendComponents(StringBuilder out, String indent, List<String> components) {
    for (int i = 0; i < components.size(); i++) {
      out.append(indent).append(components.get(i)).append(i + 1 < components.size() ? ",\n" : ")");
    }
  }

  /** A Javadoc block of these lines (an empty one separates paragraphs) at {@code indent} spaces. */
  private static void javadocBlock(StringBuilder out, String indent, List<String> lines) {
    JavaText.javadoc(out, indent.length(), String.join("\n", lines));
  }
}
