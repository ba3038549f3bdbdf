package io.github.ailabkit.examples;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AsyncTask;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.TaskPollListener;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskStatus;
import io.github.ailabkit.params.HairstyleEditorProParams;
import io.github.ailabkit.params.HairstyleEditorProParams.HairStyle;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Submit one task, wait for it with a live progress line, download the result.
 *
 * <p>Usage: {@code Quickstart [image] [hair_style]}. Without {@code AILAB_API_KEY} it runs on the
 * embedded simulator with a sample image.
 */
public final class Quickstart {
  private Quickstart() {
  }

  /** Runs the example. */
  public static void main(String[] args) {
    Path image = SampleImages.fromArgsOrSample(args, 0);
    String hairStyle = args.length > 1 ? args[1] : "BuzzCut";

    try (Connection connection = Connection.open()) {
      AILabClient client = connection.client();
      AsyncTask task = client.portrait().hairstyleEditorPro(HairstyleEditorProParams.builder()
          .image(image)
          .hairStyle(HairStyle.of(hairStyle))      // HairStyle.BUZZ_CUT and the other documented values
          .build());
      System.out.println("Submitted task " + task.taskId() + " (request " + task.requestId() + ")");

      TaskResult done = task.await(connection.poller().listener(new ProgressLine()).build());
      System.out.println();

      List<URI> files = ResultFiles.urls(done);
      if (files.isEmpty()) {
        System.out.println("Completed, but the result names no file: " + done.data());
        return;
      }
      Path out = Path.of("hairstyle-result.png").toAbsolutePath();
      ResultFiles.download(client, files.get(0), out);
      System.out.println("Completed. Result saved to " + out);
    }
  }

  /** Rewrites one console line with the task's status and the time waited so far. */
  private static final class ProgressLine implements TaskPollListener {
    @Override
    public void onPoll(String taskId, int attempt, TaskStatus status, Duration elapsed) {
      System.out.printf("\r  %-10s after %5.1f s (poll %d)", status, elapsed.toMillis() / 1000.0, attempt);
      System.out.flush();
    }
  }
}
