package io.github.ailabkit;

import io.github.ailabkit.internal.Sleeper;
import io.github.ailabkit.testing.RecordedSleeper;
import java.time.Clock;
import java.util.Map;
import mockwebserver3.MockWebServer;

/**
 * The one way tests reach the client's test seams, the package-private {@link AILabClient.Builder} methods
 * {@code clock(Clock)}, {@code sleeper(Sleeper)} and {@code fromEnv(Map)}: tests in this package may call
 * them directly, tests in other packages (the reliability suite, say) call them through this class, which
 * lives in the same package so that no reflection is needed and a renamed seam fails to compile.
 */
public final class ClientSeams {
  private ClientSeams() {
  }

  /** A builder for {@code server} with {@code key}, whose waits are recorded by {@code sleeper}, not spent. */
  public static AILabClient.Builder recorded(String key, MockWebServer server, RecordedSleeper sleeper) {
    return recorded(AILabClient.builder().apiKey(key).baseUrl(server.url("/").toString()), sleeper);
  }

  /** Makes the client record retry waits in {@code sleeper} (and read time from its clock) instead of sleeping. */
  public static AILabClient.Builder recorded(AILabClient.Builder builder, RecordedSleeper sleeper) {
    return builder.sleeper(sleeper).clock(sleeper.clock());
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
    return builder.sleeper(hooked).clock(sleeper.clock());
  }

  /** Calls the package-private {@code AILabClient.Builder#sleeper(Sleeper)}. */
  public static AILabClient.Builder sleeper(AILabClient.Builder builder, Sleeper sleeper) {
    return builder.sleeper(sleeper);
  }

  /** Calls the package-private {@code AILabClient.Builder#clock(Clock)}. */
  public static AILabClient.Builder clock(AILabClient.Builder builder, Clock clock) {
    return builder.clock(clock);
  }

  /** Calls the package-private {@code AILabClient.Builder#fromEnv(Map)}: reads these variables, not the process's. */
  public static AILabClient.Builder fromEnv(AILabClient.Builder builder, Map<String, String> environment) {
    return builder.fromEnv(environment);
  }
}
