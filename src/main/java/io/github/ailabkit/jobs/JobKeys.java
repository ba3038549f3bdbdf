package io.github.ailabkit.jobs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Job keys name directories under the results directory, so a key is checked before it is stored: it
 * must stay inside that directory whatever the platform.
 */
final class JobKeys {
  /** Long enough for {@code prefix/file name}, short enough for every file system's name limits. */
  static final int MAX_LENGTH = 200;
  /** How result files in a job's directory are named: {@code result-1.png}, … */
  static final String RESULT_PREFIX = "result-";

  private JobKeys() {
  }

  /**
   * Checks a key: 1 to {@value #MAX_LENGTH} characters; segments separated by {@code /}, none empty,
   * {@code .} or {@code ..}, none starting with {@code .} or {@code result-} (so a key's directory never
   * clashes with another job's result files, as {@code a} and {@code a/result-1.png} would); no control
   * character (NUL included), backslash or colon; not absolute.
   *
   * @return the key
   * @throws IllegalArgumentException naming the problem
   */
  static String check(String key) {
    Objects.requireNonNull(key, "key == null");
    if (key.isEmpty() || key.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("job key must have 1 to " + MAX_LENGTH + " characters: " + key.length());
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') {
        throw new IllegalArgumentException("job key contains a forbidden character (control, \\ or :) at index "
            + i + ": " + printable(key));
      }
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("job key must be a relative path of named segments (no leading, "
            + "trailing or double '/', no '.' or '..'): " + printable(key));
      }
      if (segment.startsWith(".") || segment.startsWith(RESULT_PREFIX)) {
        throw new IllegalArgumentException("job key segments must not start with '.' or '" + RESULT_PREFIX
            + "' (the names of result files and their temporary files in a job's directory): " + printable(key));
      }
    }
    return key;
  }

  /** The directory of a job's results: {@code resultsDir/<key>}, proven to stay inside {@code resultsDir}. */
  static Path resultDir(Path resultsDir, String key) {
    Path base = resultsDir.toAbsolutePath().normalize();
    Path dir = base.resolve(check(key)).normalize();
    if (!dir.startsWith(base) || dir.equals(base)) {
      throw new IllegalArgumentException("job key escapes the results directory: " + printable(key));
    }
    return dir;
  }

  private static String printable(String key) {
    StringBuilder out = new StringBuilder();
    key.codePoints().limit(MAX_LENGTH).forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
