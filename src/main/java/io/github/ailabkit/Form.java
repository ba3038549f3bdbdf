package io.github.ailabkit;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The fields and files of one request to an endpoint, sent as {@code multipart/form-data}.
 *
 * <pre>{@code
 * Form form = Form.create()
 *     .file("image", Path.of("me.jpg"))
 *     .field("hair_style", "BuzzCut");
 * }</pre>
 *
 * <p>Files are streamed from disk when the request is sent, never loaded whole into memory. Before
 * anything is sent, the form is checked against the endpoint's documented fields (see
 * {@link AILabClient#submit(Endpoint, Form)}). Setting a name twice keeps the last value. Not thread-safe:
 * build it on one thread, then hand it over.
 */
public final class Form {
  private final Map<String, String> fields = new LinkedHashMap<>();
  private final Map<String, Path> files = new LinkedHashMap<>();

  private Form() {
  }

  /** An empty form. */
  public static Form create() {
    return new Form();
  }

  /** Sets a text field; numbers and booleans are sent as their {@code toString()}. */
  public Form field(String name, Object value) {
    checkName(name);
    Objects.requireNonNull(value, "value == null");
    files.remove(name);
    fields.put(name, value.toString());
    return this;
  }

  /** Sets a file field, read from {@code path} when the request is sent. */
  public Form file(String name, Path path) {
    checkName(name);
    Objects.requireNonNull(path, "path == null");
    fields.remove(name);
    files.put(name, path);
    return this;
  }

  /** The text fields, in the order they were set. */
  public Map<String, String> fields() {
    return Collections.unmodifiableMap(fields);
  }

  /** The file fields, in the order they were set. */
  public Map<String, Path> files() {
    return Collections.unmodifiableMap(files);
  }

  /** Whether a field or file of this name is set. */
  public boolean has(String name) {
    return fields.containsKey(name) || files.containsKey(name);
  }

  @Override
  public String toString() {
    return "Form{fields=" + fields.keySet() + ", files=" + files + "}";
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name == null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("field name is blank");
    }
  }
}
