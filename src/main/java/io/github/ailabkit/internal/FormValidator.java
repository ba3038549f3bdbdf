package io.github.ailabkit.internal;

import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Form;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.ValidationException;
import io.github.ailabkit.ValidationException.Kind;
import io.github.ailabkit.ValidationException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a form against an endpoint's documented fields before anything is sent, and reports every
 * problem at once in one {@link ValidationException}: missing required fields, unknown names, values
 * outside the documented type, enumeration or length, missing or unreadable files, files over the size
 * limit, in an unaccepted format or outside the documented resolution. The one validation path of the
 * SDK: generic forms and generated params both come here.
 */
public final class FormValidator {
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?\\d+");

  private FormValidator() {
  }

  /**
   * What validation found: the files to send and the allowed-values problems that relaxed validation
   * let pass (empty when strict).
   *
   * @param files the form's files, checked and sniffed, in the form's order
   * @param relaxed problems of kind {@link Kind#NOT_ALLOWED} that did not stop the request
   */
  public record Result(List<PreparedFile> files, List<Problem> relaxed) {
  }

  /**
   * Validates {@code form} for {@code endpoint}, strictly.
   *
   * @return the form's files, checked and sniffed, in the form's order
   * @throws ValidationException listing every problem found
   */
  public static List<PreparedFile> validate(Endpoint endpoint, Form form) {
    return validate(endpoint, form, true).files();
  }

  /**
   * Validates {@code form} for {@code endpoint}; when not {@code strict}, a value outside the documented
   * allowed values passes (reported in {@link Result#relaxed()}).
   *
   * @throws ValidationException listing every problem that stops the request
   */
  public static Result validate(Endpoint endpoint, Form form, boolean strict) {
    List<Problem> problems = new ArrayList<>();
    List<PreparedFile> files = new ArrayList<>();
    for (Map.Entry<String, String> entry : form.fields().entrySet()) {
      checkText(endpoint, entry.getKey(), entry.getValue(), problems);
    }
    form.files().forEach((name, path) -> addIfChecked(files, checkFile(endpoint, name, path, problems)));
    form.uploads().forEach((name, source) -> addIfChecked(files, checkFile(endpoint, name, source, problems)));
    problems.addAll(presenceProblems(endpoint, form));
    List<Problem> relaxed = strict ? List.of()
        : problems.stream().filter(problem -> problem.kind() == Kind.NOT_ALLOWED).toList();
    problems.removeAll(relaxed);
    if (!problems.isEmpty()) {
      throw new ValidationException(endpoint.path(), problems);
    }
    return new Result(files, relaxed);
  }

  /**
   * Checks only that the fields the endpoint requires are present (required fields, any-of groups, at
   * least one file where the endpoint takes files), as a params builder does before any file is read.
   *
   * @throws ValidationException listing every missing field
   */
  public static void checkPresence(Endpoint endpoint, Form form) {
    List<Problem> problems = presenceProblems(endpoint, form);
    if (!problems.isEmpty()) {
      throw new ValidationException(endpoint.path(), problems);
    }
  }

  /** The missing fields; allocates nothing when none is missing, as a params builder calls it each time. */
  private static List<Problem> presenceProblems(Endpoint endpoint, Form form) {
    List<Problem> problems = List.of();
    boolean takesFiles = false;
    boolean hasFile = false;
    boolean requiresFile = false;
    for (Endpoint.Field field : endpoint.fields()) {
      boolean file = field.kind() == Endpoint.FieldKind.FILE;
      boolean present = form.has(field.name());
      takesFiles |= file;
      hasFile |= file && present;
      requiresFile |= file && field.required();
      if (field.required() && !present) {
        problems = add(problems, new Problem(field.name(), Kind.MISSING, "missing required " + describe(field)));
      }
    }
    // The spec omits "required" on many image endpoints; a request without any file is never useful there.
    if (takesFiles && !hasFile && !requiresFile) {
      problems = add(problems, new Problem("", Kind.REQUEST, "no file given; this endpoint takes "
          + fileNames(endpoint)));
    }
    for (Set<String> group : endpoint.anyOfGroups()) {
      if (group.stream().noneMatch(form::has)) {
        problems = add(problems, new Problem(String.join("|", group), Kind.MISSING,
            "one of " + group + " is required"));
      }
    }
    return problems;
  }

