package io.github.ailabkit.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Finds OkHttp responses that were never closed. OkHttp notices one only when the call that owned a pooled
 * connection has been garbage collected while the connection still counts it as in use; its pool's cleanup
 * then logs {@code "A connection to … was leaked. Did you forget to close a response body?"} on the
 * {@code java.util.logging} logger {@code okhttp3.OkHttpClient}. This class listens on that logger and,
 * on {@link #collect()}, makes the leak visible now rather than at the pool's next cleanup (up to five
 * minutes later): it collects garbage, then runs the cleanup of every pool that holds in-use connections.
 *
 * <p>Finding those pools uses OkHttp internals by reflection ({@code TaskRunner.INSTANCE}'s scheduled
 * pool-cleanup tasks). If they change, {@link #collect()} falls back to a collection and a short wait,
 * which still reports leaks whose cleanup happens to be due; {@link #lastCollectWasActive()} tells which.
 *
 * <p>The logger is set to {@code FINE} so that OkHttp records where each leaked response was created; that
 * stack is part of the report. One instance per JVM ({@link #get()}); thread-safe.
 */
public final class LeakDetector {
  /** The logger OkHttp reports leaks on. */
  public static final String OKHTTP_LOGGER = "okhttp3.OkHttpClient";

  private static final LeakDetector INSTANCE = new LeakDetector();
  private static final long FALLBACK_WAIT_MILLIS = 100;

  /** Held strongly: {@code java.util.logging} forgets the level and handlers of a logger nobody references. */
  /** Collections to try before concluding that connections in use belong to live responses. */
  private static final int MAX_COLLECTIONS = 5;

  private final Logger logger = Logger.getLogger(OKHTTP_LOGGER);
  private final List<String> leaks = new ArrayList<>();
  private volatile boolean lastCollectWasActive;

  private LeakDetector() {
    logger.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        String message = record.getMessage();
        if (message != null && message.contains("was leaked")) {
          String leak = describe(message, record.getThrown());
          synchronized (leaks) {
            leaks.add(leak);
          }
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    });
    if (!logger.isLoggable(Level.FINE)) {
      logger.setLevel(Level.FINE);
    }
  }

  /** The detector, listening from the first call on. */
  public static LeakDetector get() {
    return INSTANCE;
  }

  /** The leaks reported since the last drain, and forgets them. */
  public List<String> drain() {
    synchronized (leaks) {
      List<String> drained = List.copyOf(leaks);
      leaks.clear();
      return drained;
    }
  }

  /**
   * Makes OkHttp report every response that is unreachable but was never closed, then {@linkplain #drain()
   * drains} the reports (those logged earlier included).
   */
  public List<String> collect() {
    List<Object> pools = poolsWithConnectionsInUse();
    lastCollectWasActive = pools != null;
    if (pools == null) {
      System.gc();
      sleep(FALLBACK_WAIT_MILLIS);
      return drain();
    }
    // A connection in use is either held by a live response or leaked by a dead one. One collection does
    // not always clear the dead one's reference at once, so collect again (briefly) until it shows.
    for (int attempt = 0; attempt < MAX_COLLECTIONS && !pools.isEmpty() && !hasLeaks(); attempt++) {
      System.gc();
      for (Object pool : pools) {
        runCleanup(pool);
      }
      if (!hasLeaks()) {
        sleep(10);
      }
    }
    return drain();
  }

  private boolean hasLeaks() {
    synchronized (leaks) {
      return !leaks.isEmpty();
    }
  }

  /** Whether the last {@link #collect()} could run the pools' cleanup itself (else it only waited). */
  public boolean lastCollectWasActive() {
    return lastCollectWasActive;
  }

  private static String describe(String message, Throwable allocation) {
    if (allocation == null) {
      return message;
    }
    StringWriter out = new StringWriter();
    allocation.printStackTrace(new PrintWriter(out));
    StringBuilder text = new StringBuilder(message.replaceFirst(" To see where.*", "")).append(" Opened by:");
    int frames = 0;
    for (String line : out.toString().split("\\R")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("at ") && !trimmed.startsWith("at okhttp3.") && !trimmed.startsWith("at java.")
          && !trimmed.startsWith("at jdk.") && !trimmed.startsWith("at org.junit.") && frames++ < 8) {
        text.append("\n      ").append(trimmed);
      }
    }
    return text.toString();
  }

  /** The connection pools that hold a connection in use, or null if OkHttp's internals could not be read. */
  private static List<Object> poolsWithConnectionsInUse() {
    try {
      Class<?> runnerType = Class.forName("okhttp3.internal.concurrent.TaskRunner");
      Object runner = runnerType.getField("INSTANCE").get(null);
      Method activeQueues = runnerType.getMethod("activeQueues");
      Method scheduledTasks = Class.forName("okhttp3.internal.concurrent.TaskQueue").getMethod("getScheduledTasks");
      Class<?> poolType = Class.forName("okhttp3.internal.connection.RealConnectionPool");
      Method connectionCount = poolType.getMethod("connectionCount");
      Method idleConnectionCount = poolType.getMethod("idleConnectionCount");
      Set<Object> pools = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Object queue : (List<?>) activeQueues.invoke(runner)) {
        for (Object task : (List<?>) scheduledTasks.invoke(queue)) {
          Object pool = enclosingPool(task, poolType);
          if (pool != null
              && (int) connectionCount.invoke(pool) > (int) idleConnectionCount.invoke(pool)) {
            pools.add(pool);
          }
        }
      }
      return new ArrayList<>(pools);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static Object enclosingPool(Object task, Class<?> poolType) throws IllegalAccessException {
    if (!task.getClass().getName().startsWith(poolType.getName() + "$")) {
      return null;
    }
    for (Field field : task.getClass().getDeclaredFields()) {
      if (field.getType() == poolType) {
        field.setAccessible(true);
        return field.get(task);
      }
    }
    return null;
  }

  /** Runs what the pool's cleanup task runs: prunes calls that were collected (logging each leak). */
  private static void runCleanup(Object pool) {
    try {
      pool.getClass().getMethod("closeConnections", long.class).invoke(pool, System.nanoTime());
    } catch (ReflectiveOperationException | RuntimeException e) {
      // best effort: the pool's own cleanup reports the leak later
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
