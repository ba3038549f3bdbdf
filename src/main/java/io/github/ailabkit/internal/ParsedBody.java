package io.github.ailabkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * A fully buffered response body that carries its JSON tree, parsed once by the retry layer (which must
 * know the error code, or whether a 200 is garbled, to decide on a retry) and reused by
 * {@link ResponseReader}.
 */
final class ParsedBody extends ResponseBody {
  private final ResponseBody original;
  private final byte[] bytes;
  private final JsonNode tree;
  /** The bytes as a source, made only if somebody reads the body again (an error excerpt, say). */
  private Buffer content;

  private ParsedBody(ResponseBody original, byte[] bytes, JsonNode tree) {
    this.original = original;
    this.bytes = bytes;
    this.tree = tree;
  }

  /**
   * The response with its body read and parsed: the tree is the body's JSON object, or null if the body
   * is not one. A body larger than the retry layer buffers is left as it is.
   *
   * @throws IOException if the rest of the body cannot be read
   */
  static Response parse(Response response) throws IOException {
    ResponseBody body = response.body();
    if (body == null || body instanceof ParsedBody
        || body.source().getBuffer().size() > RetryInterceptor.MAX_BUFFERED_BODY) {
      return response;
    }
    // Read out rather than peeked: a peek shares okio's segments, which then cannot return to its pool.
    byte[] bytes = body.source().readByteArray();
    JsonNode tree;
    try {
      JsonNode root = Json.mapper().readTree(bytes);
      tree = root != null && root.isObject() ? root : null;
    } catch (IOException | RuntimeException garbled) {
      tree = null;
    }
    return response.newBuilder().body(new ParsedBody(body, bytes, tree)).build();
  }

  /** Whether the response's body was {@link #parse parsed} (buffered whole and within the limit). */
  static boolean isParsed(Response response) {
    return response.body() instanceof ParsedBody;
  }

  /** The tree of a body {@link #parse parsed} earlier, or null. */
  static JsonNode treeOf(Response response) {
    return response.body() instanceof ParsedBody ? ((ParsedBody) response.body()).tree : null;
  }

  @Override
  public MediaType contentType() {
    return original.contentType();
  }

  @Override
  public long contentLength() {
    return bytes.length;
  }

  @Override
  public BufferedSource source() {
    if (content == null) {
      content = new Buffer().write(bytes);
    }
    return content;
  }

  @Override
  public void close() {
    if (content != null) {
      content.clear();
    }
    original.close();
  }
}
