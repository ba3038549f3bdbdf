package io.github.ailabkit;

/**
 * The root of every exception this SDK throws, so one {@code catch} covers them all. Unchecked, like
 * the exceptions of OkHttp and the major API SDKs.
 *
 * <p>Subtypes: {@link AILabApiException} (the server answered with an error), {@link AILabIOException}
 * (the server could not be reached), {@link TaskTimeoutException} (a wait ran out of time).
 * Messages never contain the API key.
 */
public class AILabException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public AILabException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the cause it wraps. */
  public AILabException(String message, Throwable cause) {
    super(message, cause);
  }
}
