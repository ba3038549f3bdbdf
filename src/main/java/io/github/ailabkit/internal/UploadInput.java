package io.github.ailabkit.internal;

import io.github.ailabkit.UploadSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where the bytes of one file part come from: a file on disk or an {@link UploadSource}. Read twice,
 * once to check it before sending and once to send it; {@link #openForSending()} refuses, with a
 * {@link LocalInputFailure}, an input that is no longer what was checked.
 */
public sealed interface UploadInput permits PathInput, SourceInput {
  /** How a message names the input, such as {@code file /tmp/a.png} or {@code bytes}. */
  String describe();

  /** The part file name before its extension follows the real format; {@code field} if it has none. */
  String baseName(String field);

  /** Opens the bytes for the checks made before sending. */
  InputStream openForChecks() throws IOException;

  /**
   * Checks the input is still what was checked, without opening it; called before the first byte of
   * the request body is written.
   *
   * @throws LocalInputFailure if it is not
   */
  void recheck(long checkedSize) throws LocalInputFailure;

  /**
   * Opens the bytes to send them, after a {@link #recheck(long)}.
   *
   * @throws LocalInputFailure if they cannot be opened
   */
  InputStream openForSending(long checkedSize) throws LocalInputFailure;

  /** The file's path, or null for an {@link UploadSource}. */
  default Path path() {
    return null;
  }

  /** The input for {@code input}, which must be a {@link Path} or an {@link UploadSource}. */
  static UploadInput of(Object input) {
    return input instanceof Path path ? new PathInput(path) : new SourceInput((UploadSource) input);
  }
}
