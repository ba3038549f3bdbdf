package io.github.ailabkit.tools;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text helpers shared by the generators: Javadoc blocks, Java literals and names. */
final class JavaText {
  static final int MAX_LINE = 100;
  /** A word of Javadoc text; an inline tag such as {@code {@code name}} stays one word. */
  private static final Pattern WORD = Pattern.compile("\\{@code [^}]*}\\S*|\\S+");
  private static final Pattern MARKDOWN_LINK = Pattern.compile("\\[([^\\]]+)]\\([^)]*\\)");
  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
  private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
      "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
      "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
      "native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
      "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile",
      "while", "true", "false", "null", "var", "record", "yield");

  private JavaText() {}

  /** A Javadoc comment at this indent: one line if it fits, else a block wrapped at word boundaries. */
  static void javadoc(StringBuilder out, int indent, String text) {
    String pad = " ".repeat(indent);
    String oneLine = pad + "/** " + text + " */";
    if (oneLine.length() <= MAX_LINE && !text.contains("\n")) {
      out.append(oneLine).append('\n');
      return;
    }
    out.append(pad).append("/**\n");
    for (String paragraph : text.split("\n")) {
      wrap(out, pad + " *", paragraph);
    }
    out.append(pad).append(" */\n");
  }

  /** Writes {@code text} as lines starting with {@code prefix}, each within the line limit when possible. */
  private static void wrap(StringBuilder out, String prefix, String text) {
    if (text.isEmpty() || prefix.length() + 1 + text.length() <= MAX_LINE) {
      out.append(prefix).append(text.isEmpty() ? "" : " " + text).append('\n'); // kept as written: code lines
      return;
    }
    StringBuilder line = new StringBuilder(prefix);
    Matcher words = WORD.matcher(text);
    while (words.find()) {
      String word = words.group();
      if (line.length() > prefix.length() && line.length() + 1 + word.length() > MAX_LINE) {
        out.append(line).append('\n');
        line = new StringBuilder(prefix);
      }
      line.append(' ').append(word);
    }
    out.append(line.length() == prefix.length() ? prefix : line).append('\n');
  }

  /**
   * The document's prose as Javadoc text: HTML tags and Markdown links and emphasis dropped, special
   * characters escaped, backticked words as {@code {@code ...}}.
   */
  static String prose(String text) {
    String plain = MARKDOWN_LINK.matcher(text).replaceAll("$1").replace("**", "")
        .replaceAll("<br\\s*/?>", " ").replaceAll("</?li>", " ").replaceAll("\\s+", " ").trim();
    StringBuilder result = new StringBuilder();
    Matcher code = BACKTICKED.matcher(plain);
    int last = 0;
    while (code.find()) {
      result.append(escapeHtml(plain.substring(last, code.start()))).append(code(code.group(1)));
      last = code.end();
    }
    return result.append(escapeHtml(plain.substring(last))).toString();
  }

  /** {@code {@code text}}, with characters that would end or break the tag escaped. */
  static String code(String text) {
    if (text.contains("{") || text.contains("}") || text.contains("@")) {
      return "<code>" + escapeHtml(text).replace("{", "&#123;").replace("}", "&#125;") + "</code>";
    }
    return "{@code " + text + "}";
  }

  static String escapeHtml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("@", "&#64;").replace("*/", "*&#47;");
  }

  static String javaString(String value) {
    StringBuilder result = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> result.append("\\\"");
        case '\\' -> result.append("\\\\");
        case '\n' -> result.append("\\n");
        case '\r' -> result.append("\\r");
        case '\t' -> result.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            result.append(String.format("\\u%04x", (int) c));
          } else {
            result.append(c);
          }
        }
      }
    }
    return result.append('"').toString();
  }

  static String upperSnake(String text) {
    return text.replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT);
  }

  /** {@code HAIRSTYLE_EDITOR_PRO} or {@code hair_style} to {@code HairstyleEditorPro}, {@code HairStyle}. */
  static String upperCamel(String snake) {
    StringBuilder result = new StringBuilder();
    for (String part : snake.toLowerCase(Locale.ROOT).split("_+")) {
      if (!part.isEmpty()) result.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return result.toString();
  }

  /** {@code hair_style} to {@code hairStyle}; fails on a name that is no usable Java identifier. */
  static String lowerCamel(String snake) {
    String upper = upperCamel(snake);
    String name = Character.toLowerCase(upper.charAt(0)) + upper.substring(1);
    if (!name.matches("[a-z][A-Za-z0-9]*") || KEYWORDS.contains(name)) {
      throw new IllegalStateException("cannot name a Java method after " + snake);
    }
    return name;
  }

  /**
   * A readable constant for an allowed value: {@code BuzzCut} to {@code BUZZ_CUT}, {@code 16:9} to
   * {@code RATIO_16_9}, {@code -1} to {@code MINUS_1}, {@code 1K} to {@code VALUE_1K}.
   */
  static String valueConstant(String value) {
    if (value.matches("\\d+:\\d+")) return "RATIO_" + value.replace(':', '_');
    String words = value.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("^-", "MINUS_");
    String name = upperSnake(words).replaceAll("^_+|_+$", "");
    return Character.isLetter(name.charAt(0)) ? name : "VALUE_" + name;
  }
}
