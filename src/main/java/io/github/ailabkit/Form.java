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
 * <p>Files are streamed from disk when the request is sent, never loaded whole into memory; bytes in
 * memory and streams go in as {@link #file(String, byte[])} and {@link #file(String, UploadSource)}. Before
 * anything is sent, the form is checked against the endpoint's documented fields (see
 * {@link AILabClient#submit(Endpoint, Form)}). Setting a name twice keeps the last value. Not thread-safe:
 * build it on one thread, then hand it over.
 */
public final class Form {
  private final Map<String, String> fields = new LinkedHashMap<>();
  /** File inputs in the order set: each a {@link Path} or an {@link UploadSource}. */
  private final Map<String, Object> files = new LinkedHashMap<>();
  private boolean readOnly;

  private Form() {
  }

  /** An empty form. */
  public static Form create() {
    return new Form();
  }

  /** Sets a text field; numbers and booleans are sent as their {@code toString()}. */
  public Form field(String name, Object value) {
    checkWritable();
    checkName(name);
    Objects.requireNonNull(value, "value == null");
    files.remove(name);
    fields.put(name, value.toString());
    return this;
  }

  /** Sets a file field, read from {@code path} when the request is sent. */
  public Form file(String name, Path path) {
    Objects.requireNonNull(path, "path == null");
    return putFile(name, path);
  }

  /**
   * Sets a file field to bytes in memory, used in place (not copied): do not change the array before
   * the request is sent. Checked and sent like a file: see {@link UploadSource#of(byte[])}.
   */
  public Form file(String name, byte[] bytes) {
    return putFile(name, UploadSource.of(bytes));
  }

  /** Sets a file field to an in-memory or stream input, checked and sent like a file. */
  public Form file(String name, UploadSource source) {
    Objects.requireNonNull(source, "source == null");
    return putFile(name, source);
  }

  /** A new, writable form with the same fields and inputs (the inputs themselves are shared, not copied). */
  public Form copy() {
    Form copy = new Form();
    copy.fields.putAll(fields);
    copy.files.putAll(files);
    return copy;
  }

  /**
   * Makes this form read-only from now on, so that it can be shared: its setters then throw
   * {@link IllegalStateException} (change a {@link #copy()} instead). Generated params hand out their
   * form this way. Returns this form.
   */
  public Form freeze() {
    readOnly = true;
    return this;
  }

  /** Whether this form is read-only: see {@link #freeze()}. */
  public boolean isReadOnly() {
    return readOnly;
  }

  /** The text fields, in the order they were set. */
  public Map<String, String> fields() {
    return Collections.unmodifiableMap(fields);
  }

  /** The file fields given as paths, in the order they were set; see {@link #uploads()} for the others. */
  public Map<String, Path> files() {
    return inputsOf(Path.class);
  }

  /** The file fields given as bytes or streams ({@link UploadSource}), in the order they were set. */
  public Map<String, UploadSource> uploads() {
    return inputsOf(UploadSource.class);
  }

  /** Whether nothing at all is set: no field, no file, no upload. */
  public boolean isEmpty() {
    return fields.isEmpty() && files.isEmpty();
  }

  /** Whether a field or file of this name is set. */
  public boolean has(String name) {
    return fields.containsKey(name) || files.containsKey(name);
  }

  @Override
  public String toString() {
    return "Form{fields=" + fields.keySet() + ", files=" + files + "}";
  }

  private void checkWritable() {
    if (readOnly) {
      throw new IllegalStateException("this form is read-only; change a copy()");
    }
  }

  private Form putFile(String name, Object input) {
    checkWritable();
    checkName(name);
    fields.remove(name);
    files.put(name, input);
    return this;
  }

  private <T> Map<String, T> inputsOf(Class<T> type) {
    Map<String, T> result = new LinkedHashMap<>();
    files.forEach((name, input) -> {
      if (type.isInstance(input)) {
        result.put(name, type.cast(input));
      }
    });
    return Collections.unmodifiableMap(result);
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name == null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("field name is blank");
    }
  }
}
