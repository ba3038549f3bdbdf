package io.github.ailabkit.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The SDK's single retry layer. Retries I/O failures, 408, 429 and 5xx up to {@code maxRetries} times,
 * waiting per {@link Backoff#CALLS} (which reads {@code Retry-After}), as {@link Retryability} decides, and never past the call's total deadline. A blocking
 * call waits on its caller's thread; an asynchronous one (tagged {@link RetryLater.Attempt}) runs one attempt
 * and hands the wait back as {@link RetryLater}, so no HTTP thread ever sleeps.
 *
 * <p>A request that is not idempotent (a submit) is retried only when the connection was never made,
 * so a task is never created twice. Every failed response is closed before the next attempt.
 */
public final class RetryInterceptor implements Interceptor {
  /**
   * Immediate repeats of a read that met a stale pooled connection, one per connection the pool may hold
   * (each failed one is dropped from the pool) and one more.
   */
  static final int MAX_STALE_RETRIES = HttpClients.MAX_REQUESTS_PER_HOST + 1;

  /** Decoded bodies larger than this are refused (and not retried); see {@link ParsedBody}. */
  public static final long MAX_BUFFERED_BODY = 16L * 1024 * 1024;

  private final int maxRetries;
  private final Duration callTimeout;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ExchangeLogger logger;
  /** Threads waiting to retry, by call, so a cancel can wake them. */
  private final Map<Call, Thread> waiting = new ConcurrentHashMap<>();

  /**
   * @param maxRetries retries after the first attempt, unless a request's {@link CallOptions} say otherwise
   * @param callTimeout total time for all attempts and waits; zero for none
   */
  public RetryInterceptor(int maxRetries, Duration callTimeout, Clock clock, Sleeper sleeper, ExchangeLogger logger) {
    this.maxRetries = maxRetries;
    this.callTimeout = callTimeout;
    this.clock = clock;
    this.sleeper = sleeper;
    this.logger = logger;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    CallOptions options = request.tag(CallOptions.class);
    if (options == null) {
      options = CallOptions.READ;
    }
    int allowedRetries = options.maxRetries() >= 0 ? options.maxRetries() : maxRetries;
    // An asynchronous call runs one attempt per OkHttp call and waits on the client's timer between them.
    RetryLater.Attempt async = request.tag(RetryLater.Attempt.class);
    Instant deadline = async != null ? async.deadline()
        : callTimeout.isZero() ? Instant.MAX : clock.instant().plus(callTimeout);

    int staleRetries = 0;
    for (int attempt = async != null ? async.number() : 1; ; attempt++) {
      long started = System.nanoTime();
      Response response = null;
      IOException failure = null;
      try {
        response = chain.proceed(request);
        if (options.bufferBody()) {
          response = ParsedBody.parse(response); // parsed once, as it streams in, here and for the reader
        }
      } catch (IOException e) {
        if (StaleConnections.isStale(e) && options.idempotent() && staleRetries++ < MAX_STALE_RETRIES
            && !chain.call().isCanceled()) {
          logger.retryingStale(request, StaleConnections.unwrap(e));
          attempt--; // not a retry: the request reached nobody
          continue;
        }
        failure = StaleConnections.unwrap(e);
        if (response != null) {
          response.close();
          response = null;
        }
      }
      long elapsed = System.nanoTime() - started;
      if (failure != null) {
        logger.failure(request, failure, elapsed, attempt);
      } else {
        logger.response(request, response, elapsed, attempt);
      }

      Duration wait = attempt > allowedRetries || chain.call().isCanceled() ? null
          : failure != null ? waitAfterFailure(options, failure, attempt)
          : waitAfterResponse(options, response, attempt);
      if (wait == null || clock.instant().plus(wait).isAfter(deadline)) {
        if (failure != null) {
          throw failure;
        }
        return response;
      }
      if (response != null) {
        response.close();
      }
      logger.retrying(request, attempt, wait, RetryReasons.of(failure, response));
      if (async != null) {
        throw new RetryLater(wait); // the timer waits, not this HTTP thread
      }
      sleep(chain.call(), wait);
    }
  }

  /**
   * Ends a retry wait of a call that was cancelled, so its thread is free at once instead of
   * sleeping out the wait (up to the {@code Retry-After} cap).
   */
  public void wake(Call call) {
    waiting.computeIfPresent(call, (c, thread) -> {
      thread.interrupt();
      return thread;
    });
  }

  /** The wait before repeating an attempt that failed, or null when it must not be repeated. */
  private static Duration waitAfterFailure(CallOptions options, IOException failure, int attempt) {
    return Retryability.isRetryableFailure(failure, options.idempotent()) ? Backoff.CALLS.delay(attempt, null) : null;
  }

  /** The wait before repeating an attempt that got {@code response}, or null when it is final. */
  private Duration waitAfterResponse(CallOptions options, Response response, int attempt) {
    if (!options.idempotent() || !Retryability.isRetryableAnswer(response)) {
      return null;
    }
    return Backoff.CALLS.delay(attempt, RetryAfter.parse(RetryAfter.header(response), clock));
  }

  private void sleep(Call call, Duration wait) throws InterruptedIOException {
    waiting.put(call, Thread.currentThread());
    try {
      if (!call.isCanceled()) {
        sleeper.sleep(wait);
      }
    } catch (InterruptedException e) {
      if (!call.isCanceled()) {
        Thread.currentThread().interrupt(); // not our wake-up: keep the caller's interrupt
      }
      InterruptedIOException interrupted = new InterruptedIOException(
          call.isCanceled() ? "Canceled while waiting to retry" : "Interrupted while waiting to retry");
      interrupted.initCause(e);
      throw interrupted;
    } finally {
      waiting.remove(call);
      if (call.isCanceled()) {
        Thread.interrupted(); // a wake-up that arrived as the wait ended must not leak into the next task
      }
    }
    if (call.isCanceled()) {
      throw new InterruptedIOException("Canceled while waiting to retry");
    }
  }
}
