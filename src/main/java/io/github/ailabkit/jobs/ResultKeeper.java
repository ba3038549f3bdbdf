package io.github.ailabkit.jobs;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.TaskResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Puts a completed task's results in {@code resultsDir/<key>/}: every result URL downloaded and every
 * base64 image decoded, each file written whole under a temporary name, forced to disk and moved into
 * place atomically, then the directory forced too. Files are named {@code result-1.png},
 * {@code result-2.jpg}, … in the answer's order, so a repeated attempt replaces them.
 */
final class ResultKeeper {
  private static final Pattern EXTENSION = Pattern.compile("\\.([A-Za-z0-9]{1,5})$");

  private final AILabClient client;
  private final Path resultsDir;

  ResultKeeper(AILabClient client, Path resultsDir) {
    this.client = client;
    this.resultsDir = resultsDir;
  }

  /**
   * Keeps every result of {@code result} for the job {@code key}; returns the files, whole and durable.
   *
   * @throws io.github.ailabkit.AILabApiException if the file host refused a download (404 once expired)
   * @throws io.github.ailabkit.AILabIOException if a download failed
   * @throws UncheckedIOException if a file could not be written
   */
  List<Path> keep(String key, TaskResult result) {
    Path dir = JobKeys.resultDir(resultsDir, key);
    List<Path> kept = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (URI url : ResultFiles.urls(result)) {
        Path target = dir.resolve(JobKeys.RESULT_PREFIX + (kept.size() + 1) + extension(url));
        kept.add(ResultFiles.download(client, url, target));
      }
      for (byte[] image : ResultFiles.base64Images(result)) {
        Path target = dir.resolve(JobKeys.RESULT_PREFIX + (kept.size() + 1) + "." + sniffExtension(image));
        kept.add(writeAtomically(target, image));
      }
      forceDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the results of job " + key + " in " + dir, e);
    }
    return kept;
  }

  private static String extension(URI url) {
    String path = url.getPath() == null ? "" : url.getPath();
    var matcher = EXTENSION.matcher(path.substring(path.lastIndexOf('/') + 1));
    return matcher.find() ? "." + matcher.group(1).toLowerCase(java.util.Locale.ROOT) : ".bin";
  }

  /** The file extension the image's first bytes call for; {@code bin} when unknown. */
  static String sniffExtension(byte[] bytes) {
    if (startsWith(bytes, 0x89, 'P', 'N', 'G')) return "png";
    if (startsWith(bytes, 0xFF, 0xD8, 0xFF)) return "jpg";
    if (startsWith(bytes, 'B', 'M')) return "bmp";
    if (startsWith(bytes, 'R', 'I', 'F', 'F') && bytes.length >= 12 && bytes[8] == 'W' && bytes[9] == 'E') {
      return "webp";
    }
    return "bin";
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Writes {@code bytes} to a temporary sibling, forces it to disk and moves it to {@code target} atomically. */
  static Path writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temporary = target.resolveSibling("." + target.getFileName() + ".partial");
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    return target;
  }

  /** Forces a directory's entries to disk (where the platform allows opening a directory). */
  static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the moves themselves were atomic.
    }
  }
}
