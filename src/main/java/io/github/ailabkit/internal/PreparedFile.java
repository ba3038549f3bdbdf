package io.github.ailabkit.internal;

import io.github.ailabkit.ImageFormat;
import java.nio.file.Path;

/**
 * A file part checked before upload: its size and sniffed format decide the part's file name and
 * {@code Content-Type}, since some endpoints judge the extension rather than the bytes.
 *
 * @param field the form field name
 * @param input where the bytes are read from at send time
 * @param size the size in bytes when checked
 * @param format the sniffed format, or null if unrecognised
 */
public record PreparedFile(String field, UploadInput input, long size, ImageFormat format) {
  /** A file on disk. */
  public PreparedFile(String field, Path path, long size, ImageFormat format) {
    this(field, new PathInput(path), size, format);
  }

  /** The file's path, or null when the bytes come from an {@link io.github.ailabkit.UploadSource}. */
  public Path path() {
    return input.path();
  }

  /** The part's file name: the input's own name with the extension of its real format. */
  public String partFileName() {
    String name = input.baseName(field);
    if (format == null) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return stem + "." + format.extension();
  }

  /** The part's media type: the real format's, or {@code application/octet-stream}. */
  public String mediaType() {
    return format == null ? "application/octet-stream" : format.mediaType();
  }
}
