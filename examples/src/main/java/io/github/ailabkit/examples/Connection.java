package io.github.ailabkit.examples;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.simulator.AILabSimulator;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the examples send their calls: the real API when {@code AILAB_API_KEY} is set, otherwise the
 * SDK's embedded simulator, so every example runs on a machine without a key or network.
 */
final class Connection implements AutoCloseable {
  private final AILabSimulator simulator;
  private final AILabClient client;

  private Connection(AILabSimulator simulator, AILabClient client) {
    this.simulator = simulator;
    this.client = client;
  }

  /** Connects to the real API or starts the simulator, and says which in one line. */
  static Connection open() {
    return open(null);
  }

  /**
   * As {@link #open()}; a simulator keeps its tasks in {@code simulatorTasks} (when not null), so a run
   * stopped midway and started again finds the tasks it submitted, as it would on the real API.
   */
  static Connection open(Path simulatorTasks) {
    String key = System.getenv("AILAB_API_KEY");
    if (key != null && !key.isBlank()) {
      AILabClient client = AILabClient.fromEnv();
      System.out.println("Using the AILab API at " + client.baseUrl());
      return new Connection(null, client);
    }
    // Slow enough to watch a task go queued → processing → completed, quick enough for a demo.
    AILabSimulator.Builder builder = AILabSimulator.builder()
        .queuedFor(Duration.ofSeconds(1))
        .processingFor(Duration.ofSeconds(2));
    if (simulatorTasks != null) {
      builder.tasksFile(simulatorTasks);
    }
    AILabSimulator simulator = builder.start();
    System.out.println("No AILAB_API_KEY set: using the embedded simulator at " + simulator.baseUrl());
    AILabClient client = AILabClient.builder().apiKey(simulator.apiKey()).baseUrl(simulator.baseUrl()).build();
    return new Connection(simulator, client);
  }

  AILabClient client() {
    return client;
  }

  boolean isSimulated() {
    return simulator != null;
  }

  /** A poller builder: the API's 5 s interval for real, a brisk one on the simulator. */
  TaskPoller.Builder poller() {
    TaskPoller.Builder builder = TaskPoller.builder(client);
    return isSimulated() ? builder.interval(Duration.ofMillis(200)).maxPollsPerSecond(500) : builder;
  }

  @Override
  public void close() {
    client.close();
    if (simulator != null) {
      simulator.close();
    }
  }
}
