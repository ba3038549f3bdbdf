package io.github.ailabkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code POST multipart/form-data} endpoint of the AILab API, described as the vendor's OpenAPI
 * document describes it: its path, whether it answers with a task id to poll, and its form fields
 * with their documented limits.
 *
 * <p>The catalog of all endpoints is {@link Endpoints}; it is generated from the vendor's document,
 * so the limits here are exactly the documented ones: a field the document does not mark as required
 * is not required here, even where the service may expect it.
 *
 * <pre>{@code
 * Endpoint endpoint = Endpoints.HAIRSTYLE_EDITOR_PRO;
 * endpoint.mode();                                 // ASYNC: poll the returned task id
 * endpoint.field("image").get().maxFileBytes();    // 5242880
 * endpoint.field("hair_style").get().allowedValues().contains("BuzzCut"); // true
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe. Two endpoints are equal when their paths are equal.
 */
public final class Endpoint {
  /** How an endpoint answers a successful request: with its result, with a task id to poll, or either. */
  public enum Mode {
    /** Answers with its result: use {@code call}. */
    SYNC,
    /** Answers with a task id whose result must be polled: use {@code submit}. */
    ASYNC,
    /** Answers with a task id, or with its result when asked with {@code task_type=sync}: both work. */
    SYNC_OR_ASYNC;

    /** Whether a submit can answer with a task id: {@link #ASYNC} or {@link #SYNC_OR_ASYNC}. */
    public boolean answersWithTask() {
      return this != SYNC;
    }

    /** Whether a call can answer with the result itself: {@link #SYNC} or {@link #SYNC_OR_ASYNC}. */
    public boolean answersDirectly() {
      return this != ASYNC;
    }
  }

  /** What a form field carries: an uploaded file or a plain text value. */
  public enum FieldKind {
    /** A file part ({@code format: binary} in the document), such as an image. */
    FILE,
    /** A text part; numbers and booleans are sent as text too. */
    TEXT
  }

  /** The documented type of a text field's value; every value is sent as text, checked before sending. */
  public enum ValueType {
    /** Any text. */
    STRING,
    /** A whole number, such as {@code 30} or {@code -1}. */
    INTEGER,
    /** A decimal number, such as {@code 0.5} or {@code 2}. */
    NUMBER,
    /** {@code true} or {@code false}. */
    BOOLEAN
  }

  /**
   * A size in pixels, as in a documented resolution limit.
   *
   * @param width the width in pixels, positive
   * @param height the height in pixels, positive
   */
  public record Size(int width, int height) {
    /** Checks both sides are positive. */
    public Size {
      if (width <= 0 || height <= 0) {
        throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
      }
    }

    /** Returns the size as {@code WIDTHxHEIGHTpx}, as the documentation writes it. */
    @Override
    public String toString() {
      return width + "x" + height + "px";
    }
  }

  /**
   * One form field of an endpoint and its documented constraints.
   *
   * <p>A {@link FieldKind#FILE} field never has a value type, allowed values, a default or a maximum
   * length; a {@link FieldKind#TEXT} field never has a file size limit, formats or resolution limits.
   *
   * @param name the form field name, such as {@code image}
   * @param kind whether the field is a file or a text value
   * @param valueType the documented type of a text value; null for a file
   * @param required whether the document marks the field as required
   * @param allowedValues the documented enumeration as strings (integers included); empty if any value goes
   * @param defaultValue the documented default as a string, or null if none is documented
   * @param maxLength the documented maximum number of characters of a text value, or null if none
   * @param maxFileBytes the documented maximum file size in bytes (1 MB = 1,048,576 bytes), or null if
   *     none is stated
   * @param formats the documented image formats of a file; empty if the document states none
   * @param minResolution the documented smallest width and height of an image, or null if none (checked
   *     before upload from the image's header, the bound itself allowed)
   * @param maxResolution the documented largest width and height of an image, or null if none (checked
   *     likewise)
   */
  public record Field(
      String name,
      FieldKind kind,
      ValueType valueType,
      boolean required,
      List<String> allowedValues,
      String defaultValue,
      Integer maxLength,
      Long maxFileBytes,
      Set<ImageFormat> formats,
      Size minResolution,
      Size maxResolution) {

    /** Checks the constraints fit the kind and takes immutable copies of the collections. */
    public Field {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(kind, "kind == null");
      Objects.requireNonNull(allowedValues, "allowedValues == null");
      Objects.requireNonNull(formats, "formats == null");
      if (name.isEmpty()) throw new IllegalArgumentException("name is empty");
      if (maxLength != null && maxLength <= 0) {
        throw new IllegalArgumentException("maxLength <= 0: " + maxLength);
      }
      if (maxFileBytes != null && maxFileBytes <= 0) {
        throw new IllegalArgumentException("maxFileBytes <= 0: " + maxFileBytes);
      }
      allowedValues = List.copyOf(allowedValues);
      formats = formats.isEmpty()
          ? Set.of()
          : Collections.unmodifiableSet(EnumSet.copyOf(formats));
      if (kind == FieldKind.FILE
          && (valueType != null || !allowedValues.isEmpty() || defaultValue != null || maxLength != null)) {
        throw new IllegalArgumentException(
            "file field " + name + " cannot have a value type, allowed values, a default or a maximum length");
      }
      if (kind == FieldKind.TEXT && (valueType == null || maxFileBytes != null || !formats.isEmpty()
          || minResolution != null || maxResolution != null)) {
        throw new IllegalArgumentException("text field " + name
            + " needs a value type and cannot have a file size limit, formats or resolution limits");
      }
    }
  }

  private final String path;
  private final String summary;
  private final Mode mode;
  private final List<Field> fields;
  private final List<Field> requiredFields;
  private final Map<String, Field> fieldsByName;
  private final List<Set<String>> anyOfGroups;

  private Endpoint(Builder builder) {
    this.path = builder.path;
    this.summary = builder.summary;
    this.mode = builder.mode;
    this.fields = List.copyOf(builder.fields.values());
    this.requiredFields = fields.stream().filter(Field::required).toList();
    this.fieldsByName = Collections.unmodifiableMap(new LinkedHashMap<>(builder.fields));
    this.anyOfGroups = List.copyOf(builder.anyOfGroups);
  }

  /** The request path, such as {@code /api/portrait/effects/hairstyle-editor-pro}. */
  public String path() {
    return path;
  }

  /** The document's one-line summary, such as {@code Hairstyle Changer Pro}. */
  public String summary() {
    return summary;
  }

  /**
   * How the endpoint answers: {@link Mode#ASYNC} endpoints answer with a task id to poll (use
   * {@code submit}), {@link Mode#SYNC} ones with the result (use {@code call}); the few
   * {@link Mode#SYNC_OR_ASYNC} ones do either, as their {@code task_type} asks.
   */
  public Mode mode() {
    return mode;
  }

  /** All form fields, in the document's order. */
  public List<Field> fields() {
    return fields;
  }

  /** The form field with this name, or empty if the endpoint has no such field. */
  public Optional<Field> field(String name) {
    Objects.requireNonNull(name, "name == null");
    return Optional.ofNullable(fieldsByName.get(name));
  }

  /** The fields that must always be sent, in the document's order. */
  public List<Field> requiredFields() {
    return requiredFields;
  }

  /**
   * Groups of alternatives: a request must carry at least one field of each group (for example
   * {@code hair_style} or {@code image_template}). Empty when the endpoint has no such rule.
   */
  public List<Set<String>> anyOfGroups() {
    return anyOfGroups;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Endpoint endpoint && endpoint.path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  /** Returns the method, path and mode, such as {@code Endpoint[POST /api/... async]}. */
  @Override
  public String toString() {
    return "Endpoint[POST " + path + switch (mode) {
      case SYNC -> " sync]";
      case ASYNC -> " async]";
      case SYNC_OR_ASYNC -> " sync|async]";
    };
  }

  /** Starts describing an endpoint that answers with its result. */
  static Builder sync(String path, String summary) {
    return new Builder(path, summary, Mode.SYNC);
  }

  /** Starts describing an endpoint that answers with a task id to poll. */
  static Builder async(String path, String summary) {
    return new Builder(path, summary, Mode.ASYNC);
  }

  /** Starts describing an endpoint that answers with a task id, or with its result for {@code task_type=sync}. */
  static Builder syncOrAsync(String path, String summary) {
    return new Builder(path, summary, Mode.SYNC_OR_ASYNC);
  }

  /** Collects the fields of one endpoint, in order; used by the generated {@link Endpoints}. */
  static final class Builder {
    private final String path;
    private final String summary;
    private final Mode mode;
    private final Map<String, Field> fields = new LinkedHashMap<>();
    private final List<Set<String>> anyOfGroups = new ArrayList<>();

    private Builder(String path, String summary, Mode mode) {
      this.path = Objects.requireNonNull(path, "path == null");
      this.summary = Objects.requireNonNull(summary, "summary == null");
      this.mode = mode;
      if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with /: " + path);
    }

    /** Adds a file field with no resolution limits; {@code maxFileBytes} null and {@code formats} empty when not stated. */
    Builder file(String name, boolean required, Long maxFileBytes, ImageFormat... formats) {
      return file(name, required, maxFileBytes, null, null, formats);
    }

    /** Adds a file field; limits are null and {@code formats} empty when not stated. */
    Builder file(String name, boolean required, Long maxFileBytes, Size minResolution, Size maxResolution,
        ImageFormat... formats) {
      return add(new Field(name, FieldKind.FILE, null, required, List.of(), null, null, maxFileBytes,
          Set.of(formats), minResolution, maxResolution));
    }

    /** Adds a text field of any text; {@code allowedValues} empty means any value. */
    Builder text(String name, boolean required, String defaultValue, Integer maxLength,
        String... allowedValues) {
      return value(ValueType.STRING, name, required, defaultValue, maxLength, allowedValues);
    }

    /** Adds a text field holding a whole number. */
    Builder integer(String name, boolean required, String defaultValue, String... allowedValues) {
      return value(ValueType.INTEGER, name, required, defaultValue, null, allowedValues);
    }

    /** Adds a text field holding a decimal number. */
    Builder number(String name, boolean required, String defaultValue, String... allowedValues) {
      return value(ValueType.NUMBER, name, required, defaultValue, null, allowedValues);
    }

    /** Adds a text field holding {@code true} or {@code false}. */
    Builder bool(String name, boolean required, String defaultValue) {
      return value(ValueType.BOOLEAN, name, required, defaultValue, null);
    }

    private Builder value(ValueType type, String name, boolean required, String defaultValue, Integer maxLength,
        String... allowedValues) {
      return add(new Field(name, FieldKind.TEXT, type, required, List.of(allowedValues), defaultValue,
          maxLength, null, Set.of(), null, null));
    }

    /** Adds a rule: at least one of these fields must be present. */
    Builder anyOf(String... names) {
      if (names.length == 0) throw new IllegalArgumentException("names is empty");
      Set<String> group = new LinkedHashSet<>(List.of(names));
      anyOfGroups.add(Collections.unmodifiableSet(group));
      return this;
    }

    /** Returns the endpoint; fails if an any-of rule names a field the endpoint does not have. */
    Endpoint build() {
      for (Set<String> group : anyOfGroups) {
        for (String name : group) {
          if (!fields.containsKey(name)) {
            throw new IllegalStateException(path + ": any-of names unknown field " + name);
          }
        }
      }
      return new Endpoint(this);
    }

    private Builder add(Field field) {
      if (fields.putIfAbsent(field.name(), field) != null) {
        throw new IllegalArgumentException(path + ": duplicate field " + field.name());
      }
      return this;
    }
  }
}
