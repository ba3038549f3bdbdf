package io.github.ailabkit;

import java.io.IOException;

/**
 * The API could not be reached or the exchange broke off (connection refused, reset, timeout), after
 * every retry the client was allowed. The transport failure is kept as the {@link #getCause() cause}.
 *
 * <p>Usually worth retrying later; for a submit, note that the server may or may not have received it.
 */
public class AILabIOException extends AILabException {
  private static final long serialVersionUID = 1L;

  /** Wraps a transport failure. */
  public AILabIOException(String message, IOException cause) {
    super(message, cause);
  }

  /** The transport failure. */
  @Override
  public synchronized IOException getCause() {
    return (IOException) super.getCause();
  }
}
