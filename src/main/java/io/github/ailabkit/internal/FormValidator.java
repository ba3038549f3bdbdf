package io.github.ailabkit.internal;

import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Form;
import io.github.ailabkit.ImageFormat;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a form against an endpoint's documented fields before anything is sent, and reports every
 * problem at once: missing required fields, unknown names, values outside the documented type,
 * enumeration or length, missing or unreadable files, files over the size limit, in an unaccepted
 * format or outside the documented resolution.
 */
public final class FormValidator {
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?\\d+");

  private FormValidator() {
  }

  /**
   * Validates {@code form} for {@code endpoint}.
   *
   * @return the form's files, checked and sniffed, in the form's order
   * @throws IllegalArgumentException listing every problem found
   */
  public static List<PreparedFile> validate(Endpoint endpoint, Form form) {
    List<String> problems = new ArrayList<>();
    List<PreparedFile> files = new ArrayList<>();
    for (Map.Entry<String, String> entry : form.fields().entrySet()) {
      checkText(endpoint, entry.getKey(), entry.getValue(), problems);
    }
    for (Map.Entry<String, Path> entry : form.files().entrySet()) {
      PreparedFile file = checkFile(endpoint, entry.getKey(), entry.getValue(), problems);
      if (file != null) {
        files.add(file);
      }
    }
    for (Endpoint.Field field : endpoint.requiredFields()) {
      if (!form.has(field.name())) {
        problems.add("missing required " + describe(field));
      }
    }
    // The spec omits "required" on many image endpoints; a request without any file is never useful there.
    boolean takesFiles = endpoint.fields().stream().anyMatch(f -> f.kind() == Endpoint.FieldKind.FILE);
    if (takesFiles && form.files().isEmpty() && endpoint.requiredFields().stream()
        .noneMatch(f -> f.kind() == Endpoint.FieldKind.FILE)) {
      problems.add("no file given; this endpoint takes " + fileNames(endpoint));
    }
    for (Set<String> group : endpoint.anyOfGroups()) {
      if (group.stream().noneMatch(form::has)) {
        problems.add("one of " + group + " is required");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Invalid form for " + endpoint.path() + ": " + problems.size()
          + (problems.size() == 1 ? " problem" : " problems") + "\n  - " + String.join("\n  - ", problems));
    }
    return files;
  }

  private static void checkText(Endpoint endpoint, String name, String value, List<String> problems) {
    Endpoint.Field field = endpoint.field(name).orElse(null);
    if (field == null) {
      problems.add("unknown field '" + name + "'; known fields: " + names(endpoint));
      return;
    }
    if (field.kind() == Endpoint.FieldKind.FILE) {
      problems.add("'" + name + "' is a file field; use Form.file(\"" + name + "\", path)");
      return;
    }
    if (!field.allowedValues().isEmpty() && !field.allowedValues().contains(value)) {
      problems.add("'" + name + "' = '" + value + "' is not an allowed value; allowed: "
          + abbreviate(field.allowedValues()));
    }
    String expected = expectedType(field.valueType(), value);
    if (expected != null) {
      problems.add("'" + name + "' = '" + value + "' is not " + expected);
    }
    if (field.maxLength() != null && value.codePointCount(0, value.length()) > field.maxLength()) {
      problems.add("'" + name + "' is " + value.codePointCount(0, value.length()) + " characters long; the limit is "
          + field.maxLength());
    }
  }

  private static PreparedFile checkFile(Endpoint endpoint, String name, Path path, List<String> problems) {
    Endpoint.Field field = endpoint.field(name).orElse(null);
    if (field == null) {
      problems.add("unknown file field '" + name + "'; known fields: " + names(endpoint));
      return null;
    }
    if (field.kind() == Endpoint.FieldKind.TEXT) {
      problems.add("'" + name + "' is a text field; use Form.field(\"" + name + "\", value)");
      return null;
    }
    if (!Files.isRegularFile(path)) {
      problems.add("'" + name + "': file " + path + (Files.exists(path) ? " is not a regular file" : " does not exist"));
      return null;
    }
    if (!Files.isReadable(path)) {
      problems.add("'" + name + "': file " + path + " is not readable");
      return null;
    }
    try {
      long size = Files.size(path);
      ImageFormat format = ImageSniffer.sniff(path);
      if (size == 0) {
        problems.add("'" + name + "': file " + path + " is empty");
      }
      if (field.maxFileBytes() != null && size > field.maxFileBytes()) {
        problems.add("'" + name + "': file " + path + " is " + size + " bytes; the size limit is "
            + field.maxFileBytes() + " bytes (" + megabytes(field.maxFileBytes()) + ")");
      }
      if (!field.formats().isEmpty() && (format == null || !field.formats().contains(format))) {
        problems.add("'" + name + "': file " + path + " is " + (format == null ? "not a recognised image" : format)
            + "; the accepted formats are " + field.formats());
      }
      if (format != null && (field.minResolution() != null || field.maxResolution() != null)) {
        Endpoint.Size resolution = ImageDimensions.read(path, format);
        String limit = brokenResolutionLimit(resolution, field);
        if (limit != null) {
          problems.add("'" + name + "': image " + path + " is " + resolution + "; " + limit);
        }
      }
      return new PreparedFile(name, path, size, format);
    } catch (IOException e) {
      problems.add("'" + name + "': file " + path + " cannot be read: " + e.getMessage());
      return null;
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
    switch (type) {
      case INTEGER:
        return WHOLE_NUMBER.matcher(value).matches() ? null : "a whole number";
      case NUMBER:
        try {
          new BigDecimal(value);
          return null;
        } catch (NumberFormatException notANumber) {
          return "a number";
        }
      case BOOLEAN:
        return value.equals("true") || value.equals("false") ? null : "true or false";
      default:
        return null;
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

  private static String abbreviate(List<String> values) {
    if (values.size() <= 12) {
      return values.toString();
    }
    return values.subList(0, 12).toString().replace("]", ", ... (" + values.size() + " values)]");
  }

  private static String megabytes(long bytes) {
    return bytes % (1024 * 1024) == 0 ? (bytes >> 20) + " MB" : (bytes >> 10) + " KB";
  }
}
