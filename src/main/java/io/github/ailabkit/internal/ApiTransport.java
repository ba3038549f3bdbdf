package io.github.ailabkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.AILabIOException;
import io.github.ailabkit.LocalInputException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends the SDK's requests over OkHttp and turns the answers into values or the SDK's exceptions.
 *
 * <p>Three OkHttp clients share one dispatcher: API calls (key interceptor, no redirects, our retry layer
 * only), submits (the same, but with a pool that keeps no idle connection: a one-shot body cannot be
 * re-sent if the server had closed a reused one), and file downloads (no key, redirects followed). The
 * client's {@link ClientTimer timer} bounds asynchronous calls from the moment they are enqueued.
 */
public final class ApiTransport {
  /**
   * How to connect; the API key is passed apart so that no {@code toString()} can show it.
   *
   * @param sharedHttp the application's OkHttp client, or null to create and own one
   * @param downloadTimeout the bound of a whole download, all attempts and waits included
   * @param events the client's guarded event listener
   */
  public record Settings(HttpUrl baseUrl, OkHttpClient sharedHttp, Duration connectTimeout, Duration readTimeout,
      Duration writeTimeout, Duration callTimeout, int maxRetries, long maxDownloadSize, Duration downloadTimeout,
      Clock clock, Sleeper sleeper, SafeEventListener events) {
  }

  private static final Headers SDK_HEADERS =
      Headers.of("User-Agent", SdkVersion.userAgent(), "Accept", "application/json");

  private final Settings settings;
  private final OkHttpClient http;
  private final OkHttpClient submitHttp;
  private final boolean ownsHttp;
  private final RetryInterceptor retryLayer;
  private final ResponseReader reader;
  private final FileDownloader downloader;
  private final ClientTimer timer;
  private final Redactor redactor;
  private volatile boolean closed;

