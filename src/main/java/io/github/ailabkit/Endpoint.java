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
 * endpoint.isAsync();                              // true: poll the returned task id
 * endpoint.field("image").get().maxFileBytes();    // 5242880
 * endpoint.field("hair_style").get().allowedValues().contains("BuzzCut"); // true
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe. Two endpoints are equal when their paths are equal.
 */
public final class Endpoint {
  /** What a form field carries: an uploaded file or a plain text value. */
  public enum FieldKind {
    /** A file part ({@code format: binary} in the document), such as an image. */
    FILE,
    /** A text part; numbers and booleans are sent as text too. */
    TEXT
  }

  /**
   * One form field of an endpoint and its documented constraints.
   *
   * <p>A {@link FieldKind#FILE} field never has allowed values, a default or a maximum length; a
   * {@link FieldKind#TEXT} field never has a file size limit or formats.
   *
   * @param name the form field name, such as {@code image}
   * @param kind whether the field is a file or a text value
   * @param required whether the document marks the field as required
   * @param allowedValues the documented enumeration as strings (integers included); empty if any value goes
   * @param defaultValue the documented default as a string, or null if none is documented
   * @param maxLength the documented maximum number of characters of a text value, or null if none
   * @param maxFileBytes the documented maximum file size in bytes (1 MB = 1,048,576 bytes), or null if
   *     none is stated
   * @param formats the documented image formats of a file; empty if the document states none
   */
  public record Field(
      String name,
      FieldKind kind,
      boolean required,
      List<String> allowedValues,
      String defaultValue,
      Integer maxLength,
      Long maxFileBytes,
      Set<ImageFormat> formats) {

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
          && (!allowedValues.isEmpty() || defaultValue != null || maxLength != null)) {
        throw new IllegalArgumentException(
            "file field " + name + " cannot have allowed values, a default or a maximum length");
      }
      if (kind == FieldKind.TEXT && (maxFileBytes != null || !formats.isEmpty())) {
        throw new IllegalArgumentException(
            "text field " + name + " cannot have a file size limit or formats");
      }
    }
  }

  private final String path;
  private final String summary;
  private final boolean async;
  private final List<Field> fields;
  private final Map<String, Field> fieldsByName;
  private final List<Set<String>> anyOfGroups;

  private Endpoint(Builder builder) {
    this.path = builder.path;
    this.summary = builder.summary;
    this.async = builder.async;
    this.fields = List.copyOf(builder.fields.values());
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
   * Whether a successful submit answers with a {@code task_id} whose result must be polled, rather
   * than with the result itself.
   */
  public boolean isAsync() {
    return async;
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
    List<Field> result = new ArrayList<>();
    for (Field field : fields) {
      if (field.required()) result.add(field);
    }
    return Collections.unmodifiableList(result);
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
    return other instanceof Endpoint && ((Endpoint) other).path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  /** Returns the method, path and mode, such as {@code Endpoint[POST /api/... async]}. */
  @Override
  public String toString() {
    return "Endpoint[POST " + path + (async ? " async]" : " sync]");
  }

  /** Starts describing an endpoint that answers with its result. */
  static Builder sync(String path, String summary) {
    return new Builder(path, summary, false);
  }

  /** Starts describing an endpoint that answers with a task id to poll. */
  static Builder async(String path, String summary) {
    return new Builder(path, summary, true);
  }

  /** Collects the fields of one endpoint, in order; used by the generated {@link Endpoints}. */
  static final class Builder {
    private final String path;
    private final String summary;
    private final boolean async;
    private final Map<String, Field> fields = new LinkedHashMap<>();
    private final List<Set<String>> anyOfGroups = new ArrayList<>();

    private Builder(String path, String summary, boolean async) {
      this.path = Objects.requireNonNull(path, "path == null");
      this.summary = Objects.requireNonNull(summary, "summary == null");
      this.async = async;
      if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with /: " + path);
    }

    /** Adds a file field; {@code maxFileBytes} is null and {@code formats} empty when not stated. */
    Builder file(String name, boolean required, Long maxFileBytes, ImageFormat... formats) {
      return add(new Field(name, FieldKind.FILE, required, List.of(), null, null, maxFileBytes,
          Set.of(formats)));
    }

    /** Adds a text field; {@code allowedValues} empty means any value. */
    Builder text(String name, boolean required, String defaultValue, Integer maxLength,
        String... allowedValues) {
      return add(new Field(name, FieldKind.TEXT, required, List.of(allowedValues), defaultValue,
          maxLength, null, Set.of()));
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
