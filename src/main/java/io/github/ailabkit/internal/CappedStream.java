package io.github.ailabkit.internal;

import java.io.IOException;
import java.io.InputStream;
import okio.BufferedSource;

/**
 * Reads a response body for the parser and fails with {@link OverCap} once more than {@code cap} decoded
 * bytes came, so a small compressed answer cannot make the parser read without end.
 */
final class CappedStream extends InputStream {
  private final BufferedSource source;
  private final long cap;
  private long read;

  CappedStream(BufferedSource source, long cap) {
    this.source = source;
    this.cap = cap;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] sink, int offset, int length) throws IOException {
    int n = source.read(sink, offset, length);
    if (n > 0) {
      read += n;
      if (read > cap) {
        throw new OverCap();
      }
    }
    return n;
  }

  /** Reads what is left, discarding it, within the cap. */
  void drain() throws IOException {
    while (!source.exhausted()) {
      long available = source.getBuffer().size();
      read += available;
      if (read > cap) {
        throw new OverCap();
      }
      source.skip(available);
    }
  }

  /** Like {@link #drain()}, but says whether the rest fit within the cap instead of throwing. */
  boolean drainWithin() throws IOException {
    try {
      drain();
      return true;
    } catch (OverCap e) {
      return false;
    }
  }

  /** The body went past the cap. */
  static final class OverCap extends IOException {
    private static final long serialVersionUID = 1L;

    OverCap() {
      super("body over the cap");
    }
  }
}