  /**
   * A transport for {@code settings}, sending {@code apiKey} to the base URL's origin only and timing
   * asynchronous calls on the client's {@code timer}.
   */
  public ApiTransport(Settings settings, String apiKey, ClientTimer timer) {
    this.settings = settings;
    this.timer = timer;
    this.redactor = new Redactor(apiKey);
    this.reader = new ResponseReader(redactor, settings.clock());
    this.ownsHttp = settings.sharedHttp() == null;
    OkHttpClient base = ownsHttp ? HttpClients.newOwnedClient() : settings.sharedHttp();
    this.retryLayer = retryLayer(redactor,
        ExchangeEvents.forApi(settings.events(), settings.baseUrl().encodedPath()));
    this.http = HttpClients.withTimeouts(base, settings.connectTimeout(), settings.readTimeout(),
            settings.writeTimeout(), settings.callTimeout())
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false) // one retry layer: ours, which knows what may be repeated
        .addInterceptor(retryLayer)
        .addNetworkInterceptor(new StaleConnections())
        .addNetworkInterceptor(new ApiKeyInterceptor(settings.baseUrl(), apiKey))
        .build();
    this.submitHttp = http.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
    OkHttpClient fileHttp = HttpClients.withTimeouts(base, settings.connectTimeout(), settings.readTimeout(),
            settings.writeTimeout(), settings.downloadTimeout()) // each call is bounded by what is left of its download
        .followRedirects(true)
        .followSslRedirects(true)
        .retryOnConnectionFailure(false)
        .addInterceptor(retryLayer(redactor, ExchangeEvents.forDownloads(settings.events())))
        .addNetworkInterceptor(new StaleConnections())
        .addNetworkInterceptor(chain -> RetryAfter.shield(chain.proceed(chain.request())))
        .build();
    this.downloader = new FileDownloader(fileHttp, settings, timer, redactor);
  }

  /** A request for an API path relative to the base URL, with the SDK's headers and {@code options}. */
  public Request.Builder request(HttpUrl url, CallOptions options) {
    return new Request.Builder()
        .url(url)
        .headers(SDK_HEADERS) // prepared once: two header() calls each search and copy the list
        .tag(CallOptions.class, options);
  }

  /**
   * Sends a request and parses its successful answer.
   *
   * @throws io.github.ailabkit.AILabApiException for an error answer
   * @throws AILabIOException when the API could not be reached
   */
  public <T> T send(Request request, Function<JsonNode, T> parser) {
    Call call = newCall(request);
    try {
      return parser.apply(reader.read(call.execute()));
    } catch (IOException e) {
      throw ioFailure(request, e);
    } catch (RuntimeException e) {
      throw SafeFailures.safe(e, redactor);
    }
  }

  /**
   * Sends a request on OkHttp's dispatcher. {@code timeout}, if not null, replaces the call timeout for
   * this call; it counts from now, including time spent queued for a dispatcher thread. When the
   * deadline or the caller ends the future first ({@code cancel}, {@code orTimeout}, {@code complete}),
   * the call is stopped: a request still queued is then never sent.
   *
   * <p>Each attempt is its own OkHttp call. The wait before a retry is scheduled on the client's timer, never
   * slept on an HTTP thread, so a burst of throttled calls cannot stall other calls; cancelling the future,
   * its deadline or {@link #close()} ends a scheduled retry.
   */
  public <T> CompletableFuture<T> sendAsync(Request request, Function<JsonNode, T> parser, Duration timeout) {
    ensureOpen();
    Duration total = timeout != null ? timeout : settings.callTimeout();
    Instant deadline = total.isZero() ? Instant.MAX : settings.clock().instant().plus(total);
    CompletableFuture<T> future = new CompletableFuture<>();
    AsyncAttempts<T> attempts = new AsyncAttempts<>(request, parser, future, deadline, timeout != null);
    ScheduledFuture<?> deadlineTask = total.isZero() ? null : timer.schedule(() -> {
      if (attempts.claimed.compareAndSet(false, true)) {
        timer.runOffTimer(() -> future.completeExceptionally(
            ioFailure(request, new InterruptedIOException("timeout: no answer within " + total))));
      }
    }, total);
    if (!total.isZero() && deadlineTask == null) { // closed between ensureOpen() and here: never run unbounded
      future.completeExceptionally(new AILabException("AILabClient was closed during " + request.method() + " "
          + request.url().encodedPath()));
      return future;
    }
    future.whenComplete((value, failure) -> {
      if (deadlineTask != null) {
        deadlineTask.cancel(false);
      }
      attempts.stop(); // ended by an answer, the deadline or the caller: nobody awaits another attempt
    });
    attempts.start(1);
    return future;
  }

  /** The timeout a single call gets by default (zero: none). */
  public Duration callTimeout() {
    return settings.callTimeout();
  }

  /**
   * Downloads a result file without the API key, on the caller's thread, within the download timeout.
   *
   * @throws AILabIOException if it could not be fetched or written in time
   */
  public Path download(HttpUrl url, Path target) {
    ensureOpen();
    return downloader.download(url, target);
  }

  /** Same as {@link #download(HttpUrl, Path)} without blocking; its waits are scheduled on the client's timer. */
  public CompletableFuture<Path> downloadAsync(HttpUrl url, Path target) {
    ensureOpen();
    return downloader.downloadAsync(url, target);
  }

  /** Stops new calls; if the OkHttp client is the SDK's own, cancels calls and stops its threads. */
  public void close() {
    closed = true;
    if (ownsHttp) {
      HttpClients.shutdown(http);
    }
  }

  private RetryInterceptor retryLayer(Redactor redactor, ExchangeEvents events) {
    return new RetryInterceptor(settings.maxRetries(), settings.callTimeout(), settings.clock(), settings.sleeper(),
        new ExchangeLogger(redactor, events));
  }

  private Call newCall(Request request) {
    ensureOpen();
    OkHttpClient client = request.tag(CallOptions.class) == CallOptions.SUBMIT ? submitHttp : http;
    return client.newCall(request);
  }

  private AILabException ioFailure(Request request, IOException e) {
    Redactor safe = redactor.forRequest(request);
    String what = request.method() + " " + safe.scrub(request.url().encodedPath());
    if (e instanceof LocalInputFailure local) {
      return new LocalInputException(what + " was not sent: " + safe.scrub(local.getMessage()), local);
    }
    if (closed) {
      return new AILabException("AILabClient was closed during " + what, safe.safe(e));
    }
    return new AILabIOException(what + " failed: " + safe.describe(e), safe.safe(e));
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("AILabClient is closed");
    }
  }

  /**
   * The attempts of one asynchronous call: one OkHttp call at a time, the waits between them on the timer.
   * OkHttp's outcome and the deadline race to settle the future: the first to claim it decides, so an
   * answer already being read is never dropped for the deadline, nor a passed deadline for a late answer.
   */
  private final class AsyncAttempts<T> {
    final AtomicBoolean claimed = new AtomicBoolean();
    private final Request request;
    private final Function<JsonNode, T> parser;
    private final CompletableFuture<T> future;
    private final Instant deadline;
    private final boolean boundEachCall;
    private final AtomicReference<Call> current = new AtomicReference<>();
    private final AtomicReference<ScheduledFuture<?>> scheduled = new AtomicReference<>();
    private final Runnable onClose = this::closedWhileWaiting;

    AsyncAttempts(Request request, Function<JsonNode, T> parser, CompletableFuture<T> future, Instant deadline,
        boolean boundEachCall) {
      this.request = request;
      this.parser = parser;
      this.future = future;
      this.deadline = deadline;
      this.boundEachCall = boundEachCall;
    }

    /** Whether the call's outcome is decided: its future is done, or the deadline has claimed it. */
    private boolean ended() {
      return claimed.get() || future.isDone();
    }

    void start(int attempt) {
      if (ended()) { // a deadline that claimed the call completes its future later, off the timer
        return;
      }
      Call call;
      try {
        call = newCall(request.newBuilder().tag(RetryLater.Attempt.class, new RetryLater.Attempt(attempt, deadline))
            .build());
      } catch (IllegalStateException closedMeanwhile) {
        closedWhileWaiting();
        return;
      }
      if (boundEachCall && !deadline.equals(Instant.MAX)) {
        long left = Duration.between(settings.clock().instant(), deadline).toMillis();
        call.timeout().timeout(Math.max(1, left), TimeUnit.MILLISECONDS);
      }
      current.set(call);
      if (ended()) { // ended while the call was made: it is never sent
        call.cancel();
        return;
      }
      call.enqueue(new Callback() {
        @Override
        public void onResponse(Call c, Response response) {
          if (!claimed.compareAndSet(false, true)) {
            response.close(); // the deadline passed first
            return;
          }
          try {
            future.complete(parser.apply(reader.read(response)));
          } catch (IOException e) {
            future.completeExceptionally(ioFailure(c.request(), e));
          } catch (RuntimeException e) {
            future.completeExceptionally(SafeFailures.safe(e, redactor));
          }
        }

        @Override
        public void onFailure(Call c, IOException e) {
          if (e instanceof RetryLater later) {
            retryAfter(attempt + 1, later.delay());
          } else if (claimed.compareAndSet(false, true)) {
            future.completeExceptionally(ioFailure(c.request(), e));
          }
        }
      });
    }

    /** Schedules the next attempt on the timer; a close before it runs ends the call. */
    private void retryAfter(int next, Duration delay) {
      if (ended()) {
        return;
      }
      if (!timer.register(onClose)) {
        closedWhileWaiting();
        return;
      }
      ScheduledFuture<?> task = settings.sleeper().schedule(timer, () -> {
        timer.unregister(onClose);
        start(next);
      }, delay);
      if (task == null) {
        closedWhileWaiting();
        return;
      }
      scheduled.set(task);
      if (ended()) {
        task.cancel(false);
        timer.unregister(onClose);
      }
    }

    /** The future was settled: stops the call in flight and any scheduled retry. */
    void stop() {
      ScheduledFuture<?> task = scheduled.get();
      if (task != null) {
        task.cancel(false);
      }
      timer.unregister(onClose);
      Call call = current.get();
      if (call != null) {
        call.cancel(); // harmless for a call that already answered
        retryLayer.wake(call);
      }
    }

    private void closedWhileWaiting() {
      if (claimed.compareAndSet(false, true)) {
        timer.runOffTimer(() -> future.completeExceptionally(new AILabException("AILabClient was closed during "
            + request.method() + " " + request.url().encodedPath() + " (waiting to retry)")));
      }
    }
  }
}
