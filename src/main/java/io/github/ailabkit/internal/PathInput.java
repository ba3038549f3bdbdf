package io.github.ailabkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * A file on disk. Only a regular file is read: its attributes are read first (which never blocks), so a
 * file swapped for a FIFO or a device after the checks is refused instead of opened, where opening could
 * wait forever for a writer. Two inputs are equal when their paths are.
 */
public final class PathInput implements UploadInput {
  private final Path path;
  /** The file's identity and modification time when first checked; null until then. */
  private volatile Object checkedKey;
  private volatile Object checkedModified;

  /** The file at {@code path}. */
  public PathInput(Path path) {
    this.path = Objects.requireNonNull(path, "path == null");
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public String describe() {
    return "file " + path;
  }

  @Override
  public String baseName(String field) {
    return path.getFileName() == null ? field : path.getFileName().toString();
  }

  /**
   * The attributes of the file, remembered as the checked state; null if it is not a regular file.
   *
   * @throws IOException if it does not exist ({@link NoSuchFileException}) or cannot be looked at
   */
  public BasicFileAttributes checkRegular() throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      return null;
    }
    checkedKey = attributes.fileKey();
    checkedModified = attributes.lastModifiedTime();
    return attributes;
  }

  @Override
  public InputStream openForChecks() throws IOException {
    return Files.newInputStream(path);
  }

  @Override
  public void recheck(long checkedSize) throws LocalInputFailure {
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException gone) {
      throw failure("was deleted after it was checked", gone);
    } catch (IOException e) {
      throw failure("cannot be read any more: " + e.getMessage(), e);
    }
    if (!now.isRegularFile()) {
      throw failure("is no longer a regular file (a FIFO, device or directory took its place)", null);
    }
    if (now.size() != checkedSize || changed(now)) {
      throw failure("changed after it was checked (" + checkedSize + " bytes then, " + now.size() + " now)", null);
    }
  }

  @Override
  public InputStream openForSending(long checkedSize) throws LocalInputFailure {
    recheck(checkedSize);
    try {
      return Files.newInputStream(path);
    } catch (IOException e) {
      throw failure("cannot be opened: " + e.getMessage(), e);
    }
  }

  private boolean changed(BasicFileAttributes now) {
    return (checkedKey != null && !checkedKey.equals(now.fileKey()))
        || (checkedModified != null && !checkedModified.equals(now.lastModifiedTime()));
  }

  private LocalInputFailure failure(String what, Throwable cause) {
    return new LocalInputFailure("file " + path + " " + what + "; nothing was sent", cause);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PathInput input && input.path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
