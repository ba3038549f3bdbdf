package io.github.ailabkit.bench;

import io.github.ailabkit.testing.NoDelayServerSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A MockWebServer on 127.0.0.1 for benchmarks, set up like a production server: {@code TCP_NODELAY} on
 * accepted sockets (MockWebServer leaves Nagle on, and as it writes headers and body separately every
 * answer then waits ~40 ms for the client's delayed ACK), a deep accept backlog (MockWebServer binds with
 * 50, which drops SYNs under a burst of new connections and adds whole seconds of retransmit to whoever
 * opens them), and a drainer thread so the recorded requests of a long run do not pile up in its queue.
 */
final class BenchServer implements AutoCloseable {
  private static final int BACKLOG = 4096;

  private final MockWebServer server = new MockWebServer();
  private final Thread drainer;

  BenchServer(Dispatcher dispatcher) throws IOException {
    server.setDispatcher(dispatcher);
    server.setServerSocketFactory(new NoDelayServerSocketFactory(BACKLOG));
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    drainer = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          server.takeRequest();
        }
      } catch (InterruptedException stop) {
        // closing
      }
    }, "bench-server-drainer");
    drainer.setDaemon(true);
    drainer.start();
  }

  /** A server answering every request with the same JSON body. */
  static BenchServer fixed(String body) throws IOException {
    MockResponse response = new MockResponse.Builder()
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
    return new BenchServer(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return response;
      }
    });
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getPort() + "/";
  }

  @Override
  public void close() {
    drainer.interrupt();
    server.close();
  }
}
