package io.github.ailabkit.testing;

import io.github.ailabkit.ImageFormat;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Real image files for upload tests: the format's true header, stating {@value #SIDE}x{@value #SIDE}
 * pixels, followed by random bytes, so the SDK's sniffing and size reading see exactly what they would see
 * in the first bytes of a real photo of that size.
 */
public final class Images {
  /** The width and height every header states: inside every documented resolution limit. */
  public static final int SIDE = 512;

  private static final int SEED = 20240503;

  private Images() {
  }

  /** The first bytes of a {@value #SIDE}x{@value #SIDE} file of this format, as a real encoder writes them. */
  public static byte[] header(ImageFormat format) {
    return header(format, SIDE, SIDE);
  }

  /** The first bytes of a file of this format stating {@code width}x{@code height} pixels (each under 16384). */
  public static byte[] header(ImageFormat format, int width, int height) {
    byte wHi = (byte) (width >> 8);
    byte wLo = (byte) width;
    byte hHi = (byte) (height >> 8);
    byte hLo = (byte) height;
    switch (format) {
      case JPEG: // SOI, a JFIF APP0 segment, then a baseline SOF0 segment: 8 bits, height, width, 3 components
        return new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00,
            0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
            (byte) 0xFF, (byte) 0xC0, 0x00, 0x11, 0x08, hHi, hLo, wHi, wLo, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01,
            0x03, 0x11, 0x01};
      case PNG: // signature, then the IHDR chunk: width, height (big-endian), 8-bit RGB
        return new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 'I', 'H', 'D',
            'R', 0x00, 0x00, wHi, wLo, 0x00, 0x00, hHi, hLo, 0x08, 0x02, 0x00, 0x00, 0x00};
      case BMP: // file header, then a BITMAPINFOHEADER: width, height (little-endian), 1 plane, 24 bits
        return new byte[] {'B', 'M', 0x36, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x00, 0x36, 0x00, 0x00, 0x00,
            0x28, 0x00, 0x00, 0x00, wLo, wHi, 0x00, 0x00, hLo, hHi, 0x00, 0x00, 0x01, 0x00, 0x18, 0x00};
      case WEBP: // RIFF, then a lossy VP8 chunk: frame tag, start code, 14-bit width and height (little-endian)
        return new byte[] {'R', 'I', 'F', 'F', 0x24, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ',
            0x18, 0x00, 0x00, 0x00, 0x50, 0x05, 0x00, (byte) 0x9D, 0x01, 0x2A, wLo, wHi, hLo, hHi};
      case GIF: // GIF89a, then the logical screen: width, height (little-endian), flags, background, aspect
        return new byte[] {'G', 'I', 'F', '8', '9', 'a', wLo, wHi, hLo, hHi, (byte) 0xF7, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00};
      default:
        throw new AssertionError(format);
    }
  }

  /** A small file of this format whose header states {@code width}x{@code height} pixels. */
  public static Path ofSize(Path dir, String name, ImageFormat format, int width, int height) throws IOException {
    byte[] header = header(format, width, height);
    byte[] bytes = Arrays.copyOf(header, header.length + 1024);
    new Random(SEED).nextBytes(bytes);
    System.arraycopy(header, 0, bytes, 0, header.length);
    return Files.write(dir.resolve(name), bytes);
  }

  /** The header of {@code format} followed by random bytes, {@code size} bytes in all (at least the header). */
  public static byte[] bytes(ImageFormat format, int size) {
    byte[] header = header(format);
    byte[] bytes = new byte[Math.max(size, header.length)];
    new Random(SEED + size).nextBytes(bytes);
    System.arraycopy(header, 0, bytes, 0, header.length);
    return bytes;
  }

  /** A real, decodable PNG of {@value #SIDE}x{@value #SIDE} pixels, as a photo editor would save it. */
  public static byte[] png() {
    BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        image.setRGB(x, y, (x / 2) << 16 | (y / 2) << 8 | 0x80);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
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
