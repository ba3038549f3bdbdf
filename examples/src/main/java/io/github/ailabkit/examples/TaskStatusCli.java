package io.github.ailabkit.examples;

import io.github.ailabkit.AILabException;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.params.AiBaldParams;
import java.time.Duration;

/**
 * Prints the status of a task, or waits for it.
 *
 * <p>Usage: {@code TaskStatusCli status [taskId]} or {@code TaskStatusCli wait [taskId]}. The task id is
 * required with {@code AILAB_API_KEY}; on the simulator, without one, it submits a demo task first.
 */
public final class TaskStatusCli {
  private TaskStatusCli() {
  }

  /** Runs the tool; exits with 1 on an API error, 2 on bad usage. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  private static int run(String[] args) {
    String command = args.length > 0 ? args[0] : "wait";
    if (!command.equals("status") && !command.equals("wait")) {
      System.err.println("usage: TaskStatusCli status|wait <taskId>");
      return 2;
    }
    Connection opened;
    try {
      opened = Connection.open();
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("bad AILAB_API_KEY or AILAB_BASE_URL: " + e.getMessage());
      return 2;
    }
    try (Connection connection = opened) {
      String taskId = args.length > 1 ? args[1] : demoTask(connection);
      if (taskId == null) {
        System.err.println("usage: TaskStatusCli status|wait <taskId>");
        return 2;
      }
      TaskResult result = command.equals("status")
          ? connection.client().getTaskResult(taskId)
          : connection.poller().initialDelay(Duration.ZERO).build().awaitCompletion(taskId);
      System.out.println("task " + taskId + ": " + result.taskStatus()
          + (result.data() == null ? "" : " " + result.data()));
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("bad task id: " + e.getMessage());
      return 2;
    } catch (AILabException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private static String demoTask(Connection connection) {
    if (!connection.isSimulated()) {
      return null;
    }
    String taskId = connection.client().portrait().aiBald(AiBaldParams.builder()
        .image(SampleImages.fromArgsOrSample(new String[0], 0)).build()).taskId();
    System.out.println("No task id given: submitted demo task " + taskId);
    return taskId;
  }
}
