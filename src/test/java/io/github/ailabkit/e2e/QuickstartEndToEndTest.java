package io.github.ailabkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AsyncTask;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.Form;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskStatus;
import io.github.ailabkit.simulator.AILabSimulator;
import io.github.ailabkit.testing.Images;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quickstart, end to end, through the public API only (this package sees nothing
 * package-private): submit → wait → download, against the embedded simulator.
 */
class QuickstartEndToEndTest {
  @TempDir Path dir;

  @Test
  void submitWaitDownload() throws Exception {
    Path photo = Files.write(dir.resolve("me.jpg"), Images.png()); // a PNG named .jpg: the SDK sends its true type
    try (AILabSimulator simulator = AILabSimulator.builder()
            .queuedFor(Duration.ofMillis(50))
            .processingFor(Duration.ofMillis(50))
            .start();
        AILabClient client = AILabClient.builder()
            .apiKey(simulator.apiKey())
            .baseUrl(simulator.baseUrl())
            .build()) {
      AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO,
          Form.create().file("image", photo).field("hair_style", "BuzzCut"));
      TaskResult done = task.await(TaskPoller.builder(client).interval(Duration.ofMillis(20)).build());
      List<URI> files = ResultFiles.urls(done);
      Path out = ResultFiles.download(client, files.get(0), dir.resolve("out.png"));

      assertThat(done.taskStatus()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(files).hasSize(1);
      assertThat(Files.readAllBytes(out)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
      assertThat(simulator.stats().filesRequestedWithKey()).isZero();
      assertThat(simulator.stats().submits(Endpoints.HAIRSTYLE_EDITOR_PRO.path())).isEqualTo(1);
      assertThat(simulator.stats().polls(task.taskId())).isBetween(1L, 20L);
    }
  }
}
