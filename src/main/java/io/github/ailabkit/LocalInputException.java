package io.github.ailabkit;

/**
 * A local input could not be read while a request was being written: a file was deleted, changed or
 * swapped for something that is not a regular file (a FIFO, a device) after it was checked, or a stream
 * could not be opened again or held fewer or more bytes than its stated length.
 *
 * <p>Unlike {@link AILabIOException}, which for a submit means "the task may exist", this exception
 * means the request was <b>never sent</b> in full: the server cannot have acted on it. Fix the input
 * and submit again.
 */
public class LocalInputException extends AILabException {
  private static final long serialVersionUID = 1L;

  /** An input problem found while writing a request; {@code cause} is the underlying failure, or null. */
  public LocalInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
