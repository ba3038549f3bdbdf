package io.github.ailabkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AsyncTask;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.TaskFailedException;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tasks file: a simulator started again with it knows the tasks submitted to the earlier one. */
class SimulatorTasksFileTest {
  @TempDir Path dir;

  private final MutableClock clock = new MutableClock();

  @Test
  void aSimulatorStartedAgainWithTheSameFileAnswersForTheEarlierTasks() throws Exception {
    Path file = dir.resolve("tasks.tsv");
    String taskId;
    try (AILabSimulator first = Fixtures.simulator(clock).tasksFile(file).start();
         AILabClient client = Fixtures.client(first)) {
      AsyncTask task = client.submit(Endpoints.AI_BALD, Fixtures.imageForm(dir));
      taskId = task.taskId();
      assertThat(client.getTaskResult(taskId).taskStatus()).isEqualTo(TaskStatus.QUEUED);
    }
    clock.advance(Fixtures.QUEUED.plus(Fixtures.PROCESSING));

    try (AILabSimulator second = Fixtures.simulator(clock).tasksFile(file).start();
         AILabClient client = Fixtures.client(second)) {
      TaskResult done = client.getTaskResult(taskId);
      assertThat(done.taskStatus()).isEqualTo(TaskStatus.COMPLETED);
      Path image = ResultFiles.download(client, ResultFiles.urls(done).get(0), dir.resolve("out.png"));
      assertThat(Files.size(image)).isPositive();
    }
  }

  @Test
  void withoutTheFileOrWithACutLastLineOnlyTheRecordedTasksAreKnown() throws Exception {
    Path file = dir.resolve("tasks.tsv");
    String taskId;
    try (AILabSimulator first = Fixtures.simulator(clock).tasksFile(file).start();
         AILabClient client = Fixtures.client(first)) {
      taskId = client.submit(Endpoints.AI_BALD, Fixtures.imageForm(dir)).taskId();
    }
    // A process killed mid-line leaves a partial record: skipped, the earlier ones still read.
    Files.writeString(file, "1714743372764.cut-short\t/api/x", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    try (AILabSimulator again = Fixtures.simulator(clock).tasksFile(file).start();
         AILabClient client = Fixtures.client(again)) {
      assertThat(client.getTaskResult(taskId).taskStatus()).isEqualTo(TaskStatus.QUEUED);
    }
    try (AILabSimulator fresh = Fixtures.simulator(clock).start();
         AILabClient client = Fixtures.client(fresh)) {
      assertThatThrownBy(() -> client.taskPoller().awaitCompletion(taskId))
          .isInstanceOf(TaskFailedException.class);
    }
  }
}
