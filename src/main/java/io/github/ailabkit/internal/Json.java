package io.github.ailabkit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The SDK's one Jackson mapper: lenient (unknown fields ignored) and thread-safe once built.
 *
 * <p>Parsing is bounded by work, not only by bytes: at most {@value #MAX_TOKENS} tokens, nesting
 * {@value #MAX_NESTING} deep, strings of {@value #MAX_STRING_CHARS} chars and names of {@value #MAX_NAME_CHARS}.
 * A tree node costs at most a few dozen bytes per byte of JSON (an empty object {@code {}} is the worst, at
 * about 25 times its size), so with these limits one answer's tree stays under about
 * {@value #MAX_TOKENS} &times; 100 bytes (25 MB), and a string under 4 bytes per char while it is read
 * (32 MB): whatever a server sends, reading one answer costs at most about 60 MB.
 */
public final class Json {
  /** Tokens (values, names, brackets) in one document; real answers have a few thousand. */
  public static final int MAX_TOKENS = 250_000;
  /** Nesting depth of arrays and objects; real answers nest fewer than ten levels. */
  public static final int MAX_NESTING = 100;
  /**
   * Chars in one string value: a base64 image of about 6 MB. Results returned inline (Image Extender, Object
   * Replacer) are images of the sizes the API accepts (at most 3-5 MB), so they pass; 4 Mi chars (3 MB)
   * could refuse a real, billed result. 8 concurrent hostile answers at this limit still fit a 256 MB heap.
   */
  public static final int MAX_STRING_CHARS = 8 * 1024 * 1024;
  /** Chars in one field name. */
  public static final int MAX_NAME_CHARS = 4096;

  private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxTokenCount(MAX_TOKENS)
              .maxNestingDepth(MAX_NESTING)
              .maxStringLength(MAX_STRING_CHARS)
              .maxNameLength(MAX_NAME_CHARS)
              .build())
          .build())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // exact: 0.5 and 1e-400 are not 0
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .build();

  private Json() {
  }

  /** The shared mapper. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The text of a field, or {@code ""} when it is absent, null or not a scalar. */
  public static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || !value.isValueNode() || value.isNull() ? "" : value.asText();
  }
}
