package io.github.ailabkit.testing;

import io.github.ailabkit.AILabException;
import io.github.ailabkit.TaskPollListener;
import io.github.ailabkit.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that records every event as a line of text, plus the raw values tests assert on. */
public class PollRecorder implements TaskPollListener {
  /** One {@code onPoll} call. */
  public record Poll(String taskId, int attempt, TaskStatus status, Duration elapsed, String thread) {
  }

  /** One {@code onTransientError} call. */
  public record TransientError(String taskId, int attempt, AILabException error) {
  }

  /** Every event in order: {@code poll id #n STATUS}, {@code change id A->B}, {@code error id #n Type}. */
  public final List<String> events = new CopyOnWriteArrayList<>();
  public final List<Poll> polls = new CopyOnWriteArrayList<>();
  public final List<String> changes = new CopyOnWriteArrayList<>();
  public final List<TransientError> errors = new CopyOnWriteArrayList<>();

  @Override
  public void onPoll(String taskId, int attempt, TaskStatus status, Duration elapsed) {
    polls.add(new Poll(taskId, attempt, status, elapsed, Thread.currentThread().getName()));
    events.add("poll " + taskId + " #" + attempt + " " + status);
  }

  @Override
  public void onStatusChange(String taskId, TaskStatus previous, TaskStatus current) {
    changes.add(taskId + " " + previous + "->" + current);
    events.add("change " + taskId + " " + previous + "->" + current);
  }

  @Override
  public void onTransientError(String taskId, int attempt, AILabException error) {
    errors.add(new TransientError(taskId, attempt, error));
    events.add("error " + taskId + " #" + attempt + " " + error.getClass().getSimpleName());
  }
}
