package io.github.ailabkit.internal;

import java.io.IOException;

/**
 * A local input that failed while a request body was being written: the request was never sent in
 * full. The transport turns it into {@link io.github.ailabkit.LocalInputException}, never into an
 * {@link io.github.ailabkit.AILabIOException}.
 */
public final class LocalInputFailure extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure with a message for people; {@code cause} may be null. */
  public LocalInputFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
