package io.github.ailabkit;

import java.util.List;
import java.util.Objects;

/**
 * A form or params object that the endpoint's documentation does not allow; nothing was sent. Every
 * problem found is listed, so an application can answer a 400 field by field:
 *
 * <pre>{@code
 * try {
 *   client.portrait().hairstyleEditorPro(params);
 * } catch (ValidationException e) {
 *   for (ValidationException.Problem problem : e.problems()) {
 *     errors.put(problem.field(), problem.message());   // "hair_style" -> "'hair_style' = 'Mullet' is not ..."
 *   }
 * }
 * }</pre>
 *
 * <p>It extends {@link IllegalArgumentException}, which is what validation threw before it had a type.
 */
public class ValidationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** What kind of problem a field has. */
  public enum Kind {
    /** A required field, or every field of an any-of group, is missing. */
    MISSING,
    /** The endpoint has no field of this name. */
    UNKNOWN_FIELD,
    /** A file was given for a text field, or text for a file field. */
    WRONG_KIND,
    /** A text value is not of the documented type (a whole number, a number, true or false). */
    WRONG_TYPE,
    /** A text value is not one of the documented allowed values (relaxed by {@code strictValidation(false)}). */
    NOT_ALLOWED,
    /** A text value is longer than the documented maximum length. */
    TOO_LONG,
    /** A file does not exist, is not a regular file, or cannot be read. */
    UNREADABLE,
    /** A file is empty. */
    EMPTY,
    /** A file is larger than the documented size limit. */
    TOO_LARGE,
    /** A file is not in one of the documented formats. */
    FORMAT,
    /** An image is smaller or larger than the documented resolution limits. */
    RESOLUTION,
    /** The request as a whole cannot be sent: no file at all, nothing to send, or the wrong mode. */
    REQUEST
  }

  /**
   * One problem.
   *
   * @param field the form field it concerns; for an any-of group, its names joined by {@code |}; empty
   *     for a problem of the request as a whole ({@link Kind#REQUEST})
   * @param kind what kind of problem it is
   * @param message a sentence for people, naming the field, the value or file and the documented rule
   */
  public record Problem(String field, Kind kind, String message) implements java.io.Serializable {
    /** Checks that no component is null. */
    public Problem {
      Objects.requireNonNull(field, "field == null");
      Objects.requireNonNull(kind, "kind == null");
      Objects.requireNonNull(message, "message == null");
    }
  }

  private final List<Problem> problems; // an immutable copy of serializable records

  /**
   * The problems of one request to {@code path}.
   *
   * @throws IllegalArgumentException if {@code problems} is empty
   */
  public ValidationException(String path, List<Problem> problems) {
    super(message(path, problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order found; never empty. */
  public List<Problem> problems() {
    return problems;
  }

  private static String message(String path, List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no problems");
    }
    StringBuilder text = new StringBuilder("Invalid form for ").append(path).append(": ")
        .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems");
    for (Problem problem : problems) {
      text.append("\n  - ").append(problem.message());
    }
    return text.toString();
  }
}
