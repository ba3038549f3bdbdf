package io.github.ailabkit;

import io.github.ailabkit.testing.RecordedSleeper;
import mockwebserver3.MockWebServer;

/** Client builders for tests: pointed at a MockWebServer, sleeping and reading the time through a recorder. */
final class RecordedClients {
  private RecordedClients() {}

  /** A builder for {@code server} with {@code key}, whose waits are recorded by {@code sleeper}, not spent. */
  static AILabClient.Builder builder(String key, MockWebServer server, RecordedSleeper sleeper) {
    return AILabClient.builder()
        .apiKey(key)
        .baseUrl(server.url("/").toString())
        .sleeper(sleeper)
        .clock(sleeper.clock());
  }
}
