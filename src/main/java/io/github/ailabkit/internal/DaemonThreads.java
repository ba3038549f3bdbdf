package io.github.ailabkit.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads, so SDK threads are recognisable in a dump and never keep a JVM alive. */
public final class DaemonThreads {
  private DaemonThreads() {
  }

  /** A factory naming threads {@code prefix-1}, {@code prefix-2}, … */
  public static ThreadFactory factory(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
