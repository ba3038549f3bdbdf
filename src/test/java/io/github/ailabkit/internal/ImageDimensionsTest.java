package io.github.ailabkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.Endpoint;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.testing.Images;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Node;

/** The size comes from the header alone, and no byte content makes reading it throw. */
class ImageDimensionsTest {
  private static final int[] SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE,
      0xCF};

  @TempDir Path dir;
  private int files;

  // --- Real encoder output ---------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({"png,PNG", "jpg,JPEG", "bmp,BMP"})
  void imageIoFilesOfEverySizeAreMeasuredExactly(String writer, ImageFormat format) throws Exception {
    for (int[] size : new int[][] {{1, 1}, {300, 200}, {200, 300}, {4097, 3}, {3, 4097}, {17, 9}}) {
      byte[] bytes = imageIo(writer, size[0], size[1]);
      assertThat(read(bytes, format)).as("%s %dx%d", writer, size[0], size[1])
          .isEqualTo(new Endpoint.Size(size[0], size[1]));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA", // lossy
      "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", // lossless
      "UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7m"
          + "tQAAAA==", // extended, with alpha
      "UklGRlIAAABXRUJQVlA4WAoAAAASAAAAAAAAAAAAQU5JTQYAAAD/////AABBTk1GJgAAAAAAAAAAAAAAAAAAAGQAAABWUDhMDQAAAC8A"
          + "AAAQBxAREYiI/gcA" // extended, animated
  })
  void libwebpFilesAreMeasured(String base64) throws Exception {
    // The 1x1 probes from the WebP FAQ: lossy, lossless, extended with alpha, extended animated.
    assertThat(read(Base64.getDecoder().decode(base64), ImageFormat.WEBP)).isEqualTo(new Endpoint.Size(1, 1));
  }

  // --- JPEG ------------------------------------------------------------------------------------------------

  @Test
  void jpegMetadataBeforeTheFrameIsSkippedByLengthNotSearched() throws Exception {
    byte[] jpeg = imageIo("jpg", 300, 200);
    // Decoy frame headers inside an EXIF segment and a comment: only a walk by segment length avoids them.
    byte[] decoy = {(byte) 0xFF, (byte) 0xC0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, (byte) 0xFF, (byte) 0xD9};
    byte[] exif = segment(0xE1, concat(ascii("Exif\0\0II*\0"), decoy, new byte[100]));
    byte[] comment = segment(0xFE, concat(ascii("made by a test "), decoy));
    byte[] spliced = concat(Arrays.copyOf(jpeg, 2), exif, comment, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    assertThat(ImageIO.read(new ByteArrayInputStream(spliced)).getWidth()).isEqualTo(300);
    assertThat(read(spliced, ImageFormat.JPEG)).isEqualTo(new Endpoint.Size(300, 200));
  }

  @Test
  void imageIoCommentMetadataIsSkipped() throws Exception {
    BufferedImage image = new BufferedImage(123, 45, BufferedImage.TYPE_INT_RGB);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpg").next();
    ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(image);
    IIOMetadata metadata = writer.getDefaultImageMetadata(type, null);
    String formatName = "javax_imageio_jpeg_image_1.0";
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(formatName);
    IIOMetadataNode com = new IIOMetadataNode("com");
    com.setAttribute("comment", "\u00ff\u00c0 a comment long enough to matter ".repeat(20));
    Node markers = root.getElementsByTagName("markerSequence").item(0);
    markers.insertBefore(com, markers.getFirstChild());
    metadata.setFromTree(formatName, root);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(new IIOImage(image, null, metadata));
    } finally {
      writer.dispose();
    }
    byte[] bytes = out.toByteArray();
    assertThat(indexOf(bytes, new byte[] {(byte) 0xFF, (byte) 0xFE})).isBetween(0, indexOf(bytes, sof0()));
    assertThat(read(bytes, ImageFormat.JPEG)).isEqualTo(new Endpoint.Size(123, 45));
  }

  @Test
  void aHandMadeProgressiveHeaderIsMeasured() throws Exception {
    byte[] jpeg = concat(soi(), app0(), sof(0xC2, 4097, 3), segment(0xDA, new byte[10]), eoi());
    assertThat(read(jpeg, ImageFormat.JPEG)).isEqualTo(new Endpoint.Size(4097, 3));
  }

  @Test
  void everyStartOfFrameMarkerStatesTheSize() throws Exception {
    for (int marker : SOF_MARKERS) {
      byte[] jpeg = concat(soi(), app0(), sof(marker, 640 + marker, 480), eoi());
      assertThat(read(jpeg, ImageFormat.JPEG)).as("SOF %02X", marker).isEqualTo(new Endpoint.Size(640 + marker, 480));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0xC4, 0xC8, 0xCC})
  void dhtJpgAndDacAreNotFrames(int marker) throws Exception {
    // Shaped like a frame header of 9999x9999, but DHT, JPG and DAC are skipped like any other segment.
    byte[] jpeg = concat(soi(), sof(marker, 9999, 9999), sof(0xC0, 640, 480), eoi());
    assertThat(read(jpeg, ImageFormat.JPEG)).isEqualTo(new Endpoint.Size(640, 480));
  }

  @Test
  void fillBytesStandaloneMarkersAndStrayBytesAreStepped() throws Exception {
    byte[] ff = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    byte[] rstAndTem = {(byte) 0xFF, (byte) 0xD0, (byte) 0xFF, (byte) 0xD7, (byte) 0xFF, 0x01};
    byte[] stray = {0x00, 0x12, 0x34, (byte) 0xFF, 0x00, 0x56};
    byte[] jpeg = concat(soi(), ff, app0(), ff, rstAndTem, stray, ff, sof(0xC1, 77, 66), eoi());
    assertThat(read(jpeg, ImageFormat.JPEG)).isEqualTo(new Endpoint.Size(77, 66));
  }

  @Test
  void largeMetadataIsSkippedWithoutReadingIt() throws Exception {
    // 40 full-size APP2 segments (an ICC profile, say): 2.6 MB before the frame header, all skipped.
    List<byte[]> parts = new ArrayList<>(List.of(soi(), app0()));
    for (int i = 0; i < 40; i++) {
      parts.add(segment(0xE2, new byte[65_533]));
    }
    parts.add(sof(0xC0, 5000, 4000));
    byte[] jpeg = concat(parts.toArray(new byte[0][]));
    assertThat(jpeg.length).isGreaterThan(2 << 20);
    assertThat(read(jpeg, ImageFormat.JPEG)).isEqualTo(new Endpoint.Size(5000, 4000));
  }

  @Test
  void theWalkStopsAfterAThousandSegments() throws Exception {
    byte[] comment = segment(0xFE, ascii("x"));
    byte[] within = concat(soi(), repeat(comment, 999), sof(0xC0, 10, 20));
    byte[] beyond = concat(soi(), repeat(comment, 1000), sof(0xC0, 10, 20));
    assertThat(read(within, ImageFormat.JPEG)).isEqualTo(new Endpoint.Size(10, 20));
    assertThat(read(beyond, ImageFormat.JPEG)).isNull();
  }

  @Test
  void theScanStopsAfterAMebibyteOfFillOrStrayBytes() throws Exception {
    byte[] near = concat(soi(), app0(), new byte[(1 << 20) - 100], sof(0xC0, 10, 20));
    byte[] far = concat(soi(), app0(), new byte[1 << 20], sof(0xC0, 10, 20));
    assertThat(read(near, ImageFormat.JPEG)).isEqualTo(new Endpoint.Size(10, 20));
    assertThat(read(far, ImageFormat.JPEG)).isNull();
  }

  @Test
  void aFiftyMegabyteFileWithoutAFrameGivesNull() throws Exception {
    // Sparse: zeros after the magic bytes. The JPEG scan gives up after 1 MiB instead of reading 50.
    for (ImageFormat format : ImageFormat.values()) {
      Path file = dir.resolve("big." + format.extension());
      try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
        raf.write(Arrays.copyOf(Images.header(format), format == ImageFormat.JPEG ? 2 : 4));
        raf.setLength(50L << 20);
      }
      assertThat(ImageDimensions.read(file, format)).as("%s", format).isNull();
    }
  }

  @Test
  void jpegsThatDoNotStateTheSizeGiveNull() throws Exception {
    byte[] sos = segment(0xDA, new byte[10]);
    assertThat(read(concat(soi(), app0(), sos, sof(0xC0, 10, 20)), ImageFormat.JPEG)).as("SOS first").isNull();
    assertThat(read(concat(soi(), eoi(), sof(0xC0, 10, 20)), ImageFormat.JPEG)).as("EOI first").isNull();
    assertThat(read(concat(soi(), soi(), sof(0xC0, 10, 20)), ImageFormat.JPEG)).as("SOI twice").isNull();
    assertThat(read(concat(soi(), sof(0xC0, 10, 0)), ImageFormat.JPEG)).as("height by DNL").isNull();
    assertThat(read(concat(soi(), sof(0xC0, 0, 20)), ImageFormat.JPEG)).as("width 0").isNull();
    assertThat(read(concat(soi(), new byte[] {(byte) 0xFF, (byte) 0xE0, 0x00, 0x01}, sof(0xC0, 10, 20)),
        ImageFormat.JPEG)).as("length 1").isNull();
    byte[] shortSof = {(byte) 0xFF, (byte) 0xC0, 0x00, 0x07, 0x08, 0x00, 0x14, 0x00, 0x0A};
    assertThat(read(concat(soi(), shortSof), ImageFormat.JPEG)).as("SOF length 7").isNull();
    assertThat(read(concat(soi(), app0()), ImageFormat.JPEG)).as("no frame at all").isNull();
    assertThat(read(concat(new byte[] {(byte) 0xFF, (byte) 0xD9}, sof(0xC0, 10, 20)), ImageFormat.JPEG))
        .as("no SOI").isNull();
  }

  // --- PNG, BMP, WEBP --------------------------------------------------------------------------------------

  @Test
  void pngsThatDoNotStateAValidSizeGiveNull() throws Exception {
    byte[] png = imageIo("png", 30, 20);
    assertThat(read(withInt32(png, 16, 0, false), ImageFormat.PNG)).as("width 0").isNull();
    assertThat(read(withInt32(png, 20, 0x8000_0000, false), ImageFormat.PNG)).as("height 2^31").isNull();
    byte[] apple = png.clone();
    System.arraycopy(ascii("CgBI"), 0, apple, 12, 4);
    assertThat(read(apple, ImageFormat.PNG)).as("no IHDR first").isNull();
    assertThat(read(withInt32(png, 16, 0x7FFF_FFFF, false), ImageFormat.PNG))
        .isEqualTo(new Endpoint.Size(Integer.MAX_VALUE, 20));
  }

  @Test
  void aTopDownBmpHasANegativeHeight() throws Exception {
    byte[] bmp = imageIo("bmp", 300, 200);
    assertThat(read(withInt32(bmp, 22, -200, true), ImageFormat.BMP)).isEqualTo(new Endpoint.Size(300, 200));
    assertThat(read(withInt32(bmp, 22, Integer.MIN_VALUE, true), ImageFormat.BMP)).isNull();
    assertThat(read(withInt32(bmp, 18, -300, true), ImageFormat.BMP)).as("negative width").isNull();
    assertThat(read(withInt32(bmp, 22, 0, true), ImageFormat.BMP)).as("height 0").isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 40, 52, 56, 64, 108, 124})
  void everyLaterBmpHeaderHasSigned32BitSizes(int headerSize) throws Exception {
    assertThat(read(bmpInfo(headerSize, 4097, -3), ImageFormat.BMP)).isEqualTo(new Endpoint.Size(4097, 3));
  }

  @Test
  void theOldCoreHeaderHasUnsigned16BitSizes() throws Exception {
    assertThat(read(bmpCore(40_000, 65_535), ImageFormat.BMP)).isEqualTo(new Endpoint.Size(40_000, 65_535));
    assertThat(read(bmpCore(1, 1), ImageFormat.BMP)).isEqualTo(new Endpoint.Size(1, 1));
    assertThat(read(bmpCore(0, 1), ImageFormat.BMP)).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 11, 13, 15, -40})
  void unknownBmpHeaderSizesGiveNull(int headerSize) throws Exception {
    assertThat(read(bmpInfo(headerSize, 10, 10), ImageFormat.BMP)).isNull();
  }

  @ParameterizedTest
  @CsvSource({"1,1", "300,200", "4097,3", "16383,16383"})
  void handMadeWebpsOfEveryKindAreMeasured(int width, int height) throws Exception {
    assertThat(read(vp8(width, height, 0), ImageFormat.WEBP)).isEqualTo(new Endpoint.Size(width, height));
    assertThat(read(vp8(width, height, 3), ImageFormat.WEBP)).as("scale bits ignored")
        .isEqualTo(new Endpoint.Size(width, height));
    assertThat(read(vp8l(width, height), ImageFormat.WEBP)).isEqualTo(new Endpoint.Size(width, height));
    assertThat(read(vp8x(width, height), ImageFormat.WEBP)).isEqualTo(new Endpoint.Size(width, height));
  }

  @Test
  void anExtendedWebpStatesItsCanvasBeyondFourteenBits() throws Exception {
    assertThat(read(vp8x(1 << 24, 20_000), ImageFormat.WEBP)).isEqualTo(new Endpoint.Size(1 << 24, 20_000));
    // The canvas counts, not the size of the first frame after it.
    byte[] withFrame = concat(vp8x(1000, 800), Arrays.copyOfRange(vp8(16, 16, 0), 12, vp8(16, 16, 0).length));
    assertThat(read(withFrame, ImageFormat.WEBP)).isEqualTo(new Endpoint.Size(1000, 800));
  }

  @Test
  void webpsThatDoNotStateTheSizeGiveNull() throws Exception {
    byte[] lossy = vp8(30, 20, 0);
    lossy[23] = 0x00;
    assertThat(read(lossy, ImageFormat.WEBP)).as("no start code").isNull();
    assertThat(read(vp8(0, 20, 0), ImageFormat.WEBP)).as("lossy width 0").isNull();
    byte[] lossless = vp8l(30, 20);
    lossless[20] = 0x2E;
    assertThat(read(lossless, ImageFormat.WEBP)).as("no signature").isNull();
    lossless = vp8l(30, 20);
    lossless[24] |= 0x20;
    assertThat(read(lossless, ImageFormat.WEBP)).as("version 1").isNull();
    byte[] unknown = vp8x(30, 20);
    unknown[15] = 'Y';
    assertThat(read(unknown, ImageFormat.WEBP)).as("VP8Y").isNull();
    byte[] alphaFirst = vp8x(30, 20);
    System.arraycopy(ascii("ALPH"), 0, alphaFirst, 12, 4);
    assertThat(read(alphaFirst, ImageFormat.WEBP)).as("ALPH first").isNull();
  }

  // --- Anything else ---------------------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("truncations")
  void truncatedHeadersGiveNullAndCompleteOnesTheSize(String name, byte[] bytes, ImageFormat format, int needed,
      Endpoint.Size size) throws Exception {
    for (int length = 0; length < needed; length++) {
      assertThat(read(Arrays.copyOf(bytes, length), format)).as("%s cut at %d", name, length).isNull();
    }
    for (int length = needed; length <= Math.min(bytes.length, needed + 64); length++) {
      assertThat(read(Arrays.copyOf(bytes, length), format)).as("%s cut at %d", name, length).isEqualTo(size);
    }
  }

  static Stream<Arguments> truncations() throws IOException {
    byte[] jpeg = imageIo("jpg", 300, 200);
    int sofEnd = indexOf(jpeg, sof0()) + 9; // FF C0, length, precision, height, width
    byte[] progressive = concat(soi(), app0(), sof(0xC2, 4097, 3), eoi());
    return Stream.of(
        Arguments.of("ImageIO JPEG", jpeg, ImageFormat.JPEG, sofEnd, new Endpoint.Size(300, 200)),
        Arguments.of("SOF2 JPEG", progressive, ImageFormat.JPEG, 2 + 18 + 9, new Endpoint.Size(4097, 3)),
        Arguments.of("PNG", imageIo("png", 300, 200), ImageFormat.PNG, 24, new Endpoint.Size(300, 200)),
        Arguments.of("BMP", imageIo("bmp", 300, 200), ImageFormat.BMP, 26, new Endpoint.Size(300, 200)),
        Arguments.of("core BMP", bmpCore(300, 200), ImageFormat.BMP, 22, new Endpoint.Size(300, 200)),
        Arguments.of("lossy WEBP", vp8(300, 200, 0), ImageFormat.WEBP, 30, new Endpoint.Size(300, 200)),
        Arguments.of("lossless WEBP", vp8l(300, 200), ImageFormat.WEBP, 25, new Endpoint.Size(300, 200)),
        Arguments.of("extended WEBP", vp8x(300, 200), ImageFormat.WEBP, 30, new Endpoint.Size(300, 200)));
  }

  @Test
  void aFileReadAsAnotherFormatGivesNull() throws Exception {
    List<byte[]> samples = List.of(imageIo("jpg", 30, 20), imageIo("png", 30, 20), imageIo("bmp", 30, 20),
        vp8(30, 20, 0));
    List<ImageFormat> formats = List.of(ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.BMP, ImageFormat.WEBP);
    for (int i = 0; i < samples.size(); i++) {
      for (ImageFormat format : formats) {
        Endpoint.Size expected = format == formats.get(i) ? new Endpoint.Size(30, 20) : null;
        assertThat(read(samples.get(i), format)).as("%s read as %s", formats.get(i), format).isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ImageFormat.class)
  void randomBytesAfterTheMagicNeverThrow(ImageFormat format) throws Exception {
    Random random = new Random(20240611L + format.ordinal());
    byte[][] prefixes = {Images.header(format), ascii("RIFF\0\0\0\0WEBPVP8L/"), ascii("RIFF\0\0\0\0WEBPVP8X"),
        {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, {'B', 'M', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0, 0}};
    for (int i = 0; i < 400; i++) {
      byte[] prefix = i % 2 == 0 ? Images.header(format) : prefixes[random.nextInt(prefixes.length)];
      byte[] bytes = new byte[prefix.length + random.nextInt(i < 300 ? 64 : 4096)];
      random.nextBytes(bytes);
      System.arraycopy(prefix, 0, bytes, 0, prefix.length);
      assertMeasuresOrGivesNull(bytes, format);
    }
  }

  @ParameterizedTest
  @EnumSource(ImageFormat.class)
  void mutatedRealHeadersNeverThrow(ImageFormat format) throws Exception {
    Random random = new Random(7L + format.ordinal());
    List<byte[]> seeds = format == ImageFormat.WEBP
        ? List.of(vp8(300, 200, 0), vp8l(300, 200), vp8x(300, 200))
        : List.of(imageIo(format == ImageFormat.JPEG ? "jpg" : format.extension(), 300, 200));
    for (int i = 0; i < 300; i++) {
      byte[] bytes = seeds.get(i % seeds.size()).clone();
      int window = Math.min(bytes.length, format == ImageFormat.JPEG ? 700 : 40);
      for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
        bytes[random.nextInt(window)] = (byte) (random.nextBoolean() ? random.nextInt(256) : 0xFF);
      }
      assertMeasuresOrGivesNull(random.nextInt(4) == 0 ? Arrays.copyOf(bytes, random.nextInt(window)) : bytes,
          format);
    }
  }

  @Test
  void aMissingFileIsAnIoException() {
    assertThatThrownBy(() -> ImageDimensions.read(dir.resolve("missing.png"), ImageFormat.PNG))
        .isInstanceOf(NoSuchFileException.class);
  }

  // --- Helpers ---------------------------------------------------------------------------------------------

  private Endpoint.Size read(byte[] bytes, ImageFormat format) throws IOException {
    Path file = dir.resolve("image" + files++ + "." + format.extension());
    Files.write(file, bytes);
    return ImageDimensions.read(file, format);
  }

  private void assertMeasuresOrGivesNull(byte[] bytes, ImageFormat format) throws IOException {
    Endpoint.Size size;
    try {
      size = read(bytes, format);
    } catch (RuntimeException e) {
      throw new AssertionError("threw on " + format + " bytes " + Arrays.toString(bytes), e);
    }
    if (size != null) {
      assertThat(size.width()).isPositive();
      assertThat(size.height()).isPositive();
    }
  }

  private static byte[] imageIo(String writer, int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 7 + y * 13) * 0x010101);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, writer, out)).as("ImageIO writes %s", writer).isTrue();
    return out.toByteArray();
  }

  private static byte[] soi() {
    return new byte[] {(byte) 0xFF, (byte) 0xD8};
  }

  private static byte[] eoi() {
    return new byte[] {(byte) 0xFF, (byte) 0xD9};
  }

  private static byte[] sof0() {
    return new byte[] {(byte) 0xFF, (byte) 0xC0};
  }

  /** An APP0 JFIF segment of 18 bytes in all. */
  private static byte[] app0() {
    return segment(0xE0, new byte[] {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
  }

  /** A one-component frame header: 13 bytes in all, the size at 5 (height) and 7 (width). */
  private static byte[] sof(int marker, int width, int height) {
    return segment(marker, new byte[] {8, (byte) (height >> 8), (byte) height, (byte) (width >> 8), (byte) width,
        1, 1, 0x11, 0});
  }

  private static byte[] segment(int marker, byte[] payload) {
    int length = payload.length + 2;
    return concat(new byte[] {(byte) 0xFF, (byte) marker, (byte) (length >> 8), (byte) length}, payload);
  }

  /** A BMP with a {@code headerSize}-byte DIB header and signed 32-bit sizes (a few pixel bytes after). */
  private static byte[] bmpInfo(int headerSize, int width, int height) {
    byte[] bytes = new byte[14 + Math.max(headerSize, 40) + 16];
    bytes[0] = 'B';
    bytes[1] = 'M';
    le(bytes, 2, bytes.length, 4);
    le(bytes, 10, bytes.length - 16, 4);
    le(bytes, 14, headerSize, 4);
    le(bytes, 18, width, 4);
    le(bytes, 22, height, 4);
    le(bytes, 26, 1, 2);
    le(bytes, 28, 24, 2);
    return bytes;
  }

  /** A BMP with the 12-byte BITMAPCOREHEADER of OS/2 1.x and Windows 2.x. */
  private static byte[] bmpCore(int width, int height) {
    byte[] bytes = new byte[14 + 12 + 12];
    bytes[0] = 'B';
    bytes[1] = 'M';
    le(bytes, 2, bytes.length, 4);
    le(bytes, 10, 26, 4);
    le(bytes, 14, 12, 4);
    le(bytes, 18, width, 2);
    le(bytes, 20, height, 2);
    le(bytes, 22, 1, 2);
    le(bytes, 24, 24, 2);
    return bytes;
  }

  /** A lossy WebP header (RFC 9649 / RFC 6386 frame header), with {@code scale} in each size's top 2 bits. */
  private static byte[] vp8(int width, int height, int scale) {
    byte[] data = new byte[20];
    data[0] = 0x30; // frame tag: key frame, version 0, shown, first partition size
    data[1] = 0x01;
    data[2] = 0x00;
    data[3] = (byte) 0x9D;
    data[4] = 0x01;
    data[5] = 0x2A;
    le(data, 6, width | scale << 14, 2);
    le(data, 8, height | scale << 14, 2);
    return riff("VP8 ", data);
  }

  /** A lossless WebP header: signature 0x2f, 14 bits width - 1, 14 bits height - 1, alpha 1, version 0. */
  private static byte[] vp8l(int width, int height) {
    byte[] data = new byte[12];
    data[0] = 0x2F;
    le(data, 1, (width - 1) | (height - 1) << 14 | 1 << 28, 4);
    return riff("VP8L", data);
  }

  /** An extended WebP header: flags (alpha), 3 reserved bytes, 24-bit canvas width - 1 and height - 1. */
  private static byte[] vp8x(int width, int height) {
    byte[] data = new byte[10];
    data[0] = 0x10;
    le(data, 4, width - 1, 3);
    le(data, 7, height - 1, 3);
    return riff("VP8X", data);
  }

  private static byte[] riff(String fourCc, byte[] data) {
    byte[] bytes = concat(ascii("RIFF\0\0\0\0WEBP" + fourCc + "\0\0\0\0"), data);
    le(bytes, 4, bytes.length - 8, 4);
    le(bytes, 16, data.length, 4);
    return bytes;
  }

  private static void le(byte[] bytes, int offset, int value, int length) {
    for (int i = 0; i < length; i++) {
      bytes[offset + i] = (byte) (value >>> (8 * i));
    }
  }

  private static byte[] withInt32(byte[] bytes, int offset, int value, boolean littleEndian) {
    byte[] copy = bytes.clone();
    for (int i = 0; i < 4; i++) {
      copy[offset + (littleEndian ? i : 3 - i)] = (byte) (value >>> (8 * i));
    }
    return copy;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] repeat(byte[] bytes, int times) {
    byte[][] parts = new byte[times][];
    Arrays.fill(parts, bytes);
    return concat(parts);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] bytes, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= bytes.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
