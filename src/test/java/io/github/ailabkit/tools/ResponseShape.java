package io.github.ailabkit.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a JSON value in a documented answer, read from the response schema or, where the schema
 * says only {@code object}, from the examples. Shapes of the same member met twice (two examples, the
 * elements of one list) are merged: an absent or null value takes the other's shape, objects take the
 * union of their members, and two different kinds make the member untyped ({@link Untyped}).
 */
sealed interface ResponseShape {
  /** Members of every answer that describe the call, not its result; the SDK reads them elsewhere. */
  Set<String> CALL_FIELDS = Set.of("request_id", "log_id", "error_code", "error_code_str", "error_msg",
      "error_detail", "task_id", "task_type", "task_status");

  /** A JSON string. */
  record Text() implements ResponseShape {}

  /** A JSON number; {@code integer} only where the schema says so (examples never make integers). */
  record Number(boolean integer) implements ResponseShape {}

  /** A JSON boolean. */
  record Bool() implements ResponseShape {}

  /** Nothing is known yet (null, an empty list's element, an empty object): kept as JSON unless merged. */
  record Unknown() implements ResponseShape {}

  /** Two occurrences disagree (a string here, a number there): kept as JSON. */
  record Untyped() implements ResponseShape {}

  /** A JSON array whose elements have this shape. */
  record ListOf(ResponseShape element) implements ResponseShape {}

  /** A JSON object keyed by data (such as {@code "0"}, {@code "1"}) rather than by member names. */
  record MapOf(ResponseShape value) implements ResponseShape {}

  /** A JSON object with named members, in document order. */
  record Obj(Map<String, Member> members) implements ResponseShape {}

  /** A member of an object: its JSON name, shape and the schema's description (empty if none). */
  record Member(String name, ResponseShape shape, String description) {}

  /** The shape of an example value. */
  static ResponseShape ofExample(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) return new Unknown();
    if (value.isTextual()) return new Text();
    if (value.isNumber()) return new Number(false);
    if (value.isBoolean()) return new Bool();
    if (value.isArray()) {
      ResponseShape element = new Unknown();
      for (JsonNode item : value) element = merge(element, ofExample(item));
      return new ListOf(element);
    }
    if (value.isEmpty()) return new Unknown();
    boolean keyedByData = true;
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      keyedByData &= !Character.isLetter(entry.getKey().charAt(0));
    }
    if (keyedByData) {
      ResponseShape element = new Unknown();
      for (JsonNode item : value) element = merge(element, ofExample(item));
      return new MapOf(element);
    }
    Map<String, Member> members = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      members.put(entry.getKey(), new Member(entry.getKey(), ofExample(entry.getValue()), ""));
    }
    return new Obj(members);
  }

  /**
   * The shape a response schema states ({@code allOf}, {@code $ref} to {@code #/components/schemas/},
   * {@code object} with {@code properties}, {@code array}, scalars); an {@code object} without
   * properties is {@link Unknown}, to be read from the examples.
   */
  static ResponseShape ofSchema(String where, JsonNode schema, JsonNode document) {
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      String prefix = "#/components/schemas/";
      if (!ref.startsWith(prefix)) throw new IllegalStateException(where + ": unsupported $ref " + ref);
      return ofSchema(where, document.path("components").path("schemas").path(ref.substring(prefix.length())),
          document);
    }
    if (schema.has("allOf")) {
      ResponseShape result = new Unknown();
      for (JsonNode part : schema.get("allOf")) result = merge(result, ofSchema(where, part, document));
      return result;
    }
    return switch (schema.path("type").asText()) {
      case "string" -> new Text();
      case "integer" -> new Number(true);
      case "number" -> new Number(false);
      case "boolean" -> new Bool();
      case "array" -> new ListOf(ofSchema(where, schema.path("items"), document));
      case "object" -> {
        if (!schema.has("properties")) yield new Unknown();
        Map<String, Member> members = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : schema.get("properties").properties()) {
          members.put(property.getKey(), new Member(property.getKey(),
              ofSchema(where + "." + property.getKey(), property.getValue(), document),
              property.getValue().path("description").asText("")));
        }
        yield new Obj(members);
      }
      default -> throw new IllegalStateException(where + ": unsupported response schema " + schema);
    };
  }

  /** The merged shape of two occurrences of the same value. */
  static ResponseShape merge(ResponseShape a, ResponseShape b) {
    if (a instanceof Unknown) return b;
    if (b instanceof Unknown) return a;
    if (a instanceof Number x && b instanceof Number y) return new Number(x.integer() && y.integer());
    if (a instanceof ListOf x && b instanceof ListOf y) return new ListOf(merge(x.element(), y.element()));
    if (a instanceof MapOf x && b instanceof MapOf y) return new MapOf(merge(x.value(), y.value()));
    if (a instanceof Obj x && b instanceof Obj y) {
      Map<String, Member> members = new LinkedHashMap<>(x.members());
      y.members().forEach((name, member) -> members.merge(name, member, (old, added) -> new Member(name,
          merge(old.shape(), added.shape()), old.description().isEmpty() ? added.description() : old.description())));
      return new Obj(members);
    }
    return a.equals(b) ? a : new Untyped();
  }
}
