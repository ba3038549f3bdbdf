package io.github.ailabkit.simulator;

import io.github.ailabkit.Endpoint;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.internal.FormValidator;
import io.github.ailabkit.internal.ImageSniffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a submitted form against the endpoint's documented fields, as the server does, and names the
 * first problem found. Fields the endpoint does not document are ignored.
 *
 * <ul>
 *   <li>400 {@code MISSING_PARAMETERS}: a required field, every field of an any-of group, or every
 *       file is missing;
 *   <li>400 {@code ERROR_INVALID_PARAMETER}: a value outside the enumeration or over the maximum length,
 *       a file where text is expected or the reverse, an empty file;
 *   <li>413 {@code FILE_SIZE_EXCEEDS_LIMIT}: a file over the documented size;
 *   <li>415 {@code UNSUPPORTED_FILE_TYPES}: a file that is no image the field accepts, or whose file name
 *       extension names another format than its bytes (some endpoints check the name, not the bytes).
 * </ul>
 */
final class SubmitCheck {
  private static final Map<String, ImageFormat> EXTENSIONS = Map.of(
      "jpg", ImageFormat.JPEG, "jpeg", ImageFormat.JPEG, "png", ImageFormat.PNG,
      "bmp", ImageFormat.BMP, "webp", ImageFormat.WEBP);

  private SubmitCheck() {
  }

  /** The first problem with {@code parts}, or null if the endpoint accepts them. */
  static Failure check(Endpoint endpoint, List<Multipart.Part> parts) {
    Map<String, Multipart.Part> byName = new LinkedHashMap<>();
    parts.forEach(part -> byName.put(part.name(), part));
    for (Endpoint.Field field : endpoint.requiredFields()) {
      if (!byName.containsKey(field.name())) {
        return missing("missing parameter '" + field.name() + "'");
      }
    }
    for (Set<String> group : endpoint.anyOfGroups()) {
      if (group.stream().noneMatch(byName::containsKey)) {
        return missing("missing parameter: one of " + group + " is required");
      }
    }
    boolean takesFiles = endpoint.fields().stream().anyMatch(f -> f.kind() == Endpoint.FieldKind.FILE);
    if (takesFiles && parts.stream().noneMatch(Multipart.Part::isFile)) {
      return missing("missing parameter: no file was sent");
    }
    for (Multipart.Part part : byName.values()) {
      Endpoint.Field field = endpoint.field(part.name()).orElse(null);
      if (field != null) {
        Failure problem = field.kind() == Endpoint.FieldKind.TEXT ? checkText(field, part) : checkFile(field, part);
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  private static Failure checkText(Endpoint.Field field, Multipart.Part part) {
    if (part.isFile()) {
      return invalid("'" + field.name() + "' must be a text value, not a file");
    }
    String value = part.text();
    String expected = FormValidator.expectedType(field.valueType(), value);
    if (expected != null) {
      return invalid("'" + field.name() + "' = '" + value + "' is not " + expected);
    }
    if (!field.allowedValues().isEmpty() && !field.allowedValues().contains(value)) {
      return invalid("'" + field.name() + "' = '" + value + "' is not an allowed value");
    }
    if (field.maxLength() != null && value.codePointCount(0, value.length()) > field.maxLength()) {
      return invalid("'" + field.name() + "' is longer than " + field.maxLength() + " characters");
    }
    return null;
  }

  private static Failure checkFile(Endpoint.Field field, Multipart.Part part) {
    if (!part.isFile()) {
      return invalid("'" + field.name() + "' must be a file");
    }
    if (part.size() == 0) {
      return invalid("'" + field.name() + "' is an empty file");
    }
    if (field.maxFileBytes() != null && part.size() > field.maxFileBytes()) {
      return new Failure(413, "FILE_SIZE_EXCEEDS_LIMIT", "'" + field.name() + "' is " + part.size()
          + " bytes; the limit is " + field.maxFileBytes() + " bytes");
    }
    ImageFormat format = ImageSniffer.sniff(part.head(), part.head().length);
    if (format == null || (!field.formats().isEmpty() && !field.formats().contains(format))) {
      return unsupported("'" + field.name() + "' is " + (format == null ? "not a recognised image" : format)
          + (field.formats().isEmpty() ? "" : "; accepted: " + field.formats()));
    }
    ImageFormat named = EXTENSIONS.get(extension(part.fileName()));
    if (named != null && named != format) {
      return unsupported("'" + field.name() + "': the file name " + part.fileName() + " does not match its "
          + format + " content");
    }
    return null;
  }

  private static String extension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static Failure missing(String message) {
    return new Failure(400, "MISSING_PARAMETERS", message);
  }

  private static Failure invalid(String message) {
    return new Failure(400, "ERROR_INVALID_PARAMETER", message);
  }

  private static Failure unsupported(String message) {
    return new Failure(415, "UNSUPPORTED_FILE_TYPES", message);
  }
}
