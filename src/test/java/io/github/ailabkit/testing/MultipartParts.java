package io.github.ailabkit.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okio.Buffer;
import okio.ByteString;

/** Reads a {@code multipart/form-data} body back into its parts, as a server would. */
public final class MultipartParts {
  private static final Pattern NAME = Pattern.compile("(?:^|;)\\s*name=\"([^\"]*)\"");
  private static final Pattern FILE_NAME = Pattern.compile("(?:^|;)\\s*filename=\"([^\"]*)\"");

  private MultipartParts() {
  }

  /**
   * One part as received.
   *
   * @param name the form field name from {@code Content-Disposition}
   * @param fileName the {@code filename} from {@code Content-Disposition}, or null for a text part
   * @param contentType the part's {@code Content-Type}, or null when absent
   * @param headers all the part's headers
   * @param body the part's bytes, exactly
   */
  public record Part(String name, String fileName, String contentType, Headers headers, ByteString body) {
    /** The body as UTF-8 text. */
    public String text() {
      return body.utf8();
    }
  }

  /** The parts of a recorded request, in order; fails if it is not {@code multipart/form-data}. */
  public static List<Part> parse(RecordedRequest request) throws IOException {
    String contentType = request.getHeaders().get("Content-Type");
    if (contentType == null) {
      throw new AssertionError("request has no Content-Type");
    }
    return parse(contentType, request.getBody());
  }

  /** The parts of a body with the given {@code Content-Type} header value. */
  public static List<Part> parse(String contentType, ByteString body) throws IOException {
    MediaType type = MediaType.get(contentType);
    if (!"multipart".equals(type.type()) || !"form-data".equals(type.subtype())) {
      throw new AssertionError("not multipart/form-data: " + contentType);
    }
    String boundary = type.parameter("boundary");
    if (boundary == null) {
      throw new AssertionError("no boundary in " + contentType);
    }
    List<Part> parts = new ArrayList<>();
    try (MultipartReader reader = new MultipartReader(new Buffer().write(body), boundary)) {
      MultipartReader.Part next;
      while ((next = reader.nextPart()) != null) {
        try (MultipartReader.Part part = next) {
          Headers headers = part.headers();
          String disposition = headers.get("Content-Disposition");
          if (disposition == null) {
            throw new AssertionError("part without Content-Disposition: " + headers);
          }
          parts.add(new Part(group(NAME, disposition), group(FILE_NAME, disposition), headers.get("Content-Type"),
              headers, part.body().readByteString()));
        }
      }
    }
    return parts;
  }

  /** The parts by field name; fails if a name occurs twice. */
  public static Map<String, Part> byName(List<Part> parts) {
    Map<String, Part> map = new LinkedHashMap<>();
    for (Part part : parts) {
      if (map.put(part.name(), part) != null) {
        throw new AssertionError("field " + part.name() + " sent twice");
      }
    }
    return map;
  }

  private static String group(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? m.group(1) : null;
  }
}