  private static List<Problem> add(List<Problem> problems, Problem problem) {
    List<Problem> result = problems.isEmpty() ? new ArrayList<>() : problems;
    result.add(problem);
    return result;
  }

  private static void addIfChecked(List<PreparedFile> files, PreparedFile file) {
    if (file != null) {
      files.add(file);
    }
  }

  private static void checkText(Endpoint endpoint, String name, String value, List<Problem> problems) {
    Endpoint.Field field = endpoint.field(name).orElse(null);
    if (field == null) {
      problems.add(new Problem(name, Kind.UNKNOWN_FIELD, "unknown field '" + name + "'; known fields: "
          + names(endpoint)));
      return;
    }
    if (field.kind() == Endpoint.FieldKind.FILE) {
      problems.add(new Problem(name, Kind.WRONG_KIND, "'" + name + "' is a file field; use Form.file(\"" + name
          + "\", path)"));
      return;
    }
    if (!field.allowedValues().isEmpty() && !field.allowedValues().contains(value)) {
      problems.add(new Problem(name, Kind.NOT_ALLOWED, "'" + name + "' = '" + value
          + "' is not an allowed value; allowed: " + abbreviate(field.allowedValues())));
    }
    String expected = expectedType(field.valueType(), value);
    if (expected != null) {
      problems.add(new Problem(name, Kind.WRONG_TYPE, "'" + name + "' = '" + value + "' is not " + expected));
    }
    int length = value.codePointCount(0, value.length());
    if (field.maxLength() != null && length > field.maxLength()) {
      problems.add(new Problem(name, Kind.TOO_LONG, "'" + name + "' is " + length
          + " characters long; the limit is " + field.maxLength()));
    }
  }

  private static PreparedFile checkFile(Endpoint endpoint, String name, Object given, List<Problem> problems) {
    Endpoint.Field field = endpoint.field(name).orElse(null);
    if (field == null) {
      problems.add(new Problem(name, Kind.UNKNOWN_FIELD, "unknown file field '" + name + "'; known fields: "
          + names(endpoint)));
      return null;
    }
    if (field.kind() == Endpoint.FieldKind.TEXT) {
      problems.add(new Problem(name, Kind.WRONG_KIND, "'" + name + "' is a text field; use Form.field(\"" + name
          + "\", value)"));
      return null;
    }
    UploadInput input = UploadInput.of(given);
    String what = "'" + name + "': " + input.describe();
    try {
      InputFacts facts = InputFacts.read(input);
      if (facts == null) {
        problems.add(new Problem(name, Kind.UNREADABLE, what + " is not a regular file"));
        return null;
      }
      checkFacts(field, what, facts, problems);
      return new PreparedFile(name, input, facts.size(), facts.format());
    } catch (NoSuchFileException missing) {
      problems.add(new Problem(name, Kind.UNREADABLE, what + " does not exist"));
    } catch (IOException e) {
      problems.add(new Problem(name, Kind.UNREADABLE, what + " cannot be read: " + e.getMessage()));
    }
    return null;
  }

