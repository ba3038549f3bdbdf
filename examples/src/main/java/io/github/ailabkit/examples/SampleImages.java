package io.github.ailabkit.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A sample PNG to upload when no image is given (the simulator accepts any image of a valid size). */
final class SampleImages {
  /** Inside every documented resolution limit (hairstyle endpoints want more than 200x200 pixels). */
  private static final int SIDE = 512;

  private SampleImages() {
  }

  /**
   * The image at {@code args[index]}, or a generated {@value #SIDE}x{@value #SIDE} PNG written to a
   * temporary file. The real API needs a real photo: pass its path on the command line.
   */
  static Path fromArgsOrSample(String[] args, int index) {
    if (args.length > index) {
      return Path.of(args[index]);
    }
    BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        image.setRGB(x, y, (x / 2) << 16 | (y / 2) << 8 | 0x80); // a soft gradient
      }
    }
    try {
      Path file = Files.createTempFile("ailab-sample-", ".png");
      file.toFile().deleteOnExit();
      ImageIO.write(image, "png", file.toFile());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
