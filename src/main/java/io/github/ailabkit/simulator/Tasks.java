package io.github.ailabkit.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The tasks and result files the simulator created, and their timeline on the injected clock: a task
 * is queued ({@code 0}) for {@code queuedFor}, processing ({@code 1}) for {@code processingFor}, then
 * completed ({@code 2}); 24 hours after creation it has expired and its file is gone.
 *
 * <p>Entries are kept for the simulator's lifetime (about 200 bytes each), so an expired task can
 * still be told from one that never existed. With a tasks file, each new task is also appended to it (one
 * line, written before the submit is answered) and the tasks of earlier runs are read back at start, so a
 * program stopped and started again finds the tasks it submitted before.
 */
final class Tasks {
  /** How long the API keeps a task's results. */
  static final Duration RETENTION = Duration.ofHours(24);

  /**
   * A created task, or the result of a synchronous call (not pollable, completed at once).
   *
   * @param id the task id, such as {@code 1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92}
   * @param path the endpoint it was submitted to
   * @param createdAt when it was created, by the simulator's clock
   * @param pollable whether the query endpoint knows it (false for a synchronous call's result)
   */
  record Task(String id, String path, Instant createdAt, boolean pollable) {
  }

  private final ConcurrentMap<String, Task> tasks = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration queuedFor;
  private final Duration processingFor;
  /** Where new tasks are appended, or null when tasks live only as long as the simulator. */
  private final Writer file;

  Tasks(Clock clock, Duration queuedFor, Duration processingFor, Path tasksFile) throws IOException {
    this.clock = clock;
    this.queuedFor = queuedFor;
    this.processingFor = processingFor;
    this.file = tasksFile == null ? null : open(tasksFile);
  }

  /** Creates a task with a fresh id in the API's format: creation millis, a dot, a UUID. */
  Task create(String path, boolean pollable) {
    Instant now = clock.instant();
    Task task = new Task(now.toEpochMilli() + "." + UUID.randomUUID(), path, now, pollable);
    tasks.put(task.id(), task);
    if (file != null && pollable) {
      append(task);
    }
    return task;
  }

  /** Closes the tasks file, if any. */
  void close() throws IOException {
    if (file != null) {
      file.close();
    }
  }

  private Writer open(Path tasksFile) throws IOException {
    if (Files.exists(tasksFile)) {
      for (String line : Files.readAllLines(tasksFile, StandardCharsets.UTF_8)) {
        String[] parts = line.split("\t");
        if (parts.length == 3) { // a line cut short by a killed process is skipped
          tasks.put(parts[0], new Task(parts[0], parts[1], Instant.ofEpochMilli(Long.parseLong(parts[2])), true));
        }
      }
    }
    return Files.newBufferedWriter(tasksFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private synchronized void append(Task task) {
    try {
      file.write(task.id() + "\t" + task.path() + "\t" + task.createdAt().toEpochMilli() + "\n");
      file.flush(); // in the OS's hands before the submit is answered: survives the process being killed
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record task " + task.id() + " in the tasks file", e);
    }
  }

  /** The task with this id, or null. */
  Task find(String id) {
    return tasks.get(id);
  }

  /** Whether the task's results were deleted: 24 hours or more after creation. */
  boolean isExpired(Task task) {
    return !clock.instant().isBefore(task.createdAt().plus(RETENTION));
  }

  /** The task's {@code task_status} now: 0 queued, 1 processing, 2 completed; results are always complete. */
  int status(Task task) {
    if (!task.pollable()) {
      return 2;
    }
    Duration elapsed = Duration.between(task.createdAt(), clock.instant());
    if (elapsed.compareTo(queuedFor) < 0) {
      return 0;
    }
    return elapsed.compareTo(queuedFor.plus(processingFor)) < 0 ? 1 : 2;
  }
}
