package io.github.ailabkit.testing;

import mockwebserver3.MockWebServer;
import mockwebserver3.QueueDispatcher;
import java.util.concurrent.Executors;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** Set-up and tear-down shared by tests that talk to MockWebServer through their own clients. */
public final class TestServers {
  private TestServers() {}

  /** An unexpected request gets a 404 at once instead of waiting for a response that never comes. */
  public static void failFast(MockWebServer... servers) {
    for (MockWebServer server : servers) {
      ((QueueDispatcher) server.getDispatcher()).setFailFast(true);
    }
  }

  /**
   * An OkHttpClient that runs one call at a time on one thread: an asynchronous call waits for the
   * thread while another runs, the way calls queue when a dispatcher is busy.
   */
  public static OkHttpClient oneThreadHttp() {
    Dispatcher dispatcher = new Dispatcher(Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "test-one-thread-http");
      thread.setDaemon(true);
      return thread;
    }));
    dispatcher.setMaxRequests(1);
    return new OkHttpClient.Builder().dispatcher(dispatcher).build();
  }

  /** Stops a test's own OkHttpClient (null is fine): calls cancelled, threads ended, connections closed. */
  public static void shutDown(OkHttpClient http) {
    if (http == null) {
      return;
    }
    http.dispatcher().cancelAll();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
