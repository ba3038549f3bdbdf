package io.github.ailabkit.internal;

/**
 * Makes text safe to show: removes the API key wherever it appears, drops control characters and
 * cuts it to a short excerpt. Used for every body excerpt that reaches a log line or an exception.
 */
public final class Redactor {
  /** What replaces the key. */
  public static final String MASK = "[redacted]";

  private final String secret;

  /** A redactor for one secret (may be null: nothing to hide). */
  public Redactor(String secret) {
    this.secret = secret == null || secret.isEmpty() ? null : secret;
  }

  /** {@code text} with every occurrence of the secret replaced by {@link #MASK}, otherwise unchanged. */
  public String scrub(String text) {
    if (text == null || secret == null) {
      return text;
    }
    String scrubbed = text.replace(secret, MASK);
    // also as a JSON encoder may have written it (PHP's json_encode escapes '/' as '\/')
    return secret.indexOf('/') < 0 ? scrubbed : scrubbed.replace(secret.replace("/", "\\/"), MASK);
  }

  /** {@code text} without the secret, control characters collapsed to spaces, at most {@code max} chars. */
  public String excerpt(String text, int max) {
    if (text == null) {
      return "";
    }
    String safe = scrub(text);
    StringBuilder out = new StringBuilder(Math.min(safe.length(), max + 3));
    boolean lastWasSpace = false;
    for (int i = 0; i < safe.length() && out.length() < max; i++) {
      char c = safe.charAt(i);
      boolean space = Character.isWhitespace(c) || Character.isISOControl(c);
      if (space && !lastWasSpace) {
        out.append(' ');
      } else if (!space) {
        out.append(c);
      }
      lastWasSpace = space;
    }
    if (out.length() < safe.length() && out.length() >= max) {
      out.append("...");
    }
    return out.toString().trim();
  }
}
