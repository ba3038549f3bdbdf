package io.github.ailabkit.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Marks failures of an exchange on a <em>reused</em> pooled connection that broke before its answer
 * arrived: a server or load balancer closed the idle keep-alive connection while it waited in the pool, so
 * the request never reached anything. The retry layer repeats such a read at once on a fresh connection,
 * without backoff and without counting a retry, as OkHttp itself would; a submit is never repeated.
 *
 * <p>A network interceptor, so it sees the connection each exchange runs on. Connections are held weakly.
 */
public final class StaleConnections implements Interceptor {
  /** Connections seen, weakly held; guarded by a lock, not a monitor, so a virtual thread never pins here. */
  private final Map<Connection, Boolean> used = new WeakHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();

  @Override
  public Response intercept(Chain chain) throws IOException {
    Connection connection = chain.connection();
    boolean reused = connection != null && markUsed(connection);
    try {
      return chain.proceed(chain.request());
    } catch (IOException e) {
      // A timeout or a cancel is not a closed connection: a stale one fails at once. A ProtocolException
      // means answer bytes arrived (a garbled status line or headers): the server did answer.
      if (reused && !(e instanceof InterruptedIOException) && !(e instanceof ProtocolException)
          && !chain.call().isCanceled()) {
        throw new Stale(e);
      }
      throw e;
    }
  }

  /** Records {@code connection} as used; true if it was used before (a pooled connection reused). */
  private boolean markUsed(Connection connection) {
    lock.lock();
    try {
      return used.put(connection, Boolean.TRUE) != null;
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@code failure} is such a marked failure. */
  public static boolean isStale(IOException failure) {
    return failure instanceof Stale;
  }

  /** The original failure of a marked one (else the failure itself). */
  public static IOException unwrap(IOException failure) {
    return failure instanceof Stale stale ? stale.getCause() : failure;
  }

  /** A failure on a reused connection before any answer; {@link #getCause()} is the original. */
  private static final class Stale extends IOException {
    private static final long serialVersionUID = 1L;

    Stale(IOException cause) {
      super("stale pooled connection: " + cause, cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }
}
