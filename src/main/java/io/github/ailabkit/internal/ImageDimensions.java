package io.github.ailabkit.internal;

import io.github.ailabkit.Endpoint;
import io.github.ailabkit.ImageFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Reads an image's width and height in pixels from its file header alone.
 *
 * <p>Endpoints document resolution limits; checking them before upload saves a doomed request. Only
 * the header bytes are read (never the whole file, which may be tens of megabytes), and any byte
 * content, however broken, gives either a size or {@code null}, never a runtime exception.
 */
public final class ImageDimensions {
  /** JPEG: most bytes read (not skipped) while looking for the frame header. */
  private static final int MAX_JPEG_SCAN = 1 << 20;
  /** JPEG: most markers walked while looking for the frame header. */
  private static final int MAX_JPEG_SEGMENTS = 1_000;
  private static final int PNG_HEADER = 24;
  private static final int BMP_HEADER = 26;
  private static final int WEBP_HEADER = 30;
  private static final int GIF_HEADER = 10;

  private ImageDimensions() {
  }

  /**
   * The pixel size stated in the header of {@code file}, already sniffed as {@code format}; null when
   * the header does not state one (truncated, malformed, not that format, or a JPEG whose frame header
   * is not found within the first 1,000 markers).
   *
   * @throws IOException only if the file cannot be read, never because of what it contains
   */
  public static Endpoint.Size read(Path file, ImageFormat format) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(channel, format);
    }
  }

  /**
   * The pixel size stated by the image whose bytes {@code in} starts with, as {@link #read(Path,
   * ImageFormat)}; reads at most the header (for a JPEG, at most 1 MiB, skips included).
   */
  public static Endpoint.Size read(InputStream in, ImageFormat format) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(format, "format");
    return read(Channels.newChannel(in), format);
  }

  private static Endpoint.Size read(ReadableByteChannel channel, ImageFormat format) throws IOException {
    return switch (format) {
      case JPEG -> jpeg(new Scanner(channel));
      case PNG -> png(head(channel, PNG_HEADER));
      case BMP -> bmp(head(channel, BMP_HEADER));
      case WEBP -> webp(head(channel, WEBP_HEADER));
      case GIF -> gif(head(channel, GIF_HEADER));
    };
  }

  // "GIF87a" or "GIF89a", then the logical screen's width and height, little-endian 16-bit.
  private static Endpoint.Size gif(byte[] h) {
    return h.length < GIF_HEADER ? null : dimensions(u16le(h, 6), u16le(h, 8));
  }

  // A frame header (SOFn) states the size; it may follow any number of APPn, COM, DQT, DHT... segments,
  // each skipped by its length. The size-less entropy-coded data only starts after SOS.
  private static Endpoint.Size jpeg(Scanner in) throws IOException {
    if (in.u8() != 0xFF || in.u8() != 0xD8) {
      return null;
    }
    for (int segment = 0; segment < MAX_JPEG_SEGMENTS; segment++) {
      int marker = nextMarker(in);
      if (marker < 0 || marker == 0xD8 || marker == 0xD9 || marker == 0xDA) {
        return null; // end of file or of the scan budget, a second SOI, EOI, or SOS before any frame
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // TEM and RSTn stand alone, without a length
      }
      int length = in.u16();
      if (length < 2) {
        return null;
      }
      if (isStartOfFrame(marker)) {
        int precision = in.u8();
        int height = in.u16();
        int width = in.u16();
        // A height of 0 means "given by a DNL marker after the first scan": not in the header.
        return precision < 0 || length < 8 ? null : dimensions(width, height);
      }
      in.skip(length - 2);
    }
    return null;
  }

  // Like libjpeg: bytes that are not 0xFF before a marker are skipped, any run of 0xFF fill bytes is one
  // marker prefix, and 0xFF 0x00 (a stuffed byte out of place) is skipped too. -1 at the end.
  private static int nextMarker(Scanner in) throws IOException {
    while (true) {
      int c = in.u8();
      while (c >= 0 && c != 0xFF) {
        c = in.u8();
      }
      while (c == 0xFF) {
        c = in.u8();
      }
      if (c != 0) {
        return c;
      }
    }
  }

  // SOF0-SOF3, SOF5-SOF7, SOF9-SOF11, SOF13-SOF15; not DHT (C4), JPG (C8) or DAC (CC).
  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  // Signature, then the IHDR chunk (length 13) first: width and height as big-endian 31-bit integers.
  private static Endpoint.Size png(byte[] h) {
    if (h.length < PNG_HEADER || u8(h, 0) != 0x89 || h[1] != 'P' || h[2] != 'N' || h[3] != 'G'
        || h[4] != 0x0D || h[5] != 0x0A || h[6] != 0x1A || h[7] != 0x0A
        || h[12] != 'I' || h[13] != 'H' || h[14] != 'D' || h[15] != 'R') {
      return null;
    }
    return dimensions(s32be(h, 16), s32be(h, 20));
  }

  // A 14-byte file header, then the DIB header, whose first 4 bytes are its own size. The 12-byte
  // BITMAPCOREHEADER has unsigned 16-bit sizes; all later headers (BITMAPINFOHEADER, V4, V5, OS/2 2.x)
  // have signed 32-bit ones, with a negative height for a top-down bitmap.
  private static Endpoint.Size bmp(byte[] h) {
    if (h.length < 18 || h[0] != 'B' || h[1] != 'M') {
      return null;
    }
    int headerSize = s32le(h, 14);
    if (headerSize == 12) {
      return h.length < 22 ? null : dimensions(u16le(h, 18), u16le(h, 20));
    }
    if (headerSize < 16 || h.length < BMP_HEADER) {
      return null;
    }
    int height = s32le(h, 22);
    return height == Integer.MIN_VALUE ? null : dimensions(s32le(h, 18), Math.abs(height));
  }

  // RIFF, a size, WEBP, then the first chunk: its FourCC at 12, its size at 16, its data at 20.
  private static Endpoint.Size webp(byte[] h) {
    if (h.length < 21 || h[0] != 'R' || h[1] != 'I' || h[2] != 'F' || h[3] != 'F'
        || h[8] != 'W' || h[9] != 'E' || h[10] != 'B' || h[11] != 'P' || h[12] != 'V' || h[13] != 'P'
        || h[14] != '8') {
      return null;
    }
    if (h[15] == ' ') {
      // Lossy: a 3-byte frame tag, the start code 9d 01 2a, then 14-bit width and height (the top 2 bits
      // of each are an upscaling hint, not part of the size).
      if (h.length < 30 || u8(h, 23) != 0x9D || u8(h, 24) != 0x01 || u8(h, 25) != 0x2A) {
        return null;
      }
      return dimensions(u16le(h, 26) & 0x3FFF, u16le(h, 28) & 0x3FFF);
    }
    if (h[15] == 'L') {
      // Lossless: signature 0x2f, then 14 bits width - 1, 14 bits height - 1, 1 bit alpha, 3 bits version 0.
      if (h.length < 25 || u8(h, 20) != 0x2F) {
        return null;
      }
      int bits = s32le(h, 21);
      if (bits >>> 29 != 0) {
        return null;
      }
      return dimensions((bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
    }
    if (h[15] == 'X') {
      // Extended: 1 byte flags, 3 reserved bytes, then 24-bit canvas width - 1 and height - 1.
      if (h.length < 30) {
        return null;
      }
      return dimensions(u24le(h, 24) + 1, u24le(h, 27) + 1);
    }
    return null;
  }

  private static Endpoint.Size dimensions(int width, int height) {
    return width < 1 || height < 1 ? null : new Endpoint.Size(width, height);
  }

  // The first n bytes of the file, fewer if it is shorter.
  private static byte[] head(ReadableByteChannel channel, int n) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(n);
    while (buffer.hasRemaining() && channel.read(buffer) > 0) {
      // read until full or at the end
    }
    byte[] bytes = new byte[buffer.position()];
    buffer.flip().get(bytes);
    return bytes;
  }

  private static int u8(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  private static int u16le(byte[] b, int i) {
    return u8(b, i) | u8(b, i + 1) << 8;
  }

  private static int u24le(byte[] b, int i) {
    return u16le(b, i) | u8(b, i + 2) << 16;
  }

  private static int s32le(byte[] b, int i) {
    return u24le(b, i) | u8(b, i + 3) << 24;
  }

  private static int s32be(byte[] b, int i) {
    return u8(b, i) << 24 | u8(b, i + 1) << 16 | u8(b, i + 2) << 8 | u8(b, i + 3);
  }

  /**
   * Reads a file forwards through a small buffer; skips move the file position instead of reading, so
   * passing large metadata segments costs nothing. Reports the end (-1) after {@code MAX_JPEG_SCAN}
   * bytes read, which bounds the work on any file. A stream cannot move its position: its skips are
   * read, and count towards the budget.
   */
  private static final class Scanner {
    private final ReadableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(4096).limit(0);
    private int scanned;

    Scanner(ReadableByteChannel channel) {
      this.channel = channel;
    }

    /** The next byte, or -1 at the end of the file or of the scan budget. */
    int u8() throws IOException {
      if (scanned >= MAX_JPEG_SCAN) {
        return -1;
      }
      if (!buffer.hasRemaining()) {
        buffer.clear();
        int n = channel.read(buffer);
        buffer.flip();
        if (n <= 0) {
          return -1;
        }
      }
      scanned++;
      return buffer.get() & 0xFF;
    }

    /** The next two bytes as a big-endian unsigned number, or -1 at the end. */
    int u16() throws IOException {
      int high = u8();
      int low = u8();
      return high < 0 || low < 0 ? -1 : high << 8 | low;
    }

    /** Moves {@code n} (at least 0) bytes forwards; past the end, later reads report the end. */
    void skip(int n) throws IOException {
      if (n <= buffer.remaining()) {
        buffer.position(buffer.position() + n);
      } else if (channel instanceof SeekableByteChannel seekable) {
        seekable.position(seekable.position() + (n - buffer.remaining()));
        buffer.limit(0);
      } else {
        for (int i = 0; i < n && u8() >= 0; i++) {
          // a stream: read past the skipped bytes, within the scan budget
        }
      }
    }
  }
}
