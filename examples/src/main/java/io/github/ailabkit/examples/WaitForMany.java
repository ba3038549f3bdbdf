package io.github.ailabkit.examples;

import io.github.ailabkit.AsyncTask;
import io.github.ailabkit.TaskOutcome;
import io.github.ailabkit.TaskPollListener;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.TaskStatus;
import io.github.ailabkit.params.AiBaldParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Submit many tasks, then wait for all of them at once with one overall progress line. No thread is
 * held per task: one timer thread and a few HTTP calls in flight serve every wait.
 *
 * <p>Usage: {@code WaitForMany [count] [image]} (default 25 tasks).
 */
public final class WaitForMany {
  private WaitForMany() {
  }

  /** Runs the example. */
  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 25;
    Path image = SampleImages.fromArgsOrSample(args, 1);

    try (Connection connection = Connection.open()) {
      List<String> taskIds = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        AsyncTask task = connection.client().portrait().aiBald(AiBaldParams.builder().image(image).build());
        taskIds.add(task.taskId());
      }
      System.out.println("Submitted " + count + " tasks; waiting for all of them");

      Set<String> completed = ConcurrentHashMap.newKeySet();
      TaskPoller poller = connection.poller().listener(new TaskPollListener() {
        @Override
        public void onStatusChange(String taskId, TaskStatus previous, TaskStatus current) {
          if (current == TaskStatus.COMPLETED) {
            completed.add(taskId);
            System.out.printf("\r  %d/%d completed", completed.size(), count);
            System.out.flush();
          }
        }
      }).build();

      Map<String, TaskOutcome> outcomes = poller.awaitAll(taskIds);
      long succeeded = outcomes.values().stream().filter(TaskOutcome::isSuccess).count();
      System.out.println();
      System.out.println(succeeded + " of " + count + " tasks completed");
      outcomes.values().stream().filter(o -> !o.isSuccess())
          .forEach(o -> System.out.println("  " + o.taskId() + " failed: " + o.error().getMessage()));
    }
  }
}
