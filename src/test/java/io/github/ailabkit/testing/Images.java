package io.github.ailabkit.testing;

import io.github.ailabkit.ImageFormat;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Real image files for upload tests: the format's true magic bytes followed by random bytes, so the
 * SDK's sniffing sees exactly what it would see in a real photo's first bytes.
 */
public final class Images {
  private static final int SEED = 20240503;

  private Images() {
  }

  /** The first bytes of a file of this format (what a real encoder writes). */
  public static byte[] header(ImageFormat format) {
    switch (format) {
      case JPEG:
        return new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00};
      case PNG:
        return new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 'I', 'H', 'D',
            'R'};
      case BMP:
        return new byte[] {'B', 'M', 0x36, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x00, 0x36, 0x00, 0x00, 0x00};
      case WEBP:
        return new byte[] {'R', 'I', 'F', 'F', 0x24, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '};
      default:
        throw new AssertionError(format);
    }
  }

  /** The header of {@code format} followed by random bytes, {@code size} bytes in all (at least the header). */
  public static byte[] bytes(ImageFormat format, int size) {
    byte[] header = header(format);
    byte[] bytes = new byte[Math.max(size, header.length)];
    new Random(SEED + size).nextBytes(bytes);
    System.arraycopy(header, 0, bytes, 0, header.length);
    return bytes;
  }

  /** Writes {@link #bytes(ImageFormat, int)} to {@code dir/name}. */
  public static Path write(Path dir, String name, ImageFormat format, int size) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes(format, size));
    return file;
  }

  /**
   * A file of exactly {@code size} bytes that starts with the header of {@code format} and is sparse
   * after it (cheap to create even when large; reads as zeros).
   */
  public static Path sparse(Path dir, String name, ImageFormat format, long size) throws IOException {
    Path file = dir.resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(header(format));
      raf.setLength(size);
    }
    return file;
  }

  /** A file that is no image at all: text, so no sniffer can mistake it. */
  public static Path notAnImage(Path dir, String name, int size) throws IOException {
    Path file = dir.resolve(name);
    StringBuilder text = new StringBuilder();
    while (text.length() < size) {
      text.append("hello, not an image. ");
    }
    Files.writeString(file, text.substring(0, size));
    return file;
  }
}
