package io.github.ailabkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.internal.ImageSniffer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Finds the result files in an answer and saves them before they expire (result URLs are deleted
 * 24 hours after the task was created; base64 results are never stored by the API).
 *
 * <pre>{@code
 * List<URI> files = ResultFiles.urls(done);
 * client.download(files.get(0), Path.of("out.png"));   // or ResultFiles.download(client, ...)
 * }</pre>
 *
 * <p>Every documented shape is covered ({@code data.image}, {@code data.images[]},
 * {@code data.result_urls[]}, {@code data.image_url}, {@code data.result_url}, top-level
 * {@code output.image_url}, and the top-level {@code image}, {@code result_image} or {@code result} of
 * some synchronous endpoints) by searching {@code data}, {@code output}, then every other top-level
 * member except the fields that describe the call ({@code request_id}, {@code error_detail}, ...).
 */
public final class ResultFiles {
  private static final int MIN_BASE64_CHARS = 64;
  /** Where most endpoints put their results. */
  private static final List<String> FIRST_PLACES = List.of("data", "output");
  /** Top-level members that describe the call, never a result. */
  private static final Set<String> CALL_FIELDS = Set.of("request_id", "log_id", "error_code", "error_code_str",
      "error_msg", "error_detail", "task_id", "task_type", "task_status");

  private ResultFiles() {
  }

  /** Every result URL of a completed task, in document order, without duplicates. */
  public static List<URI> urls(TaskResult result) {
    Objects.requireNonNull(result, "result == null");
    return urls(result.body());
  }

  /** Every result URL of a synchronous answer, in document order, without duplicates. */
  public static List<URI> urls(ApiResponse response) {
    Objects.requireNonNull(response, "response == null");
    return urls(response.body());
  }

  /** Every http(s) URL among the results of a JSON answer (see the class description for where). */
  public static List<URI> urls(JsonNode body) {
    Objects.requireNonNull(body, "body == null");
    Set<URI> found = new LinkedHashSet<>();
    for (JsonNode member : resultMembers(body)) {
      collect(member, value -> {
        URI uri = toHttpUri(value);
        if (uri != null) {
          found.add(uri);
        }
      });
    }
    return List.copyOf(found);
  }

  /** Every base64-encoded image (plain or {@code data:} URI) of a completed task, decoded. */
  public static List<byte[]> base64Images(TaskResult result) {
    Objects.requireNonNull(result, "result == null");
    return base64Images(result.body());
  }

  /** Every base64-encoded image of a synchronous answer, decoded. */
  public static List<byte[]> base64Images(ApiResponse response) {
    Objects.requireNonNull(response, "response == null");
    return base64Images(response.body());
  }

  /** Every base64-encoded image among the results of a JSON answer, decoded. */
  public static List<byte[]> base64Images(JsonNode body) {
    Objects.requireNonNull(body, "body == null");
    List<byte[]> images = new ArrayList<>();
    for (JsonNode member : resultMembers(body)) {
      collect(member, value -> {
        byte[] image = decodeImage(value);
        if (image != null) {
          images.add(image);
        }
      });
    }
    return images;
  }

  /**
   * Downloads a result file to {@code target}: the same as {@link AILabClient#download(URI, Path)}, kept
   * here beside {@link #urls(TaskResult)}. Streamed to disk, retried, bounded as a whole by the client's
   * {@link AILabClient.Builder#downloadTimeout(java.time.Duration) downloadTimeout}, and written atomically:
   * the file appears complete or not at all. The API key is never sent (the file host is not the API). For a
   * download that blocks no thread, use {@link AILabClient#downloadAsync(URI, Path)}.
   *
   * @return {@code target}
   * @throws IllegalArgumentException if {@code url} is not http(s) or {@code target} is a directory (nothing
   *     is fetched)
   * @throws AILabApiException if the file host answered with an error (404 once the file expired; 403 when
   *     a signed URL expired). Never an {@link AuthenticationException}: the file host does not see the API key
   *     and the message carries no part of the URL's query.
   * @throws AILabIOException if the file could not be fetched or written, or the download timeout passed
   */
  public static Path download(AILabClient client, URI url, Path target) {
    Objects.requireNonNull(client, "client == null");
    Objects.requireNonNull(url, "url == null");
    Objects.requireNonNull(target, "target == null");
    return client.download(url, target);
  }

  /** Where results are: {@code data} and {@code output} first, then every other member that is not a call field. */
  private static List<JsonNode> resultMembers(JsonNode body) {
    List<JsonNode> members = new ArrayList<>();
    for (String name : FIRST_PLACES) {
      if (body.has(name)) {
        members.add(body.get(name));
      }
    }
    body.properties().forEach(member -> {
      if (!FIRST_PLACES.contains(member.getKey()) && !CALL_FIELDS.contains(member.getKey())) {
        members.add(member.getValue());
      }
    });
    return members;
  }

  private interface Visitor {
    void text(String value);
  }

  private static void collect(JsonNode node, Visitor visitor) {
    if (node == null) {
      return;
    }
    if (node.isTextual()) {
      visitor.text(node.textValue());
    } else if (node.isContainerNode()) {
      node.forEach(child -> collect(child, visitor));
    }
  }

  private static URI toHttpUri(String value) {
    String text = value.trim();
    if (!(text.startsWith("https://") || text.startsWith("http://"))) {
      return null;
    }
    try {
      URI uri = new URI(text);
      return uri.getHost() == null ? null : uri;
    } catch (URISyntaxException e) {
      // Unencoded spaces or non-ASCII characters (object keys can carry them): encode rather than drop.
      HttpUrl lenient = HttpUrl.parse(text);
      if (lenient == null) {
        return null;
      }
      try {
        URI uri = lenient.newBuilder().fragment(null).build().uri();
        return uri.getHost() == null ? null : uri; // e.g. "https://$/a b": HttpUrl takes "$" for a host, URI does not
      } catch (RuntimeException unrepresentable) {
        return null; // e.g. U+00A0 in the fragment: HttpUrl keeps it, URI refuses it
      }
    }
  }

  private static byte[] decodeImage(String value) {
    String text = value.trim();
    int comma = text.indexOf(',');
    if (text.startsWith("data:") && comma > 0 && text.substring(0, comma).endsWith(";base64")) {
      text = text.substring(comma + 1);
    }
    if (text.length() < MIN_BASE64_CHARS) {
      return null;
    }
    // Strict decoding: a lenient (MIME) decoder skips characters it does not know, which silently
    // corrupts URL-safe base64 ('-', '_') and turns arbitrary text into bytes.
    StringBuilder compact = new StringBuilder(text.length());
    boolean standard = false;
    boolean urlSafe = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        continue;
      }
      if (c == '+' || c == '/') {
        standard = true;
      } else if (c == '-' || c == '_') {
        urlSafe = true;
      } else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '=')) {
        return null;
      }
      compact.append(c);
    }
    if (standard && urlSafe) {
      return null;
    }
    try {
      byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact.toString());
      return ImageSniffer.sniff(bytes, bytes.length) == null ? null : bytes;
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }
}
