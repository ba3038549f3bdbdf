package io.github.ailabkit.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The file-system half of a download: a temporary file beside the target, put on disk and moved into place
 * atomically, so a half-written file never looks complete.
 */
final class TemporaryFiles {
  /** Room for the target's name in the temporary one, in bytes: file systems cap a name at 255 bytes. */
  private static final int MAX_TEMP_PREFIX_BYTES = 100;

  private TemporaryFiles() {
  }

  /**
   * A new empty file beside {@code target}, with the permissions any new file gets (unlike
   * {@code Files.createTempFile}, whose owner-only permissions would carry over to the result).
   */
  static Path createBeside(Path target) throws IOException {
    String prefix = "." + utf8Prefix(target.getFileName().toString(), MAX_TEMP_PREFIX_BYTES) + ".";
    for (int tries = 1; ; tries++) {
      Path candidate = target.resolveSibling(prefix + Long.toHexString(ThreadLocalRandom.current().nextLong())
          + ".part");
      try {
        return Files.createFile(candidate);
      } catch (FileAlreadyExistsException taken) {
        if (tries >= 100) {
          throw taken;
        }
      }
    }
  }

  /** Puts the bytes on disk before the move, so a crash cannot leave a complete-looking empty target. */
  static void flushToDisk(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** Moves {@code from} over {@code to}, atomically where the file system can. */
  static void moveIntoPlace(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The longest start of {@code name} that takes at most {@code maxBytes} in UTF-8, cut between code points. */
  private static String utf8Prefix(String name, int maxBytes) {
    int end = 0;
    int bytes = 0;
    while (end < name.length()) {
      int codePoint = name.codePointAt(end);
      int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return name.substring(0, end);
  }
}
