package io.github.ailabkit.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.ServerSocketFactory;

/**
 * Server sockets for MockWebServer set up like a production server's: accepted sockets have
 * {@code TCP_NODELAY} (MockWebServer writes headers and body separately, which with Nagle on meets the
 * client's delayed ACK and makes every answer take ~40 ms), and the accept backlog is at least a given
 * depth (MockWebServer binds with 50, which drops SYNs under a burst of new connections).
 */
public final class NoDelayServerSocketFactory extends ServerSocketFactory {
  private final int minBacklog;

  /** Sockets bound with the backlog asked for, or {@code minBacklog} if that is deeper. */
  public NoDelayServerSocketFactory(int minBacklog) {
    this.minBacklog = minBacklog;
  }

  @Override
  public ServerSocket createServerSocket() throws IOException {
    return new ServerSocket() {
      @Override
      public void bind(SocketAddress endpoint, int backlog) throws IOException {
        super.bind(endpoint, Math.max(backlog, minBacklog));
      }

      @Override
      public Socket accept() throws IOException {
        Socket socket = super.accept();
        socket.setTcpNoDelay(true);
        return socket;
      }
    };
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    ServerSocket socket = createServerSocket();
    socket.bind(new InetSocketAddress(port));
    return socket;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    ServerSocket socket = createServerSocket();
    socket.bind(new InetSocketAddress(port), backlog);
    return socket;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
    ServerSocket socket = createServerSocket();
    socket.bind(new InetSocketAddress(address, port), backlog);
    return socket;
  }
}
