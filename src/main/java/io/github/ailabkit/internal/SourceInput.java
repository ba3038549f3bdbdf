package io.github.ailabkit.internal;

import io.github.ailabkit.UploadSource;
import java.io.IOException;
import java.io.InputStream;

/**
 * Bytes in memory or a stream ({@link UploadSource}); sent only when the stream holds exactly its stated
 * length. Identity equality: two inputs are the same only if they are one.
 *
 * @param source the caller's source
 */
public record SourceInput(UploadSource source) implements UploadInput {
  @Override
  public String describe() {
    return source.reopenable() ? "input of " + source.length() + " bytes" : "stream of " + source.length() + " bytes";
  }

  @Override
  public String baseName(String field) {
    return source.fileName().orElse("upload");
  }

  @Override
  public InputStream openForChecks() throws IOException {
    InputStream in = source.open();
    // a once stream is checked within the bytes it keeps, so that it can still be sent
    return source.reopenable() ? in : new BoundedInputStream(in, UploadSource.ONCE_HEADER_BYTES);
  }

  @Override
  public void recheck(long checkedSize) {
    // nothing to look at before opening: the length is checked while the bytes are copied
  }

  @Override
  public InputStream openForSending(long checkedSize) throws LocalInputFailure {
    try {
      return source.open();
    } catch (IOException | RuntimeException e) { // an opener's own exception is a local failure too
      throw new LocalInputFailure("the " + describe() + " cannot be opened: " + e.getMessage()
          + "; nothing was sent", e);
    }
  }
}
