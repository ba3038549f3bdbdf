package io.github.ailabkit.internal;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** Builds the OkHttp clients the SDK uses, all sharing one connection pool and dispatcher. */
public final class HttpClients {
  /** Concurrent calls per host the SDK's own dispatcher allows (OkHttp's default of 5 is too low). */
  static final int MAX_REQUESTS_PER_HOST = 16;
  /**
   * Threads that run asynchronous calls (polls, async submits) of an SDK-owned client. A fixed pool:
   * OkHttp's default cached pool starts a new thread whenever a call is handed over a moment before the
   * previous thread is idle again, so under steady polling it grows past the number of calls in flight.
   */
  public static final int ASYNC_THREADS = 8;

  private HttpClients() {
  }

  /**
   * A new client owned by the SDK: daemon dispatcher threads (so an application that forgets
   * {@code close()} can still exit), its own connection pool.
   */
  public static OkHttpClient newOwnedClient() {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(ASYNC_THREADS, ASYNC_THREADS, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), DaemonThreads.factory("ailab-http"));
    executor.allowCoreThreadTimeOut(true);
    Dispatcher dispatcher = new Dispatcher(executor);
    dispatcher.setMaxRequestsPerHost(MAX_REQUESTS_PER_HOST);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        // Keep as many idle connections as calls may run at once; OkHttp's default of 5 would close and
        // reopen connections (a TLS handshake each) under steady polling.
        .connectionPool(new ConnectionPool(MAX_REQUESTS_PER_HOST, 5, TimeUnit.MINUTES))
        // OkHttp 5's happy-eyeballs racing runs each connect on a pool thread that then idles for a
        // minute; connections here are few and long-lived, so connect routes one after the other instead.
        .fastFallback(false)
        .build();
  }

  /** Applies the SDK's timeouts to a derived builder. */
  public static OkHttpClient.Builder withTimeouts(OkHttpClient base, Duration connect, Duration read,
      Duration write, Duration call) {
    return base.newBuilder()
        .connectTimeout(connect)
        .readTimeout(read)
        .writeTimeout(write)
        .callTimeout(call);
  }

  /** Releases what an owned client holds: cancels calls, stops dispatcher threads, closes idle connections. */
  public static void shutdown(OkHttpClient client) {
    client.dispatcher().cancelAll();
    // Interrupts threads waiting to retry; calls still queued for a thread are run here instead, so
    // (already cancelled) they fail at once and complete their callbacks rather than being dropped.
    for (Runnable queued : client.dispatcher().executorService().shutdownNow()) {
      queued.run();
    }
    client.connectionPool().evictAll();
  }
}
