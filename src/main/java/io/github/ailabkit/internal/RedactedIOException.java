package io.github.ailabkit.internal;

import java.io.IOException;

/**
 * A failure whose text showed a secret (the API key, a signed URL's query), copied with that text
 * redacted. Its message starts with the original type's name; its stack trace is the original's. Not API.
 */
public final class RedactedIOException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A copy with the redacted {@code description} (the original's type and message) and redacted cause. */
  RedactedIOException(String description, Throwable cause) {
    super(description, cause);
  }
}
