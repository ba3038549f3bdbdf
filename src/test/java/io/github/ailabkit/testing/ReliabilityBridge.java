package io.github.ailabkit.testing;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.internal.Sleeper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.Map;

/**
 * Reaches the package-private test seams of {@link AILabClient.Builder} ({@code sleeper(Sleeper)},
 * {@code clock(Clock)}, {@code fromEnv(Map)}) from tests outside {@code io.github.ailabkit}, such as the
 * reliability suite, which
 * otherwise use only the public API. Reflection keeps the seams package-private; a renamed seam fails
 * loudly here rather than silently falling back to real sleeps.
 */
public final class ReliabilityBridge {
  private ReliabilityBridge() {
  }

  /** Makes the client record retry waits in {@code sleeper} (and read time from its clock) instead of sleeping. */
  public static AILabClient.Builder recorded(AILabClient.Builder builder, RecordedSleeper sleeper) {
    return clock(sleeper(builder, sleeper), sleeper.clock());
  }

  /**
   * Like {@link #recorded(AILabClient.Builder, RecordedSleeper)}, and runs {@code beforeEachSleep} whenever
   * the client would wait to retry (a test can change the world between two attempts, e.g. start a server).
   */
  public static AILabClient.Builder recorded(AILabClient.Builder builder, RecordedSleeper sleeper,
      Runnable beforeEachSleep) {
    Sleeper hooked = duration -> {
      beforeEachSleep.run();
      sleeper.sleep(duration);
    };
    return clock(sleeper(builder, hooked), sleeper.clock());
  }

  /** Calls the package-private {@code AILabClient.Builder#sleeper(Sleeper)}. */
  public static AILabClient.Builder sleeper(AILabClient.Builder builder, Sleeper sleeper) {
    return invoke(builder, "sleeper", Sleeper.class, sleeper);
  }

  /** Calls the package-private {@code AILabClient.Builder#clock(Clock)}. */
  public static AILabClient.Builder clock(AILabClient.Builder builder, Clock clock) {
    return invoke(builder, "clock", Clock.class, clock);
  }

  /** Calls the package-private {@code AILabClient.Builder#fromEnv(Map)}: reads these variables, not the process's. */
  public static AILabClient.Builder fromEnv(AILabClient.Builder builder, Map<String, String> environment) {
    return invoke(builder, "fromEnv", Map.class, environment);
  }

  private static AILabClient.Builder invoke(AILabClient.Builder builder, String name, Class<?> type, Object value) {
    try {
      Method method = AILabClient.Builder.class.getDeclaredMethod(name, type);
      method.setAccessible(true);
      return (AILabClient.Builder) method.invoke(builder, value);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IllegalStateException(cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("AILabClient.Builder#" + name + "(" + type.getSimpleName()
          + ") is gone; update ReliabilityBridge", e);
    }
  }
}
