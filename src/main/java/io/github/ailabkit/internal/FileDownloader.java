package io.github.ailabkit.internal;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.ErrorDetail;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Sink;

/**
 * Streams a result file to disk: into a temporary file beside the target, then moved into place, so a
 * half-written file never looks complete. A transfer that breaks off or stalls mid-body is started again
 * (the retry layer handles failures before the body, so those are not retried a second time here).
 * Messages name the host and path only, and error excerpts are scrubbed of the query: signed URLs carry
 * credentials in it.
 */
public final class FileDownloader {
  private static final long READ_CHUNK = 64 * 1024;
  /** Room for the target's name in the temporary one, in bytes: file systems cap a name at 255 bytes. */
  private static final int MAX_TEMP_PREFIX_BYTES = 100;

  private final OkHttpClient http;
  private final int maxRetries;
  private final Sleeper sleeper;
  private final Redactor redactor;
  private final long maxBytes;

  /**
   * @param http a client without the API key interceptor, following redirects, with the retry layer
   * @param maxRetries restarts allowed after a transfer breaks off mid-body
   * @param redactor hides the API key (a file host may echo what the API origin saw)
   * @param maxBytes the largest file accepted, counted on the decoded bytes written to disk
   */
  public FileDownloader(OkHttpClient http, int maxRetries, Sleeper sleeper, Redactor redactor, long maxBytes) {
    this.http = http;
    this.maxRetries = maxRetries;
    this.sleeper = sleeper;
    this.redactor = redactor;
    this.maxBytes = maxBytes;
  }

  /**
   * Downloads {@code url} to {@code target}.
   *
   * @throws IllegalArgumentException if {@code target} is a directory (nothing is fetched)
   * @throws AILabApiException if the host answered with an error status
   * @throws IOException if the transfer failed after the allowed restarts
   */
  public Path download(HttpUrl url, Path target, Request.Builder request) throws IOException {
    Path absolute = target.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      // Checked before fetching anything: moving the file into place would replace an empty directory.
      throw new IllegalArgumentException("target " + target + " is a directory; give the file's own path");
    }
    Path directory = absolute.getParent();
    Files.createDirectories(directory);
    Request get = request.url(url).get().tag(CallOptions.class, CallOptions.DOWNLOAD).build();
    for (int attempt = 1; ; attempt++) {
      try {
        return downloadOnce(url, absolute, get);
      } catch (BrokenBody e) {
        if (attempt > maxRetries) {
          throw e.getCause();
        }
        try {
          sleeper.sleep(Backoff.delay(attempt));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          InterruptedIOException stop = new InterruptedIOException("Interrupted while waiting to retry a download");
          stop.initCause(interrupted);
          throw stop;
        }
      }
    }
  }

  private Path downloadOnce(HttpUrl url, Path target, Request request) throws IOException {
    Call call = http.newCall(request);
    // Failures before the response arrived were already retried by the retry layer: not again here.
    try (Response response = call.execute()) {
      ResponseBody body = response.body();
      if (response.code() != 200) {
        throw httpError(url, response);
      }
      if (body.contentLength() > maxBytes) {
        throw tooLarge(url, "its Content-Length is " + body.contentLength() + " bytes");
      }
      Path temporary = createTemporary(target);
      try {
        long received = copy(call, body.source(), temporary, url);
        long expected = body.contentLength();
        if (expected >= 0 && received != expected) {
          throw new BrokenBody(new IOException("download of " + describe(url) + " ended early: " + received
              + " of " + expected + " bytes"));
        }
        flushToDisk(temporary);
        move(temporary, target);
        return target;
      } finally {
        Files.deleteIfExists(temporary);
      }
    }
  }

  /**
   * Copies the body to {@code file}, at most {@code maxBytes} of it; a network failure that a new attempt may
   * cure becomes {@link BrokenBody}.
   */
  private long copy(Call call, BufferedSource source, Path file, HttpUrl url) throws IOException {
    Buffer buffer = new Buffer();
    long total = 0;
    try (Sink out = Okio.sink(file)) {
      while (true) {
        long read;
        try {
          read = source.read(buffer, READ_CHUNK);
        } catch (IOException e) {
          boolean stopped = call.isCanceled() || Thread.currentThread().isInterrupted()
              || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException));
          throw stopped ? e : new BrokenBody(e);
        }
        if (read == -1) {
          return total;
        }
        total += read;
        if (total > maxBytes) {
          buffer.clear();
          throw tooLarge(url, "the decoded file grew past it");
        }
        out.write(buffer, read);
      }
    }
  }

  /** The download would pass the client's {@code maxDownloadSize}: refused, and not restarted. */
  private AILabException tooLarge(HttpUrl url, String why) {
    return new AILabException("Download of " + describe(url) + " refused: larger than the client's maxDownloadSize of "
        + maxBytes + " bytes (" + why + "); nothing was kept");
  }

  private AILabApiException httpError(HttpUrl url, Response response) throws IOException {
    int status = response.code();
    String text = new String(response.peekBody(2048).bytes(), StandardCharsets.UTF_8);
    // the query of the URL asked for and of the one a redirect led to: both may be signed
    String excerpt = redactor.withQueryOf(url).withQueryOf(response.request().url()).excerpt(text, 200);
    // Not ApiErrors: this is the storage host, so a 401/403 is an expired or bad signature, never the API key.
    return new AILabApiException("HTTP " + status + " downloading " + describe(url) + ": " + excerpt, status,
        ErrorDetail.NONE, "", "", Retryability.isRetryableStatus(status), null);
  }

  /**
   * A new empty file beside {@code target}, with the permissions any new file gets (unlike
   * {@code Files.createTempFile}, whose owner-only permissions would carry over to the result).
   */
  private static Path createTemporary(Path target) throws IOException {
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

  /** Puts the bytes on disk before the move, so a crash cannot leave a complete-looking empty target. */
  private static void flushToDisk(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The URL without its query (which may hold a signature). */
  public static String describe(HttpUrl url) {
    return url.scheme() + "://" + url.host() + url.encodedPath();
  }

  /** A failure while receiving the body, which a fresh attempt may cure. */
  private static final class BrokenBody extends IOException {
    private static final long serialVersionUID = 1L;

    BrokenBody(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }
}