  private static void checkFacts(Endpoint.Field field, String what, InputFacts facts, List<Problem> problems) {
    String name = field.name();
    if (facts.size() == 0) {
      problems.add(new Problem(name, Kind.EMPTY, what + " is empty"));
    }
    if (field.maxFileBytes() != null && facts.size() > field.maxFileBytes()) {
      problems.add(new Problem(name, Kind.TOO_LARGE, what + " is " + facts.size() + " bytes; the size limit is "
          + field.maxFileBytes() + " bytes (" + megabytes(field.maxFileBytes()) + ")"));
    }
    ImageFormat format = facts.format();
    if (!field.formats().isEmpty() && (format == null || !field.formats().contains(format))) {
      problems.add(new Problem(name, Kind.FORMAT, what + " is " + (format == null ? "not a recognised image"
          : "a " + format) + "; accepted: " + formatList(field.formats())));
    }
    String limit = brokenResolutionLimit(facts.resolution(), field);
    if (limit != null) {
      problems.add(new Problem(name, Kind.RESOLUTION, what + " is " + facts.resolution() + "; "
          + limit));
    }
  }

  /**
   * The documented resolution limit an image breaks, or null. A bound itself is allowed ("less than
   * 4096x4096px" lets 4096 pass), and an image whose size its header does not state is left to the server.
   */
  private static String brokenResolutionLimit(Endpoint.Size size, Endpoint.Field field) {
    if (size == null) {
      return null;
    }
    Endpoint.Size min = field.minResolution();
    Endpoint.Size max = field.maxResolution();
    if (min != null && (size.width() < min.width() || size.height() < min.height())) {
      return "the documented minimum resolution is " + min;
    }
    if (max != null && (size.width() > max.width() || size.height() > max.height())) {
      return "the documented maximum resolution is " + max;
    }
    return null;
  }

  /** What {@code value} should be to fit {@code type}, such as "a whole number"; null if it fits. */
  public static String expectedType(Endpoint.ValueType type, String value) {
    return switch (type) {
      case INTEGER -> WHOLE_NUMBER.matcher(value).matches() ? null : "a whole number";
      case NUMBER -> isNumber(value) ? null : "a number";
      case BOOLEAN -> value.equals("true") || value.equals("false") ? null : "true or false";
      case STRING -> null;
    };
  }

  private static boolean isNumber(String value) {
    try {
      new BigDecimal(value);
      return true;
    } catch (NumberFormatException notANumber) {
      return false;
    }
  }

  private static String describe(Endpoint.Field field) {
    return (field.kind() == Endpoint.FieldKind.FILE ? "file '" : "field '") + field.name() + "'";
  }

  private static String names(Endpoint endpoint) {
    return endpoint.fields().stream().map(Endpoint.Field::name).collect(Collectors.joining(", ", "[", "]"));
  }

  private static String fileNames(Endpoint endpoint) {
    return endpoint.fields().stream().filter(f -> f.kind() == Endpoint.FieldKind.FILE).map(Endpoint.Field::name)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String formatList(Set<ImageFormat> formats) {
    return formats.stream().map(ImageFormat::name).collect(Collectors.joining(", "));
  }

  private static String abbreviate(List<String> values) {
    if (values.size() <= 12) {
      return values.toString();
    }
    return values.subList(0, 12).toString().replace("]", ", ... (" + values.size() + " values)]");
  }

  private static String megabytes(long bytes) {
    return bytes % (1024 * 1024) == 0 ? (bytes >> 20) + " MB" : (bytes >> 10) + " KB";
  }

  /** What the checks need to know of an input, read from its attributes and first bytes. */
  private record InputFacts(long size, ImageFormat format, Endpoint.Size resolution) {
    /** The facts, or null for a path that is not a regular file (which is never opened). */
    static InputFacts read(UploadInput input) throws IOException {
      long size;
      if (input instanceof PathInput file) {
        BasicFileAttributes attributes = file.checkRegular();
        if (attributes == null) {
          return null;
        }
        size = attributes.size();
      } else {
        size = ((SourceInput) input).source().length();
      }
      ImageFormat format;
      try (InputStream in = input.openForChecks()) {
        format = ImageSniffer.sniff(in);
      }
      if (format == null) {
        return new InputFacts(size, null, null);
      }
      try (InputStream in = input.openForChecks()) {
        return new InputFacts(size, format, ImageDimensions.read(in, format));
      }
    }
  }
}
