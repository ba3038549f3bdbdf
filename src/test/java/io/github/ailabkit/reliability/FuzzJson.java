package io.github.ailabkit.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Seeded generators of hostile JSON for the fuzz tests: random bytes, truncated and mutated answers, deep
 * nesting, huge numbers, and every field the SDK reads given a value of the wrong type. Everything is a
 * pure function of the {@link Random} passed in, so a seed reproduces a case exactly.
 */
final class FuzzJson {
  /** Every field name the SDK reads from an answer, at the top level or inside {@code data}/{@code error_detail}. */
  static final List<String> KNOWN_FIELDS = List.of("task_status", "error_detail", "error_code", "error_code_str",
      "error_msg", "data", "request_id", "log_id", "task_id", "output", "task_type");
  private static final List<String> DETAIL_FIELDS = List.of("code", "code_message", "message", "status_code");
  private static final List<String> DATA_FIELDS = List.of("task_status", "task_id", "image", "images", "result_urls",
      "image_url", "result_url", "unique_sign", "name", "balance", "total", "last_recharge_balance",
      "balance_warning", "first_buy_time", "last_update_time");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] SCALAR_TEXTS = {"", "0", "1", "2", "-1", "2.0", "1e400", "NaN", "null", "true",
      "99999999999999999999999", "ERROR_NO_FACE_IN_FILE", "AI_SERVICE_FLOW_RESTRICTION", " ", "\u0000", "\uD800",
      "\uD83D\uDE00", "http://", "https://", "https://files.example/a.png", "http://[::1", "https://a b/c",
      "http://x:99999999999/", "https://%zz/", "data:image/png;base64,", "data:;base64,AAAA", "\r\n", "\u2028"};
  private static final byte[][] IMAGE_MAGIC = {
      {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
      {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
      {'B', 'M'},
      {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'},
      {'R', 'I', 'F', 'F'}};

  private FuzzJson() {
  }

  /** A body an API answer could (wrongly) consist of. */
  static byte[] body(Random r) {
    switch (r.nextInt(12)) {
      case 0:
        return randomBytes(r, r.nextInt(3) == 0 ? 0 : r.nextInt(2_000));
      case 1: {
        byte[] valid = utf8(answer(r).toString());
        return java.util.Arrays.copyOf(valid, r.nextInt(valid.length + 1));
      }
      case 2:
        return utf8(deepNesting(r));
      case 3:
        return utf8(hugeNumbers(r));
      case 4:
      case 5:
      case 6:
        return utf8(wrongTypes(r).toString());
      case 7:
        return utf8(anyValue(r, 3).toString());
      case 8:
        return mutate(r, utf8(answer(r).toString()));
      case 9:
        return utf8(duplicatesAndEscapes(r));
      case 10: {
        byte[] valid = utf8(answer(r).toString());
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] out = new byte[bom.length + valid.length];
        System.arraycopy(bom, 0, out, 0, bom.length);
        System.arraycopy(valid, 0, out, bom.length, valid.length);
        return out;
      }
      default:
        return utf8(answer(r).toString() + (r.nextBoolean() ? " {\"trailing\":1}" : "]]]"));
    }
  }

  /** A well-formed answer in one of the API's shapes (query, submit, error, credits). */
  static ObjectNode answer(Random r) {
    ObjectNode root = NODES.objectNode();
    root.put("request_id", "req-" + r.nextInt(1000));
    root.put("log_id", "log-" + r.nextInt(1000));
    ObjectNode detail = root.putObject("error_detail");
    detail.put("status_code", 200);
    detail.put("code", r.nextInt(4) == 0 ? "ERROR_NO_FACE_IN_FILE" : "");
    detail.put("code_message", "");
    detail.put("message", "");
    switch (r.nextInt(4)) {
      case 0:
        root.put("task_status", r.nextInt(4));
        root.putObject("data").put("image", "https://files.example/" + r.nextInt(100) + ".png");
        break;
      case 1:
        root.put("task_id", "1714743372764." + r.nextInt(1_000_000));
        root.put("task_type", "async");
        break;
      case 2:
        root.put("error_code", r.nextBoolean() ? 0 : 422);
        root.put("error_code_str", "ERROR_NO_FACE_IN_FILE");
        root.put("error_msg", "old form");
        break;
      default:
        ArrayNode pools = root.putArray("data");
        pools.addObject().put("unique_sign", "x").put("balance", 12.5).put("first_buy_time", 1_700_000_000L);
        break;
    }
    return root;
  }

  /** An answer in which some known fields, at every level, carry a value of a random (often wrong) type. */
  static ObjectNode wrongTypes(Random r) {
    ObjectNode root = answer(r);
    for (String field : KNOWN_FIELDS) {
      if (r.nextInt(3) == 0) {
        root.set(field, anyValue(r, 2));
      }
    }
    JsonNode detail = root.get("error_detail");
    if (detail instanceof ObjectNode) {
      for (String field : DETAIL_FIELDS) {
        if (r.nextInt(3) == 0) {
          ((ObjectNode) detail).set(field, anyValue(r, 1));
        }
      }
    }
    JsonNode data = root.get("data");
    if (data instanceof ObjectNode) {
      for (String field : DATA_FIELDS) {
        if (r.nextInt(3) == 0) {
          ((ObjectNode) data).set(field, anyValue(r, 2));
        }
      }
    } else if (data instanceof ArrayNode) {
      for (int i = 0; i < r.nextInt(4); i++) {
        ObjectNode pool = ((ArrayNode) data).addObject();
        for (String field : DATA_FIELDS) {
          if (r.nextBoolean()) {
            pool.set(field, anyValue(r, 1));
          }
        }
      }
    }
    return root;
  }

  /** Any JSON value: scalars of every type (huge, negative, fractional, odd strings), arrays and objects. */
  static JsonNode anyValue(Random r, int depth) {
    switch (r.nextInt(depth > 0 ? 12 : 9)) {
      case 0:
        return NODES.nullNode();
      case 1:
        return NODES.booleanNode(r.nextBoolean());
      case 2:
        return NODES.numberNode(r.nextInt(7) - 2);
      case 3:
        return NODES.numberNode(r.nextLong());
      case 4:
        return NODES.numberNode(new BigInteger(r.nextInt(400) + 1, r).negate().multiply(BigInteger.valueOf(
            r.nextBoolean() ? 1 : -1)));
      case 5:
        return NODES.numberNode(r.nextBoolean() ? r.nextDouble() * 4 - 1 : new BigDecimal(
            BigInteger.valueOf(r.nextLong()), r.nextInt(800) - 400).doubleValue());
      case 6:
        return NODES.numberNode(new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(2000) - 1000));
      case 7:
        return NODES.textNode(SCALAR_TEXTS[r.nextInt(SCALAR_TEXTS.length)]);
      case 8:
        return NODES.textNode(text(r));
      case 9: {
        ArrayNode array = NODES.arrayNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          array.add(anyValue(r, depth - 1));
        }
        return array;
      }
      default: {
        ObjectNode object = NODES.objectNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          object.set(r.nextBoolean() ? KNOWN_FIELDS.get(r.nextInt(KNOWN_FIELDS.size())) : text(r),
              anyValue(r, depth - 1));
        }
        return object;
      }
    }
  }

  /** A random tree for {@code ResultFiles}: objects and arrays holding URLs, base64 images and junk. */
  static JsonNode resultTree(Random r, int depth) {
    if (depth <= 0 || r.nextInt(4) == 0) {
      switch (r.nextInt(6)) {
        case 0:
          return NODES.textNode(url(r));
        case 1:
          return NODES.textNode(base64(r));
        case 2:
          return NODES.textNode(text(r));
        default:
          return anyValue(r, 0);
      }
    }
    if (r.nextBoolean()) {
      ArrayNode array = NODES.arrayNode();
      for (int i = r.nextInt(5); i > 0; i--) {
        array.add(resultTree(r, depth - 1));
      }
      return array;
    }
    ObjectNode object = NODES.objectNode();
    for (int i = r.nextInt(5); i > 0; i--) {
      String[] keys = {"data", "output", "image", "images", "result_urls", "image_url", "result_url", text(r)};
      object.set(keys[r.nextInt(keys.length)], resultTree(r, depth - 1));
    }
    return object;
  }

  /** Text with the characters that break parsers: controls, surrogates (paired or not), emoji, quotes. */
  static String text(Random r) {
    int length = r.nextInt(10) == 0 ? r.nextInt(5_000) : r.nextInt(30);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      switch (r.nextInt(8)) {
        case 0:
          out.append((char) r.nextInt(0x20));
          break;
        case 1:
          out.append((char) (0xD800 + r.nextInt(0x800)));
          break;
        case 2:
          out.appendCodePoint(0x10000 + r.nextInt(0xFFFFF));
          break;
        case 3:
          out.append("\"\\/%&=#?+ <>{}[]:,".charAt(r.nextInt(18)));
          break;
        case 4:
          out.append((char) r.nextInt(0xFFFF));
          break;
        default:
          out.append((char) (0x21 + r.nextInt(0x5E)));
      }
    }
    return out.toString();
  }

  /** Something that starts like an http(s) URL and may be anything after that. */
  static String url(Random r) {
    String scheme = r.nextBoolean() ? "https://" : r.nextInt(4) == 0 ? " HTTP://" : "http://";
    String[] hosts = {"files.example", "127.0.0.1", "[::1]", "[::1", "xn--nxasmq6b.example", "ex ample.com", "",
        "a..b", "h\u00e9.example", "%41.example", "host:", "host:0", "host:65536", "user:pw@host", "\uD800.example"};
    String host = hosts[r.nextInt(hosts.length)];
    String path = r.nextBoolean() ? "/results/" + r.nextInt(100) + ".png" : "/" + text(r);
    String query = r.nextInt(3) == 0 ? "?sig=" + text(r) + "&x=%zz" : "";
    String fragment = r.nextInt(5) == 0 ? "#" + text(r) : "";
    return (r.nextInt(10) == 0 ? "  " : "") + scheme + host + path + query + fragment;
  }

  /** Base64 (standard or URL-safe, maybe a data: URI, maybe broken) of bytes that may start like an image. */
  static String base64(Random r) {
    byte[] bytes = randomBytes(r, r.nextInt(200));
    if (r.nextBoolean()) {
      byte[] magic = IMAGE_MAGIC[r.nextInt(IMAGE_MAGIC.length)];
      System.arraycopy(magic, 0, bytes, 0, Math.min(magic.length, bytes.length));
    }
    String encoded = (r.nextBoolean() ? Base64.getEncoder() : Base64.getUrlEncoder()).encodeToString(bytes);
    switch (r.nextInt(6)) {
      case 0:
        return "data:image/png;base64," + encoded;
      case 1:
        return encoded.replace("A", "-").replace("B", "+");
      case 2:
        return encoded.substring(0, r.nextInt(encoded.length() + 1));
      case 3:
        return encoded.replaceAll("(.{10})", "$1\n");
      case 4:
        return encoded + "===";
      default:
        return encoded;
    }
  }

  private static String deepNesting(Random r) {
    int depth = 200 + r.nextInt(5_000);
    StringBuilder out = new StringBuilder();
    boolean objects = r.nextBoolean();
    out.append(objects ? "{\"task_status\":2,\"data\":" : "");
    for (int i = 0; i < depth; i++) {
      out.append(objects ? "{\"data\":" : "[");
    }
    out.append("1");
    if (r.nextBoolean()) {
      for (int i = 0; i < depth; i++) {
        out.append(objects ? "}" : "]");
      }
      out.append(objects ? "}" : "");
    }
    return out.toString();
  }

  private static String hugeNumbers(Random r) {
    String[] numbers = {"1e400", "-1e400", "1e-400", "99999999999999999999999999999999", "-0", "2.0", "2e0",
        "2.5", "0x2", "02", "+2", ".5", "1.", "NaN", "Infinity", "-Infinity", "4294967298", "2147483648",
        "9223372036854775808", "1" + "0".repeat(1_200), "0." + "0".repeat(1_200) + "1", "1e2147483648"};
    String field = KNOWN_FIELDS.get(r.nextInt(KNOWN_FIELDS.size()));
    String value = numbers[r.nextInt(numbers.length)];
    return "{\"request_id\":\"req-n\",\"" + field + "\":" + value + ",\"task_status\":" + numbers[r.nextInt(
        numbers.length)] + ",\"error_detail\":{\"code\":\"\",\"status_code\":" + value + "}}";
  }

  private static String duplicatesAndEscapes(Random r) {
    String[] variants = {
        "{\"task_status\":1,\"task_status\":2,\"data\":{\"image\":\"https://a/b.png\"},\"data\":null}",
        "{\"task_status\":\"\\u0032\",\"request_id\":\"\\ud800\\udc00\\ud800\"}",
        "{\"error_detail\":{\"code\":\"\\u0000\"},\"task_status\":2}",
        "{\"error_detail\":{\"code\":\"\"},\"error_detail\":{\"code\":\"X\"}}",
        "{\"task_status\":2,\"data\":\"\\ud83d\"}",
        "{\"\":1,\"\\u0000\":2,\"task_status\":2}",
        "{'task_status':2}",
        "{task_status:2}",
        "{\"task_status\":2,}",
        "{\"task_status\":2 /* comment */}",
        "\u00ef\u00bb\u00bf{\"task_status\":2}",
    };
    return variants[r.nextInt(variants.length)];
  }

  private static byte[] mutate(Random r, byte[] bytes) {
    byte[] out = bytes.clone();
    for (int i = r.nextInt(5) + 1; i > 0 && out.length > 0; i--) {
      out[r.nextInt(out.length)] = (byte) r.nextInt(256);
    }
    return out;
  }

  private static byte[] randomBytes(Random r, int length) {
    byte[] bytes = new byte[length];
    r.nextBytes(bytes);
    return bytes;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
