package io.github.ailabkit.simulator;

import io.github.ailabkit.internal.ImageSniffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming {@code multipart/form-data} parser (RFC 7578). File contents are never kept: a file
 * part is reduced to its size and first bytes, enough to check limits and sniff the format. Text
 * values are kept up to {@value #MAX_TEXT_BYTES} bytes.
 */
final class Multipart {
  static final int MAX_TEXT_BYTES = 64 * 1024;
  static final int HEAD_BYTES = ImageSniffer.HEADER_BYTES;
  private static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final int MAX_PARTS = 256;
  private static final int BUFFER_BYTES = 8 * 1024;

  /**
   * One part of the body.
   *
   * @param name the form field name
   * @param fileName the part's file name, or null for a text part
   * @param contentType the part's {@code Content-Type}, or null
   * @param size the content's size in bytes
   * @param head up to the first {@value #HEAD_BYTES} bytes of the content
   * @param text the content as UTF-8 text for a text part, or null for a file part
   */
  record Part(String name, String fileName, String contentType, long size, byte[] head, String text) {
    boolean isFile() {
      return fileName != null;
    }
  }

  /** The body is not well-formed multipart, or exceeds a parser limit. */
  static final class MalformedException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }
  }

  private Multipart() {
  }

  /**
   * Reads every part of a body, up to the closing delimiter (an epilogue is left unread).
   *
   * @param contentType the request's {@code Content-Type}, which names the boundary
   * @throws MalformedException if the body or the content type is not valid multipart
   * @throws IOException if reading the body failed
   */
  static List<Part> parse(InputStream body, String contentType) throws IOException {
    String boundary = boundary(contentType);
    byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    Reader reader = new Reader(body, delimiter.length);
    if (!reader.copyUntil(delimiter, (bytes, offset, length) -> { })) {
      throw new MalformedException("no boundary --" + boundary + " found in the body");
    }
    List<Part> parts = new ArrayList<>();
    while (true) {
      int first = reader.read();
      int second = reader.read();
      if (first == '-' && second == '-') {
        return parts;
      }
      while (first == ' ' || first == '\t') {
        first = second;
        second = reader.read();
      }
      if (first != '\r' || second != '\n') {
        throw new MalformedException("a boundary line must end with CRLF");
      }
      if (parts.size() == MAX_PARTS) {
        throw new MalformedException("more than " + MAX_PARTS + " parts");
      }
      parts.add(readPart(reader, delimiter));
    }
  }

  private static Part readPart(Reader reader, byte[] delimiter) throws IOException {
    Map<String, String> headers = readHeaders(reader);
    String disposition = headers.get("content-disposition");
    if (disposition == null) {
      throw new MalformedException("a part has no Content-Disposition header");
    }
    Map<String, String> params = parameters(disposition);
    String name = params.get("name");
    if (name == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
      throw new MalformedException("a part's Content-Disposition is not form-data with a name: " + disposition);
    }
    String fileName = params.get("filename");
    Content content = new Content(fileName == null);
    if (!reader.copyUntil(delimiter, content)) {
      throw new MalformedException("the body ends inside part '" + name + "' (no closing boundary)");
    }
    return new Part(name, fileName, headers.get("content-type"), content.size,
        Arrays.copyOf(content.head, content.headLength),
        content.text == null ? null : content.text.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, String> readHeaders(Reader reader) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    int total = 0;
    while (true) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int previous = -1;
      while (true) {
        int b = reader.read();
        if (b < 0) {
          throw new MalformedException("the body ends inside a part's headers");
        }
        if (++total > MAX_HEADER_BYTES) {
          throw new MalformedException("a part's headers exceed " + MAX_HEADER_BYTES + " bytes");
        }
        if (previous == '\r' && b == '\n') {
          break;
        }
        if (previous >= 0) {
          line.write(previous);
        }
        previous = b;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      if (text.isEmpty()) {
        return headers;
      }
      int colon = text.indexOf(':');
      if (colon <= 0) {
        throw new MalformedException("a part header has no name: " + text);
      }
      headers.put(text.substring(0, colon).trim().toLowerCase(Locale.ROOT), text.substring(colon + 1).trim());
    }
  }

  /** The boundary named by a {@code multipart/form-data} content type. */
  static String boundary(String contentType) throws MalformedException {
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw new MalformedException("the body must be multipart/form-data, not " + contentType);
    }
    String boundary = parameters(contentType).get("boundary");
    if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
      throw new MalformedException("the content type has no valid boundary (1 to 70 characters): " + contentType);
    }
    return boundary;
  }

  /** The {@code ;}-separated parameters of a header value, names lower-cased, quoted values unquoted. */
  static Map<String, String> parameters(String headerValue) {
    Map<String, String> params = new LinkedHashMap<>();
    int i = headerValue.indexOf(';');
    while (i >= 0 && i < headerValue.length()) {
      int equals = headerValue.indexOf('=', i + 1);
      if (equals < 0) {
        break;
      }
      String name = headerValue.substring(i + 1, equals).trim().toLowerCase(Locale.ROOT);
      StringBuilder value = new StringBuilder();
      int j = equals + 1;
      while (j < headerValue.length() && headerValue.charAt(j) == ' ') {
        j++;
      }
      if (j < headerValue.length() && headerValue.charAt(j) == '"') {
        for (j++; j < headerValue.length() && headerValue.charAt(j) != '"'; j++) {
          char c = headerValue.charAt(j);
          if (c == '\\' && j + 1 < headerValue.length()) {
            c = headerValue.charAt(++j);
          }
          value.append(c);
        }
        i = headerValue.indexOf(';', j);
      } else {
        int end = headerValue.indexOf(';', j);
        value.append(headerValue, j, end < 0 ? headerValue.length() : end);
        i = end;
      }
      params.putIfAbsent(name, value.toString().trim());
    }
    return params;
  }

  /** Receives the bytes of a part's content. */
  private interface Sink {
    void write(byte[] bytes, int offset, int length) throws IOException;
  }

  /** A part's content reduced to what the simulator checks: size, first bytes, and text if a text part. */
  private static final class Content implements Sink {
    final byte[] head = new byte[HEAD_BYTES];
    final ByteArrayOutputStream text;
    int headLength;
    long size;

    Content(boolean isText) {
      this.text = isText ? new ByteArrayOutputStream() : null;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      int copy = Math.min(length, HEAD_BYTES - headLength);
      System.arraycopy(bytes, offset, head, headLength, copy);
      headLength += copy;
      size += length;
      if (text != null) {
        if (size > MAX_TEXT_BYTES) {
          throw new MalformedException("a text value exceeds " + MAX_TEXT_BYTES + " bytes");
        }
        text.write(bytes, offset, length);
      }
    }
  }

  /**
   * A buffered reader that finds delimiters without holding more than one buffer. It starts with a
   * virtual CRLF, so the body's first boundary line matches the delimiter {@code CRLF--boundary}.
   */
  private static final class Reader {
    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;
    private boolean eof;

    Reader(InputStream in, int delimiterLength) {
      this.in = in;
      this.buffer = new byte[BUFFER_BYTES + delimiterLength];
      buffer[0] = '\r';
      buffer[1] = '\n';
      limit = 2;
    }

    int read() throws IOException {
      if (position == limit) {
        fill();
      }
      return position == limit ? -1 : buffer[position++] & 0xFF;
    }

    /**
     * Passes every byte before the next {@code delimiter} to {@code sink} and skips the delimiter.
     *
     * @return false if the body ended first (everything was passed on)
     */
    boolean copyUntil(byte[] delimiter, Sink sink) throws IOException {
      while (true) {
        while (limit - position < delimiter.length && !eof) {
          fill();
        }
        int found = indexOf(delimiter);
        if (found >= 0) {
          sink.write(buffer, position, found - position);
          position = found + delimiter.length;
          return true;
        }
        if (eof) {
          sink.write(buffer, position, limit - position);
          position = limit;
          return false;
        }
        int safe = limit - position - (delimiter.length - 1);
        sink.write(buffer, position, safe);
        position += safe;
        fill();
      }
    }

    private int indexOf(byte[] delimiter) {
      outer:
      for (int i = position; i <= limit - delimiter.length; i++) {
        for (int j = 0; j < delimiter.length; j++) {
          if (buffer[i + j] != delimiter[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    /** Moves the unread bytes to the front and reads more; sets {@code eof} at the end of the body. */
    private void fill() throws IOException {
      if (eof) {
        return;
      }
      if (position > 0) {
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
      }
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        eof = true;
      } else {
        limit += read;
      }
    }
  }
}
