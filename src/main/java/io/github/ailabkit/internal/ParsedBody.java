package io.github.ailabkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * A response body parsed once, as it streams in, into the JSON tree that the retry layer (which must know the
 * error code, or whether a 200 is garbled, to decide on a retry) and {@link ResponseReader} both use.
 *
 * <p>Memory is bounded by work, not by the wire: the body is never held whole. Only its first
 * {@value #KEPT_PREFIX} bytes are kept (for error excerpts and TRACE lines); the tree is built within the
 * limits of {@link Json} (tokens, nesting, string length) and the decoded body may not exceed
 * {@link RetryInterceptor#MAX_BUFFERED_BODY}. An answer over either limit is refused, not retried.
 */
final class ParsedBody extends ResponseBody {
  /** Bytes of the body kept for excerpts; the tree holds what the SDK reads from the rest. */
  static final int KEPT_PREFIX = 4096;

  private final ResponseBody original;
  private final byte[] prefix;
  private final JsonNode tree;
  private final String refusal;
  /** The prefix as a source, made only if somebody reads the body again (an error excerpt, say). */
  private Buffer content;

  private ParsedBody(ResponseBody original, byte[] prefix, JsonNode tree, String refusal) {
    this.original = original;
    this.prefix = prefix;
    this.tree = tree;
    this.refusal = refusal;
  }

  /**
   * The response with its body read and parsed (a no-op for one parsed already).
   *
   * @throws IOException if the body cannot be read from the network (cut off, reset, timed out)
   */
  static Response parse(Response response) throws IOException {
    ResponseBody body = response.body();
    if (body == null || body instanceof ParsedBody) {
      return response;
    }
    String tooLarge = "a body larger than " + (RetryInterceptor.MAX_BUFFERED_BODY >> 20) + " MiB, refused unread";
    if (body.contentLength() > RetryInterceptor.MAX_BUFFERED_BODY) {
      return response.newBuilder().body(new ParsedBody(body, new byte[0], null, tooLarge)).build();
    }
    BufferedSource source = body.source();
    source.request(KEPT_PREFIX);
    Buffer buffered = source.getBuffer();
    byte[] prefix = buffered.snapshot((int) Math.min(buffered.size(), KEPT_PREFIX)).toByteArray();
    CappedStream in = new CappedStream(source, RetryInterceptor.MAX_BUFFERED_BODY);
    JsonNode tree = null;
    String refusal = null;
    try {
      JsonNode root = Json.mapper().readTree(in);
      if (root != null && root.isObject()) {
        in.drain(); // the rest (whitespace) within the cap, so the connection can be reused
        tree = root;
      } else {
        in.drain(); // JSON that is not an object: garbled, unless it is too large to be worth repeating
      }
    } catch (CappedStream.OverCap e) {
      refusal = tooLarge;
    } catch (StreamConstraintsException e) {
      refusal = "a body past the SDK's parsing limits, refused: " + e.getOriginalMessage();
    } catch (JsonProcessingException | RuntimeException garbled) { // a number Java cannot hold, say
      // cut off or not JSON (a proxy's page, say), unless it is too large to be worth repeating
      refusal = in.drainWithin() ? null : tooLarge;
    }
    return response.newBuilder().body(new ParsedBody(body, prefix, tree, refusal)).build();
  }

  /** The parsed body of {@code response}, or null if it was not {@link #parse parsed}. */
  static ParsedBody of(Response response) {
    return response.body() instanceof ParsedBody parsed ? parsed : null;
  }

  /** Whether the body was {@link #parse parsed} and not refused (too large, too complex): null tree = garbled. */
  static boolean isParsed(Response response) {
    ParsedBody parsed = of(response);
    return parsed != null && parsed.refusal == null;
  }

  /** The tree of a body {@link #parse parsed} earlier, or null. */
  static JsonNode treeOf(Response response) {
    ParsedBody parsed = of(response);
    return parsed == null ? null : parsed.tree;
  }

  /** The body's JSON object, or null when it held none. */
  JsonNode tree() {
    return tree;
  }

  /** Why the body was refused (too large or too complex), or null. */
  String refusal() {
    return refusal;
  }

  /** The body's first bytes, at most {@value #KEPT_PREFIX}. */
  byte[] prefix() {
    return prefix.clone();
  }

  @Override
  public MediaType contentType() {
    return original.contentType();
  }

  @Override
  public long contentLength() {
    return -1; // only the prefix can be read again
  }

  @Override
  public BufferedSource source() {
    if (content == null) {
      content = new Buffer().write(prefix);
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
