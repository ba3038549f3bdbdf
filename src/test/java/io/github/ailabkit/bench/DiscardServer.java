package io.github.ailabkit.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny HTTP/1.1 server for uploads that reads each request body into one small buffer and drops it, at a
 * capped rate, then answers {@link Fixtures#SYNC_BODY}. MockWebServer would record the whole body; this one
 * keeps nothing, so the upload figures are the client's alone. The rate cap stretches an upload long enough
 * for the client to sample its live heap several times while the body is in flight.
 */
final class DiscardServer implements AutoCloseable {
  private final ServerSocket socket;
  private final long bytesPerSecond;
  private final AtomicLong lastBodyBytes = new AtomicLong(-1);
  private final Thread acceptor;

  DiscardServer(long bytesPerSecond) throws IOException {
    this.bytesPerSecond = bytesPerSecond;
    this.socket = new ServerSocket(0, 128, InetAddress.getByName("127.0.0.1"));
    this.acceptor = new Thread(this::acceptLoop, "bench-discard-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/";
  }

  /** Body bytes of the last request served completely. */
  long lastBodyBytes() {
    return lastBodyBytes.get();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        Thread handler = new Thread(() -> serve(connection), "bench-discard-conn");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      InputStream in = new BufferedInputStream(connection.getInputStream(), 64 * 1024);
      OutputStream out = connection.getOutputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      long length = -1;
      boolean chunked = false;
      for (String line : head.split("\r\n")) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(line.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      byte[] buffer = new byte[64 * 1024];
      long started = System.nanoTime();
      long received = 0;
      if (chunked) {
        while (true) {
          long size = Long.parseLong(readLine(in).split(";")[0].trim(), 16);
          if (size == 0) {
            while (!readLine(in).isEmpty()) {
              // trailers
            }
            break;
          }
          received = discard(in, size, buffer, received, started);
          readLine(in);
        }
      } else if (length > 0) {
        received = discard(in, length, buffer, 0, started);
      }
      lastBodyBytes.set(received);
      byte[] body = Fixtures.SYNC_BODY.getBytes(StandardCharsets.UTF_8);
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    } catch (IOException | RuntimeException | InterruptedException e) {
      // the client went away; nothing to record
    }
  }

  private long discard(InputStream in, long count, byte[] buffer, long receivedBefore, long started)
      throws IOException, InterruptedException {
    long received = receivedBefore;
    long left = count;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("body cut short");
      }
      left -= n;
      received += n;
      long dueNanos = started + received * 1_000_000_000L / bytesPerSecond;
      long ahead = dueNanos - System.nanoTime();
      if (ahead > 1_000_000) {
        Thread.sleep(ahead / 1_000_000);
      }
    }
    return received;
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    String line;
    while (!(line = readLine(in)).isEmpty()) {
      head.append(line).append("\r\n");
    }
    return head.length() == 0 ? null : head.toString();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
