package io.github.ailabkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * The bytes of an upload that are not a file on disk: an array in memory, or a stream of known length.
 *
 * <pre>{@code
 * UploadSource fromMemory = UploadSource.of(bytes);                          // no copy is made
 * UploadSource fromStore = UploadSource.of(length, () -> bucket.open(key));  // opened again when needed
 * UploadSource fromRequest = UploadSource.once(request.getInputStream(), request.getContentLengthLong());
 * }</pre>
 *
 * <p>Like a file, an upload source is checked before anything is sent (its format is sniffed from its
 * first bytes, its size and resolution compared with the documented limits), and then read a second time
 * while the request is written, in chunks: its length decides the memory it costs, not the heap.
 * {@link #of(long, Opener)} opens the stream again for each reading. {@link #once(InputStream, long)}
 * reads a stream that cannot be opened again: its first {@value #ONCE_HEADER_BYTES} bytes are kept for
 * the checks, and once a request has started sending it, a second submit with it fails with
 * {@link LocalInputException} ("cannot be opened again"): such a submit cannot be retried.
 *
 * <p>The part's file name is {@link #named(String) the name given}, else {@code upload}, with the
 * extension of the sniffed format; its {@code Content-Type} is that format's. Instances are immutable
 * and thread-safe, except that a {@code once} source can of course be sent only once.
 */
public final class UploadSource {
  /** Bytes of a {@link #once(InputStream, long)} stream kept for the checks before sending. */
  public static final int ONCE_HEADER_BYTES = 64 * 1024;

  /** Opens a fresh stream over the same bytes each time it is called. */
  @FunctionalInterface
  public interface Opener {
    /**
     * Opens the stream, positioned at its first byte; the SDK closes it.
     *
     * @throws IOException if it cannot be opened
     */
    InputStream open() throws IOException;
  }

  private final long length;
  private final Opener opener;
  private final boolean reopenable;
  private final String fileName;

  private UploadSource(long length, Opener opener, boolean reopenable, String fileName) {
    this.length = length;
    this.opener = opener;
    this.reopenable = reopenable;
    this.fileName = fileName;
  }

  /**
   * The bytes of {@code bytes}, used in place: the array is not copied, so do not change it before the
   * request is sent.
   */
  public static UploadSource of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes == null");
    return new UploadSource(bytes.length, () -> new ByteArrayInputStream(bytes), true, null);
  }

  /**
   * A stream of {@code length} bytes that {@code opener} opens again at each reading (once to check it,
   * once to send it).
   *
   * @throws IllegalArgumentException if {@code length} is negative
   */
  public static UploadSource of(long length, Opener opener) {
    Objects.requireNonNull(opener, "opener == null");
    return new UploadSource(checkLength(length), opener, true, null);
  }

  /**
   * A stream of {@code length} bytes that can be read only once, such as an HTTP request's body. A
   * submit with it cannot be retried once it has started sending (see the class description).
   *
   * @throws IllegalArgumentException if {@code length} is negative
   */
  public static UploadSource once(InputStream stream, long length) {
    Objects.requireNonNull(stream, "stream == null");
    BufferedInputStream buffered = new BufferedInputStream(stream, ONCE_HEADER_BYTES);
    buffered.mark(ONCE_HEADER_BYTES);
    return new UploadSource(checkLength(length), () -> reopen(buffered), false, null);
  }

  /** The same bytes, sent with this part file name (its extension follows the sniffed format). */
  public UploadSource named(String fileName) {
    Objects.requireNonNull(fileName, "fileName == null");
    if (fileName.isBlank() || fileName.contains("/") || fileName.contains("\\")) {
      throw new IllegalArgumentException("fileName must be a plain, non-blank file name: " + fileName);
    }
    return new UploadSource(length, opener, reopenable, fileName);
  }

  /** The number of bytes the source holds, as given. */
  public long length() {
    return length;
  }

  /** Whether the bytes can be read again: false only for {@link #once(InputStream, long)}. */
  public boolean reopenable() {
    return reopenable;
  }

  /** The part file name given with {@link #named(String)}, if any. */
  public Optional<String> fileName() {
    return Optional.ofNullable(fileName);
  }

  /**
   * Opens the bytes from the start. For a {@code once} source this works until more than
   * {@value #ONCE_HEADER_BYTES} bytes have been read, then fails.
   *
   * @throws IOException if the stream cannot be opened (again)
   */
  public InputStream open() throws IOException {
    InputStream stream = opener.open();
    if (stream == null) {
      throw new IOException("the upload source's opener returned null");
    }
    return stream;
  }

  @Override
  public String toString() {
    return "UploadSource{" + length + " bytes" + (reopenable ? "" : ", once") + (fileName == null ? "" : ", "
        + fileName) + "}";
  }

  private static InputStream reopen(BufferedInputStream buffered) throws IOException {
    try {
      buffered.reset();
    } catch (IOException markLost) {
      throw new IOException("a stream given to UploadSource.once(...) was already sent and cannot be opened "
          + "again; use UploadSource.of(length, opener) for an upload that can be retried", markLost);
    }
    return new FilterInputStream(buffered) {
      @Override
      public void close() {
        // left open: a once stream is read by the checks, then by the request; its owner closes it
      }
    };
  }

  private static long checkLength(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    return length;
  }
}
