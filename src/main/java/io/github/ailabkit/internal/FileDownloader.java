package io.github.ailabkit.internal;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.ErrorDetail;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;
import okio.Okio;

/**
 * Streams a result file to disk: into a temporary file beside the target, then moved into place, so a
 * half-written file never looks complete. A transfer that breaks off mid-body is started again (the
 * retry layer handles failures before the body). Messages name the host and path only: signed URLs
 * carry credentials in their query.
 */
public final class FileDownloader {
  private final OkHttpClient http;
  private final int maxRetries;
  private final Sleeper sleeper;

  /**
   * @param http a client without the API key interceptor, following redirects, with the retry layer
   * @param maxRetries restarts allowed after a transfer breaks off mid-body
   */
  public FileDownloader(OkHttpClient http, int maxRetries, Sleeper sleeper) {
    this.http = http;
    this.maxRetries = maxRetries;
    this.sleeper = sleeper;
  }

  /**
   * Downloads {@code url} to {@code target}.
   *
   * @throws AILabApiException if the host answered with an error status
   * @throws IOException if the transfer failed after the allowed restarts
   */
  public Path download(HttpUrl url, Path target, Request.Builder request) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    Files.createDirectories(directory);
    for (int attempt = 1; ; attempt++) {
      try {
        return downloadOnce(url, absolute, request.url(url).get().tag(CallOptions.class, CallOptions.DOWNLOAD).build());
      } catch (AILabApiException | InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        if (attempt > maxRetries) {
          throw e;
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
    try (Response response = http.newCall(request).execute()) {
      ResponseBody body = response.body();
      if (response.code() != 200) {
        String excerpt = new Redactor(null).excerpt(new String(response.peekBody(200).bytes(),
            StandardCharsets.UTF_8), 200);
        throw ApiErrors.create("HTTP " + response.code() + " downloading " + describe(url) + ": " + excerpt,
            response.code(), response.code(), ErrorDetail.NONE, "", "", null, true);
      }
      Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
      try {
        try (BufferedSink sink = Okio.buffer(Okio.sink(temporary))) {
          sink.writeAll(body.source());
        }
        long expected = body.contentLength();
        if (expected >= 0 && Files.size(temporary) != expected) {
          throw new IOException("download of " + describe(url) + " ended early: " + Files.size(temporary)
              + " of " + expected + " bytes");
        }
        move(temporary, target);
        return target;
      } finally {
        Files.deleteIfExists(temporary);
      }
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
}
