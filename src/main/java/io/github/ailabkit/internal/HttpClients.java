package io.github.ailabkit.internal;

import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** Builds the OkHttp clients the SDK uses, all sharing one connection pool and dispatcher. */
public final class HttpClients {
  /** Concurrent calls per host the SDK's own dispatcher allows (OkHttp's default of 5 is too low). */
  static final int MAX_REQUESTS_PER_HOST = 16;

  private HttpClients() {
  }

  /**
   * A new client owned by the SDK: daemon dispatcher threads (so an application that forgets
   * {@code close()} can still exit), its own connection pool.
   */
  public static OkHttpClient newOwnedClient() {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), DaemonThreads.factory("ailab-http"));
    Dispatcher dispatcher = new Dispatcher(executor);
    dispatcher.setMaxRequestsPerHost(MAX_REQUESTS_PER_HOST);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool())
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
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
