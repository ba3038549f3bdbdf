package io.github.ailabkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.testing.Images;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The real format comes from the magic bytes, never from the name. */
class ImageSnifferTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(ImageFormat.class)
  void everyFormatIsRecognisedFromItsBytes(ImageFormat format) {
    byte[] bytes = Images.bytes(format, 64);
    assertThat(ImageSniffer.sniff(bytes, bytes.length)).isEqualTo(format);
  }

  @ParameterizedTest
  @EnumSource(ImageFormat.class)
  void everyFormatIsRecognisedFromAFileWhateverItsName(ImageFormat format) throws Exception {
    Path file = Images.write(dir, "misleading.jpeg.txt", format, 10_000);
    assertThat(ImageSniffer.sniff(file)).isEqualTo(format);
  }

  @Test
  void theShortestHeadersAreEnough() throws Exception {
    assertThat(ImageSniffer.sniff(write("jpeg3", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})))
        .isEqualTo(ImageFormat.JPEG);
    assertThat(ImageSniffer.sniff(write("png8", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})))
        .isEqualTo(ImageFormat.PNG);
    assertThat(ImageSniffer.sniff(write("bmp18", new byte[] {'B', 'M', 1, 2, 3, 4, 9, 9, 9, 9, 54, 0, 0, 0, 40, 0, 0, 0})))
        .as("reserved bytes some writers fill are not looked at").isEqualTo(ImageFormat.BMP);
    assertThat(ImageSniffer.sniff(write("webp12", "RIFF\0\0\0\0WEBP".getBytes(StandardCharsets.ISO_8859_1))))
        .isEqualTo(ImageFormat.WEBP);
  }

  @Test
  void filesShorterThanAHeaderAreNotImages() throws Exception {
    assertThat(ImageSniffer.sniff(Files.createFile(dir.resolve("empty")))).isNull();
    assertThat(ImageSniffer.sniff(write("one", new byte[] {(byte) 0xFF}))).isNull();
    assertThat(ImageSniffer.sniff(write("jpeg2", new byte[] {(byte) 0xFF, (byte) 0xD8}))).isNull();
    assertThat(ImageSniffer.sniff(write("png7", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A}))).isNull();
    assertThat(ImageSniffer.sniff(write("riff11", "RIFF\0\0\0\0WEB".getBytes(StandardCharsets.ISO_8859_1)))).isNull();
  }

  @Test
  void onlyTheGivenLengthCounts() {
    byte[] png = Images.bytes(ImageFormat.PNG, 32);
    assertThat(ImageSniffer.sniff(png, 7)).isNull();
    assertThat(ImageSniffer.sniff(png, 8)).isEqualTo(ImageFormat.PNG);
    assertThat(ImageSniffer.sniff(png, 0)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "RIFF\0\0\0\0WAVEfmt ",   // a RIFF file that is audio, not WebP
      "GIF89b\0\0\0\0\0\0",     // no GIF version
      "\0\0\0\u0018ftypheic",   // HEIC
      "%PDF-1.7\n\0\0\0",
      "<svg xmlns=\"",
      "{\"image\":\"x\"}",
      "\u0089PNG\r\n\u001a\0",  // a damaged PNG signature
      "\u00ff\u00d8\u0000\u00e0",     // JPEG SOI without a marker
  })
  void otherBytesAreNotRecognised(String start) throws Exception {
    byte[] bytes = start.getBytes(StandardCharsets.ISO_8859_1);
    assertThat(ImageSniffer.sniff(bytes, bytes.length)).isNull();
    assertThat(ImageSniffer.sniff(write("other", bytes))).isNull();
  }

  @Test
  void aLargeSparseFileIsSniffedFromItsFirstBytesOnly() throws Exception {
    Path big = Images.sparse(dir, "big.bin", ImageFormat.WEBP, 200L * 1024 * 1024);
    assertThat(ImageSniffer.sniff(big)).isEqualTo(ImageFormat.WEBP);
  }

  private Path write(String name, byte[] bytes) throws Exception {
    return Files.write(dir.resolve(name), bytes);
  }
}
