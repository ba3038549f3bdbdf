package io.github.ailabkit.internal;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.AILabIOException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * Streams result files to disk like every other call of the client: retried, bounded as a whole (all
 * attempts and waits) by the client's {@code downloadTimeout}, blocking on the caller's thread or
 * asynchronous with its waits on the client's timer, ended by {@code close()}. The file is written into a
 * temporary file beside the target and moved into place, so a half-written file never looks complete.
 * The API key is never sent (the client given has no key interceptor); messages name the host and path only,
 * since signed URLs carry credentials in the query.
 */
public final class FileDownloader {
  final OkHttpClient http;
  final int maxRetries;
  final Duration timeout;
  final Clock clock;
  final Sleeper sleeper;
  final Redactor redactor;
  final long maxBytes;
  final ClientTimer timer;

  /**
   * @param http a client without the API key interceptor, following redirects, with the retry layer
   * @param settings the client's settings: retries, {@code downloadTimeout}, {@code maxDownloadSize}, clock
   *     and sleeper
   * @param timer the client's timer: schedules asynchronous retries and deadlines, and ends downloads on close
   * @param redactor hides the API key (a file host may echo what the API origin saw)
   */
  public FileDownloader(OkHttpClient http, ApiTransport.Settings settings, ClientTimer timer, Redactor redactor) {
    this.http = http;
    this.maxRetries = settings.maxRetries();
    this.timeout = settings.downloadTimeout();
    this.clock = settings.clock();
    this.sleeper = settings.sleeper();
    this.redactor = redactor;
    this.maxBytes = settings.maxDownloadSize();
    this.timer = timer;
  }

  /**
   * Downloads {@code url} to {@code target} on the caller's thread, waiting between attempts on it too.
   *
   * @return {@code target}
   * @throws IllegalArgumentException if {@code target} is a directory (nothing is fetched)
   * @throws AILabApiException if the host answered with an error status
   * @throws AILabIOException if the transfer failed after the allowed attempts or the download timeout passed
   * @throws AILabException if the file is too large or the client was closed
   */
  public Path download(HttpUrl url, Path target) {
    Transfer transfer = new Transfer(this, url, target);
    AtomicReference<Call> current = new AtomicReference<>();
    Runnable onClose = () -> {
      Call call = current.get();
      if (call != null) {
        call.cancel();
      }
    };
    if (!timer.register(onClose)) {
      throw new IllegalStateException("AILabClient is closed");
    }
    try {
      for (int attempt = 1; ; attempt++) {
        if (timer.isClosed()) {
          throw new InterruptedIOException("Canceled");
        }
        Call call = transfer.newCall(attempt);
        current.set(call);
        Duration wait;
        try (Response response = call.execute()) {
          return transfer.receive(call, response, attempt);
        } catch (IOException e) {
          wait = transfer.retryWait(e, attempt);
        }
        sleep(wait);
      }
    } catch (IOException | RuntimeException e) {
      throw transfer.failure(e, timer.isClosed());
    } finally {
      timer.unregister(onClose);
    }
  }

  /**
   * Downloads {@code url} to {@code target} on OkHttp's dispatcher, the waits between attempts scheduled on
   * the client's timer. Cancelling the future, the download timeout and {@code close()} stop it; no partial
   * file is left.
   *
   * @throws IllegalArgumentException if {@code target} is a directory (nothing is fetched)
   */
  public CompletableFuture<Path> downloadAsync(HttpUrl url, Path target) {
    return new AsyncDownload(this, new Transfer(this, url, target)).start();
  }

  /** The URL without its query (which may hold a signature). */
  public static String describe(HttpUrl url) {
    return url.scheme() + "://" + url.host() + url.encodedPath();
  }

  private void sleep(Duration wait) throws InterruptedIOException {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      InterruptedIOException stop = new InterruptedIOException("Interrupted while waiting to retry a download");
      stop.initCause(interrupted);
      throw stop;
    }
  }
}
