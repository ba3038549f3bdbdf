package io.github.ailabkit.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** A small valid PNG to upload when no image is given (the simulator accepts any image). */
final class SampleImages {
  /** A 1x1 PNG. The real API needs a real photo: pass its path on the command line. */
  private static final String TINY_PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

  private SampleImages() {
  }

  /** The image at {@code args[index]}, or a sample PNG written to a temporary file. */
  static Path fromArgsOrSample(String[] args, int index) {
    if (args.length > index) {
      return Path.of(args[index]);
    }
    try {
      Path file = Files.createTempFile("ailab-sample-", ".png");
      file.toFile().deleteOnExit();
      return Files.write(file, Base64.getDecoder().decode(TINY_PNG));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
