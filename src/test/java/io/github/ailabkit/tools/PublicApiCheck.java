package io.github.ailabkit.tools;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compares the public API of the compiled classes with the checked-in dump and explains a difference:
 * which members went and came, under their type, and the one command that accepts the change.
 */
public final class PublicApiCheck {
  /** The checked-in dump, relative to the project folder. */
  public static final String DUMP_FILE = "api/ailab-sdk.api";

  /** The command that regenerates {@link #DUMP_FILE} from the compiled classes. */
  public static final String UPDATE_COMMAND = "mvn -B -q test -Dtest=PublicApiTest -Dapi.update=true";

  private static final Set<String> KINDS = Set.of("class", "interface", "enum", "record", "@interface");

  private PublicApiCheck() {
  }

  /**
   * Nothing if {@code actual} equals {@code expected}; otherwise the failure message: the lines removed
   * ({@code -}) and added ({@code +}), each member under its type, then how to accept the change.
   */
  public static Optional<String> compare(List<String> expected, List<String> actual) {
    if (expected.equals(actual)) {
      return Optional.empty();
    }
    List<String> removed = minus(withOwner(expected), withOwner(actual));
    List<String> added = minus(withOwner(actual), withOwner(expected));
    StringBuilder message = new StringBuilder("The public API differs from ").append(DUMP_FILE)
        .append(" (").append(removed.size()).append(" line(s) gone, ").append(added.size()).append(" new).\n");
    removed.forEach(line -> message.append("  - ").append(line).append('\n'));
    added.forEach(line -> message.append("  + ").append(line).append('\n'));
    if (removed.isEmpty() && added.isEmpty()) {
      message.append("  (same lines, different order: the file was edited by hand)\n");
    }
    message.append("A change of the public API must be deliberate. If it is, regenerate the file and commit it ")
        .append("with the change:\n    ").append(UPDATE_COMMAND).append('\n')
        .append("Removing or changing a public member breaks users: see the compatibility policy in README.md.");
    return Optional.of(message.toString());
  }

  /** Each line, members prefixed by the type they belong to, so a diff line stands on its own. */
  private static Set<String> withOwner(List<String> dump) {
    Set<String> lines = new LinkedHashSet<>();
    String owner = "";
    for (String line : dump) {
      if (line.startsWith("  ")) {
        lines.add(owner + " :: " + line.strip());
      } else {
        owner = typeName(line);
        lines.add(line);
      }
    }
    return lines;
  }

  /** The type's binary name in a type line: the word after its kind, without type parameters. */
  private static String typeName(String typeLine) {
    List<String> words = List.of(typeLine.split(" "));
    for (int i = 0; i < words.size() - 1; i++) {
      if (KINDS.contains(words.get(i))) {
        String name = words.get(i + 1);
        return name.contains("<") ? name.substring(0, name.indexOf('<')) : name;
      }
    }
    return typeLine;
  }

  private static List<String> minus(Set<String> lines, Set<String> other) {
    List<String> result = new ArrayList<>();
    for (String line : lines) {
      if (!other.contains(line)) {
        result.add(line);
      }
    }
    return result;
  }
}
