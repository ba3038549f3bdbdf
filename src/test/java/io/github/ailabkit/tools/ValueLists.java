package io.github.ailabkit.tools;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the values a field description lists, with what each means, in the two regular phrasings of
 * the document: HTML items {@code <li>`mask`: Returns a single channel mask.</li>} and Markdown items
 * {@code - `0`: No.}.
 *
 * <p>A description states an enumeration in prose when it has HTML items, each of them either a value
 * item or a sentence about leaving the field unset ("If not set, ..."), and it does not speak of several
 * values in one field ("separated by commas").
 */
final class ValueLists {
  private static final Pattern HTML_ITEM = Pattern.compile("<li>(.*?)(?:</li>|$)", Pattern.DOTALL);
  private static final Pattern MARKDOWN_ITEM = Pattern.compile("(?m)(?:^|\\s)- `([^`]+)`\\s*:\\s*([^\\n]*?)(?=\\s+- `|$)");
  private static final Pattern VALUE_ITEM = Pattern.compile("\\s*`([^`]+)`\\s*:\\s*(.*)", Pattern.DOTALL);
  private static final Pattern UNSET_ITEM = Pattern.compile("\\s*If (?:not|no)\\b.*", Pattern.DOTALL);
  private static final Pattern SEVERAL_VALUES = Pattern.compile("comma|separated", Pattern.CASE_INSENSITIVE);

  private ValueLists() {}

  /** Each listed value with its meaning (HTML items first, then Markdown), in order; empty if none. */
  static Map<String, String> described(String description) {
    Map<String, String> result = new LinkedHashMap<>();
    Matcher item = HTML_ITEM.matcher(description);
    while (item.find()) {
      Matcher value = VALUE_ITEM.matcher(item.group(1));
      if (value.matches()) result.putIfAbsent(value.group(1), value.group(2).trim());
    }
    Matcher markdown = MARKDOWN_ITEM.matcher(description);
    while (markdown.find()) result.putIfAbsent(markdown.group(1), markdown.group(2).trim());
    return result;
  }

  /** The enumeration a description states in prose, in order; empty if it states none. */
  static Map<String, String> proseEnumeration(String description) {
    Matcher item = HTML_ITEM.matcher(description);
    Map<String, String> result = new LinkedHashMap<>();
    while (item.find()) {
      Matcher value = VALUE_ITEM.matcher(item.group(1));
      if (value.matches()) {
        result.put(value.group(1), value.group(2).trim());
      } else if (!UNSET_ITEM.matcher(item.group(1)).matches()) {
        return Map.of();
      }
    }
    return SEVERAL_VALUES.matcher(description).find() ? Map.of() : result;
  }
}
