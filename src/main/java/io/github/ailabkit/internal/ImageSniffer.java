package io.github.ailabkit.internal;

import io.github.ailabkit.ImageFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells an image's real format from its first bytes (its magic number), whatever its file name says. */
public final class ImageSniffer {
  /** Enough for every check below: a BMP is told by its DIB header's size, at bytes 14 to 17. */
  public static final int HEADER_BYTES = 18;

  private ImageSniffer() {
  }

  /** The format of the file, or null if it is none of the formats the API knows. */
  public static ImageFormat sniff(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sniff(in);
    }
  }

  /** The format of the image whose bytes {@code in} starts with, or null; reads its first bytes only. */
  public static ImageFormat sniff(InputStream in) throws IOException {
    byte[] header = new byte[HEADER_BYTES];
    int read = in.readNBytes(header, 0, HEADER_BYTES);
    return sniff(header, read);
  }

  /** The format of an image whose first {@code length} bytes are in {@code header}, or null. */
  public static ImageFormat sniff(byte[] header, int length) {
    if (length >= 3 && u(header[0]) == 0xFF && u(header[1]) == 0xD8 && u(header[2]) == 0xFF) {
      return ImageFormat.JPEG;
    }
    if (length >= 8 && u(header[0]) == 0x89 && header[1] == 'P' && header[2] == 'N' && header[3] == 'G'
        && header[4] == 0x0D && header[5] == 0x0A && header[6] == 0x1A && header[7] == 0x0A) {
      return ImageFormat.PNG;
    }
    // "BM", then at byte 14 the size of a known DIB header: a text file that starts with "BM" is no BMP.
    if (length >= 18 && header[0] == 'B' && header[1] == 'M' && isDibHeaderSize(littleEndianInt(header, 14))) {
      return ImageFormat.BMP;
    }
    if (length >= 12 && header[0] == 'R' && header[1] == 'I' && header[2] == 'F' && header[3] == 'F'
        && header[8] == 'W' && header[9] == 'E' && header[10] == 'B' && header[11] == 'P') {
      return ImageFormat.WEBP;
    }
    if (length >= 6 && header[0] == 'G' && header[1] == 'I' && header[2] == 'F' && header[3] == '8'
        && (header[4] == '7' || header[4] == '9') && header[5] == 'a') {
      return ImageFormat.GIF;
    }
    return null;
  }

  /** The sizes of the DIB headers in use: OS/2 1.x core, OS/2 2.x short, INFO, V2, V3, OS/2 2.x, V4, V5. */
  private static boolean isDibHeaderSize(int size) {
    return size == 12 || size == 16 || size == 40 || size == 52 || size == 56 || size == 64 || size == 108
        || size == 124;
  }

  private static int littleEndianInt(byte[] bytes, int offset) {
    return u(bytes[offset]) | u(bytes[offset + 1]) << 8 | u(bytes[offset + 2]) << 16 | u(bytes[offset + 3]) << 24;
  }

  private static int u(byte b) {
    return b & 0xFF;
  }
}
