package io.github.ailabkit.simulator;

import java.util.Base64;

/** The result file every simulated task produces: a valid 1×1 RGBA PNG of 70 bytes. */
final class Pngs {
  private static final byte[] ONE_PIXEL = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

  private Pngs() {
  }

  /** The PNG's bytes; callers must not modify the array. */
  static byte[] onePixel() {
    return ONE_PIXEL;
  }
}
