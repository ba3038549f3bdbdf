package io.github.ailabkit.jobs;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.Form;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.simulator.AILabSimulator;
import io.github.ailabkit.testing.Images;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Inputs, clients and pollers for job tests: every input a distinct image (distinct size), quick polls. */
final class JobFixtures {
  static final Endpoint ENDPOINT = Endpoints.HD_UNIVERSAL_BACKGROUND_REMOVAL;

  private JobFixtures() {
  }

  /** {@code count} distinct PNG inputs in {@code dir}: {@code in-0.png}, … of 2000, 2001, … bytes. */
  static List<Path> inputs(Path dir, int count) throws IOException {
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inputs.add(Images.write(dir, "in-" + i + ".png", ImageFormat.PNG, 2000 + i));
    }
    return inputs;
  }

  static Form form(Path input) {
    return Form.create().file("image", input);
  }

  static String key(int i) {
    return "batch/in-" + i;
  }

  static AILabClient client(AILabSimulator sim) {
    return AILabClient.builder().apiKey(sim.apiKey()).baseUrl(sim.baseUrl()).build();
  }

  static TaskPoller quickPoller(AILabClient client) {
    return TaskPoller.builder(client).interval(Duration.ofMillis(20)).build();
  }
}
