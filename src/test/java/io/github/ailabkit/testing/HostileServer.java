package io.github.ailabkit.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A loopback server that answers each request with raw bytes of the test's choosing, broken HTTP
 * included (a status line, chunk-size line or header that no real server would send), then closes the
 * connection at once (a client that pools it meets a stale connection next time). It reads only the
 * request's head; a request body is drained, and dropped, before the connection closes.
 */
public final class HostileServer implements AutoCloseable {
  private static final int MAX_HEAD = 64 * 1024;

  private final ServerSocket socket;
  private final ExecutorService threads = Executors.newCachedThreadPool(HostileServer::daemon);
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Function<String, byte[]> answer;

  /** Starts a server on 127.0.0.1 that answers every request with {@code answer(requestLine)}. */
  public HostileServer(Function<String, byte[]> answer) throws IOException {
    this.answer = answer;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  /** {@code http://127.0.0.1:<port>} followed by {@code pathAndQuery}. */
  public String url(String pathAndQuery) {
    return "http://127.0.0.1:" + socket.getLocalPort() + pathAndQuery;
  }

  /** Requests received so far. */
  public int requestCount() {
    return requests.get();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        threads.execute(() -> serve(connection));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      connection.setSoTimeout(5_000);
      String head = readHead(connection.getInputStream());
      if (head == null) {
        return;
      }
      requests.incrementAndGet();
      OutputStream out = connection.getOutputStream();
      out.write(answer.apply(head.lines().findFirst().orElse("")));
      out.flush();
      connection.shutdownOutput();
      String lower = head.toLowerCase(java.util.Locale.ROOT);
      if (lower.contains("\r\ncontent-length:") || lower.contains("\r\ntransfer-encoding:")) {
        drain(connection.getInputStream()); // let the client finish sending before the connection closes
      }
    } catch (IOException ignored) {
      // the client went away: nothing to answer
    }
  }

  /** Reads up to the blank line ending the head; returns the head, or null if none came. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length && head.size() < MAX_HEAD) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static void drain(InputStream in) {
    byte[] sink = new byte[8192];
    try {
      while (in.read(sink) >= 0) {
        // a request body nobody reads
      }
    } catch (IOException done) {
      // closed by the client, or quiet long enough
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable runnable) {
    Thread thread = new Thread(runnable, "hostile-server");
    thread.setDaemon(true);
    return thread;
  }
}
