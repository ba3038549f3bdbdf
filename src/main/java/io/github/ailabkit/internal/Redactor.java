package io.github.ailabkit.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The one redaction at the SDK's boundary: removes the API key, and for downloads the values of a signed
 * result URL's query, from every text the SDK hands out (exception messages, kept causes, listener
 * arguments, log lines), drops control characters and cuts excerpts short.
 *
 * <p>A failure whose text (message, causes, suppressed exceptions) carries a secret is never handed out as
 * it is: {@link #safe(IOException)} returns a copy of its chain with every text redacted and the stack
 * traces kept. Immutable and thread-safe.
 */
public final class Redactor {
  /** What replaces a secret. */
  public static final String MASK = "[redacted]";
  /** Query values shorter than this are not treated as secrets (they would mask ordinary words). */
  private static final int MIN_QUERY_SECRET = 4;

  /** The secrets, longest first, so a secret containing another is masked whole. */
  private final List<String> secrets;

  /** A redactor for one secret (may be null: nothing to hide). */
  public Redactor(String secret) {
    this(secret == null || secret.isEmpty() ? List.of() : variants(secret));
  }

  private Redactor(List<String> secrets) {
    List<String> sorted = new ArrayList<>(secrets);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = Collections.unmodifiableList(sorted);
  }

  /**
   * This redactor, also hiding the query of {@code url} and each of its values, encoded or decoded: a
   * signed result URL carries its credentials there.
   */
  public Redactor withQueryOf(HttpUrl url) {
    String encoded = url.encodedQuery();
    if (encoded == null || encoded.isEmpty()) {
      return this;
    }
    List<String> more = new ArrayList<>(secrets);
    more.add(encoded);
    more.add(url.query());
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      more.add(eq >= 0 ? pair.substring(eq + 1) : pair);
    }
    for (int i = 0; i < url.querySize(); i++) {
      more.add(url.queryParameterValue(i));
    }
    more.removeIf(s -> s == null || s.length() < MIN_QUERY_SECRET);
    return new Redactor(more.stream().distinct().toList());
  }

  /** The redactor for texts about {@code request}: with its query hidden when it fetches a result file. */
  public Redactor forRequest(Request request) {
    return request.tag(CallOptions.class) == CallOptions.DOWNLOAD ? withQueryOf(request.url()) : this;
  }

  /** {@code text} with every secret replaced by {@link #MASK}, otherwise unchanged. */
  public String scrub(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, MASK);
    }
    return out;
  }

  /** Whether {@code text} shows a secret. */
  public boolean reveals(String text) {
    if (text == null) {
      return false;
    }
    for (String secret : secrets) {
      if (text.contains(secret)) {
        return true;
      }
    }
    return false;
  }

  /** {@code text} without secrets, control characters collapsed to spaces, at most {@code max} chars. */
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

  /** {@code failure.toString()} without secrets: the text to put in a message that describes it. */
  public String describe(Throwable failure) {
    return scrub(String.valueOf(failure));
  }

  /**
   * {@code failure} itself when no text in its chain shows a secret, else a {@link RedactedIOException}
   * copy of the chain: each link's type and message redacted, stack traces kept.
   */
  public IOException safe(IOException failure) {
    return failure == null || !revealsAnywhere(failure) ? failure : copy(failure, newIdentitySet());
  }

  /** {@code failure} itself when clean, else a redacted copy of it as a {@link RedactedIOException}. */
  public Throwable safeCause(Throwable failure) {
    return failure == null || !revealsAnywhere(failure) ? failure : copy(failure, newIdentitySet());
  }

  /** Whether the message of {@code failure} or of any cause or suppressed exception shows a secret. */
  public boolean revealsAnywhere(Throwable failure) {
    return reveals(failure, newIdentitySet());
  }

  private boolean reveals(Throwable failure, Set<Throwable> seen) {
    if (failure == null || !seen.add(failure)) {
      return false;
    }
    if (reveals(failure.toString()) || reveals(failure.getMessage())) {
      return true;
    }
    for (Throwable suppressed : failure.getSuppressed()) {
      if (reveals(suppressed, seen)) {
        return true;
      }
    }
    return reveals(failure.getCause(), seen);
  }

  private RedactedIOException copy(Throwable failure, Set<Throwable> seen) {
    seen.add(failure);
    Throwable cause = failure.getCause();
    RedactedIOException copy = new RedactedIOException(describe(failure),
        cause == null || seen.contains(cause) ? null : copy(cause, seen));
    copy.setStackTrace(failure.getStackTrace());
    for (Throwable suppressed : failure.getSuppressed()) {
      if (!seen.contains(suppressed)) {
        copy.addSuppressed(copy(suppressed, seen));
      }
    }
    return copy;
  }

  private static Set<Throwable> newIdentitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }

  /** The key as sent, and as a JSON encoder may have written it (PHP's json_encode escapes '/' as '\/'). */
  private static List<String> variants(String secret) {
    return secret.indexOf('/') < 0 ? List.of(secret) : List.of(secret, secret.replace("/", "\\/"));
  }
}
