package io.github.ailabkit.internal;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.AILabIOException;
import io.github.ailabkit.ErrorDetail;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Sink;

/**
 * One download of one file: its attempts, each bounded by what is left of the whole download's deadline, the
 * decision whether a failed attempt is tried again, and the SDK exception it ends with. Used by the blocking
 * loop of {@link FileDownloader} and by {@link AsyncDownload}, which differ only in how they wait.
 *
 * <p>Failures before the body (an error status, a refused connection) are retried by the retry layer, which
 * runs one attempt per call here (the request carries a {@link RetryLater.Attempt} tag) and hands its wait
 * back as {@link RetryLater}; a transfer that breaks off or stalls mid-body is started again here. Both count
 * against the same {@code maxRetries} and the same deadline. Messages name the host and path only.
 */
final class Transfer {
  private static final long READ_CHUNK = 64 * 1024;

  private final FileDownloader downloader;
  private final HttpUrl url;
  private final Path target;
  private final Path absolute;
  private final Instant deadline;
  private final Redactor safe;

  Transfer(FileDownloader downloader, HttpUrl url, Path target) {
    this.downloader = downloader;
    this.url = url;
    this.target = target;
    this.absolute = target.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      // Checked before fetching anything: moving the file into place would replace an empty directory.
      throw new IllegalArgumentException("target " + target + " is a directory; give the file's own path");
    }
    this.deadline = downloader.clock.instant().plus(downloader.timeout);
    this.safe = downloader.redactor.withQueryOf(url);
  }

  /** Time left before the deadline (zero or less once it passed). */
  Duration left() {
    return Duration.between(downloader.clock.instant(), deadline);
  }

  /**
   * The call for attempt {@code number}, bounded by the time left.
   *
   * @throws InterruptedIOException "timeout" when no time is left
   */
  Call newCall(int number) throws IOException {
    long leftMillis = left().toMillis();
    if (leftMillis <= 0) {
      throw new InterruptedIOException("timeout");
    }
    if (number == 1) {
      Files.createDirectories(absolute.getParent());
    }
    Request request = new Request.Builder()
        .url(url)
        .header("User-Agent", SdkVersion.userAgent())
        .get()
        .tag(CallOptions.class, CallOptions.DOWNLOAD)
        .tag(RetryLater.Attempt.class, new RetryLater.Attempt(number, deadline))
        .build();
    Call call = downloader.http.newCall(request);
    call.timeout().timeout(leftMillis, TimeUnit.MILLISECONDS);
    return call;
  }

  /**
   * Receives the answer of attempt {@code number}: streams a 200 into a temporary file and moves it over the
   * target; the temporary file is gone when this returns or throws.
   *
   * @return the target, as given
   * @throws AILabApiException for an error status
   * @throws AILabException when the file is larger than {@code maxDownloadSize}
   * @throws IOException when the transfer failed ({@link BrokenBody} if a new attempt may cure it)
   */
  Path receive(Call call, Response response, int number) throws IOException {
    if (response.code() != 200) {
      throw httpError(response, number);
    }
    ResponseBody body = response.body();
    long expected = body.contentLength();
    if (expected > downloader.maxBytes) {
      throw tooLarge("its Content-Length is " + expected + " bytes");
    }
    Path temporary = TemporaryFiles.createBeside(absolute);
    try {
      long received = copy(call, body.source(), temporary);
      if (expected >= 0 && received != expected) {
        throw new BrokenBody(new IOException("download of " + FileDownloader.describe(url) + " ended early: "
            + received + " of " + expected + " bytes"));
      }
      TemporaryFiles.flushToDisk(temporary);
      if (call.isCanceled()) {
        throw new InterruptedIOException("Canceled"); // stopped meanwhile: the target is left as it was
      }
      TemporaryFiles.moveIntoPlace(temporary, absolute);
      return target;
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * The wait before attempt {@code number + 1} after {@code failure} ended attempt {@code number}.
   *
   * @throws IOException the failure itself (or one naming the bound) when it is not retried
   */
  Duration retryWait(IOException failure, int number) throws IOException {
    if (failure instanceof RetryLater later) {
      return later.delay(); // the retry layer decided, within the same deadline
    }
    if (!(failure instanceof BrokenBody broken)) {
      throw failure;
    }
    if (number > downloader.maxRetries) {
      throw broken.getCause();
    }
    Duration wait = Backoff.CALLS.delay(number, null);
    if (wait.compareTo(left()) > 0) {
      throw new IOException(broken.getCause().getMessage() + "; not started again: the next attempt would pass "
          + boundText(), broken.getCause());
    }
    return wait;
  }

  /** The exception a download ends with: redacted, naming the bound when the time ran out. */
  RuntimeException failure(Throwable failure, boolean clientClosed) {
    String what = "Download of " + FileDownloader.describe(url) + " to " + target;
    if (failure instanceof RuntimeException runtime) {
      return SafeFailures.safe(runtime, safe);
    }
    IOException io = failure instanceof IOException e ? e : new IOException(failure);
    if (clientClosed) {
      return new AILabException("AILabClient was closed during the d" + what.substring(1) + "; nothing was kept",
          safe.safe(io));
    }
    if (isTimeout(io) || left().isNegative()) {
      return new AILabIOException(what + " did not finish within " + boundText() + "; nothing was kept",
          safe.safe(io));
    }
    return new AILabIOException(what + " failed: " + safe.describe(io), safe.safe(io));
  }

  /** The exception of a download whose deadline passed while it waited to retry. */
  RuntimeException timedOut() {
    return failure(new InterruptedIOException("timeout"), false);
  }

  private String boundText() {
    return "the client's downloadTimeout of " + downloader.timeout;
  }

  /** OkHttp's call timeout, or ours when no time was left for an attempt. */
  private static boolean isTimeout(IOException e) {
    return e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
        && "timeout".equals(e.getMessage());
  }

  /**
   * Copies the body to {@code file}, at most {@code maxDownloadSize} of it; a network failure that a new
   * attempt may cure becomes {@link BrokenBody}.
   */
  private long copy(Call call, BufferedSource source, Path file) throws IOException {
    Buffer buffer = new Buffer();
    long total = 0;
    try (Sink out = Okio.sink(file)) {
      while (true) {
        long read;
        try {
          read = source.read(buffer, READ_CHUNK);
        } catch (IOException e) {
          throw Retryability.isRestartableMidBody(e, call) ? new BrokenBody(e) : e;
        }
        if (read == -1) {
          return total;
        }
        total += read;
        if (total > downloader.maxBytes) {
          buffer.clear();
          throw tooLarge("the decoded file grew past it");
        }
        out.write(buffer, read);
      }
    }
  }

  /** The download would pass the client's {@code maxDownloadSize}: refused, and not restarted. */
  private AILabException tooLarge(String why) {
    return new AILabException("Download of " + FileDownloader.describe(url) + " refused: larger than the client's "
        + "maxDownloadSize of " + downloader.maxBytes + " bytes (" + why + "); nothing was kept");
  }

  private AILabApiException httpError(Response response, int number) throws IOException {
    int status = response.code();
    String text = new String(response.peekBody(2048).bytes(), StandardCharsets.UTF_8);
    // the query of the URL asked for and of the one a redirect led to: both may be signed
    String excerpt = safe.withQueryOf(response.request().url()).excerpt(text, 200);
    boolean retryable = Retryability.isRetryableStatus(status);
    // the retry layer would have retried it, but the next attempt could not start before the deadline
    String bound = retryable && number <= downloader.maxRetries
        ? " (not retried: the next attempt would pass " + boundText() + ")" : "";
    // Not ApiErrors: this is the storage host, so a 401/403 is an expired or bad signature, never the API key.
    return new AILabApiException("HTTP " + status + " downloading " + FileDownloader.describe(url) + ": " + excerpt
        + bound, status, ErrorDetail.NONE, "", "", retryable, null);
  }

  /** A failure while receiving the body, which a fresh attempt may cure. */
  static final class BrokenBody extends IOException {
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
