package io.github.ailabkit.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.internal.Json;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a documented example answer, whose values are mostly {@code 0} and {@code ""}, into one with
 * plausible values, so a client's parsing meets real data: no number is zero and no text is empty, so a
 * member bound to the wrong name shows.
 *
 * <p>By member name: text naming a URL ({@code …url…}, or {@code result}) becomes the result file's URL;
 * text naming an image ({@code …image…}, {@code …base64…}, {@code texture_enhanced_…}, {@code …_map},
 * {@code …_area}, the garments of the clothes segmentation) becomes a base64 PNG, as does the empty
 * list {@code binary_data_base64}; other empty text becomes a short label. Zero numbers become a
 * probability for {@code probability}, {@code confidence} and ratios, a size for widths and heights,
 * a small whole number for codes and counts, and a decimal otherwise; non-zero values are kept.
 */
final class PlausibleValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String BASE64_PNG = Base64.getEncoder().encodeToString(Pngs.onePixel());
  private static final Set<String> GARMENTS = Set.of("bag", "coat", "hat", "pants", "shoes", "skirt", "tops");
  private static final Set<String> FRACTIONS = Set.of("probability", "confidence", "ratio", "occlusion");
  private static final Set<String> SIZES = Set.of("width", "height");
  private static final Set<String> WHOLE_NUMBERS = Set.of("type", "count", "num", "level", "value", "age",
      "skintone", "hue", "quality", "severity");

  private PlausibleValues() {
  }

  /** The documented answer ({@code documentedJson}) with plausible values; result files at {@code fileUrl}. */
  static ObjectNode fill(String documentedJson, String fileUrl) {
    try {
      return (ObjectNode) fill(Json.mapper().readTree(documentedJson), "", fileUrl);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode fill(JsonNode node, String name, String fileUrl) {
    if (node.isObject()) {
      ObjectNode filled = NODES.objectNode();
      for (Map.Entry<String, JsonNode> member : node.properties()) {
        filled.set(member.getKey(), fill(member.getValue(), member.getKey(), fileUrl));
      }
      return filled;
    }
    if (node.isArray()) {
      ArrayNode filled = NODES.arrayNode();
      node.forEach(element -> filled.add(fill(element, name, fileUrl)));
      if (filled.isEmpty() && name.contains("base64")) {
        filled.add(BASE64_PNG);
      }
      return filled;
    }
    if (node.isTextual() && node.textValue().isEmpty()) {
      return NODES.textNode(text(name.toLowerCase(Locale.ROOT), fileUrl));
    }
    if (node.isNumber() && node.doubleValue() == 0) {
      return number(name.toLowerCase(Locale.ROOT));
    }
    return node;
  }

  private static String text(String name, String fileUrl) {
    if (name.contains("url") || name.equals("result")) {
      return fileUrl;
    }
    if (name.contains("image") || name.contains("base64") || name.startsWith("texture_enhanced_")
        || name.endsWith("_map") || name.endsWith("_area") || GARMENTS.contains(name)) {
      return BASE64_PNG;
    }
    return "sim-" + name;
  }

  private static JsonNode number(String name) {
    int hash = Math.floorMod(name.hashCode(), 1000);
    if (FRACTIONS.stream().anyMatch(name::contains)) {
      return NODES.numberNode(0.5 + (hash % 49) / 100.0);
    }
    if (SIZES.stream().anyMatch(name::endsWith)) {
      return NODES.numberNode(512);
    }
    if (WHOLE_NUMBERS.stream().anyMatch(name::endsWith)) {
      return NODES.numberNode(1 + hash % 9);
    }
    return NODES.numberNode(1 + hash % 90 + (hash % 97) / 100.0);
  }
}
