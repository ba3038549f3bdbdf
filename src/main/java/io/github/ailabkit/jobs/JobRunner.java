package io.github.ailabkit.jobs;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Form;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.params.EndpointParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a batch of keyed jobs through the API so that each input is submitted once, the batch resumes after
 * any crash, and every result is kept on disk before it expires.
 *
 * <pre>{@code
 * try (AILabClient client = AILabClient.fromEnv();
 *      JobRunner runner = JobRunner.builder(client)
 *          .store(JobStore.file(Path.of("ailab-jobs")))
 *          .resultsDir(Path.of("results"))
 *          .maxSubmitsInFlight(4)
 *          .build()) {
 *   for (Path photo : photos) {
 *     runner.enqueue("bg/" + photo.getFileName(), Endpoints.HD_UNIVERSAL_BACKGROUND_REMOVAL,
 *         Form.create().file("image", photo));
 *   }
 *   JobReport report = runner.runUntilDone(Duration.ofHours(2));
 * }
 * }</pre>
 *
 * <p>What it guarantees:
 * <ul>
 *   <li><b>Write-ahead.</b> A job is recorded {@link JobState#SUBMITTING} before its submit leaves the
 *       process, and the task id, submission time and request id are recorded before anything else is done
 *       with them. A job found {@code SUBMITTING} at start (the process died in between), or whose submit
 *       failed after it may have reached the server, becomes {@link JobState#UNCERTAIN} and is never sent
 *       again on its own; {@link #resubmit(String)} is the user's decision. A submit that provably never left
 *       (connection refused) or was refused with one of the API's own JSON error answers (which create no task) stays
 *       {@link JobState#PENDING}; a form refused before sending is {@link JobState#FAILED}.
 *   <li><b>Resume.</b> {@link #runUntilDone(Duration)} also takes up what the store already holds:
 *       {@link JobState#SUBMITTED} jobs are waited for again within their original 24 hours; a job whose
 *       results expired first becomes {@link JobState#EXPIRED}.
 *   <li><b>Results kept.</b> A job becomes {@link JobState#COMPLETED} only once its result files (downloaded,
 *       or decoded from base64) are whole in {@code resultsDir/<key>/} (atomic moves, forced to disk) and the
 *       answer's JSON is stored, each base64 image in it replaced by its file's name.
 *   <li><b>Admission.</b> At most {@code maxSubmitsInFlight} submits are on their way at once; 429 and 503
 *       flow restriction halve the submit rate, which then grows back by one per second each second. Out of
 *       credits ({@code ERROR_NOT_ENOUGH_CREDITS}) or a refused key stops new submits: the remaining jobs stay
 *       {@code PENDING}, and the report and the listener say why.
 *   <li><b>Final errors are final.</b> A task that will never complete (422 no face, 404, 410) makes its job
 *       {@code FAILED} with the API's code, message and request id.
 * </ul>
 *
 * <p>Job keys name directories under the results directory: 1 to 200 characters, {@code /}-separated
 * segments, none empty, {@code .} or {@code ..}, no control character, backslash or colon.
 *
 * <p>Thread-safe; one {@code runUntilDone} at a time. Closing the runner ends a run in progress (submits on
 * their way are recorded first) and closes the store, but not the client.
 */
public final class JobRunner implements AutoCloseable {
  private final RunSettings settings;
  private final SubmitPacer pacer = new SubmitPacer(System::nanoTime);
  private final Object runLock = new Object();
  private volatile BatchRun current;
  private volatile boolean closed;
  private boolean closeStoreAtRunEnd;

  private JobRunner(RunSettings settings) {
    this.settings = settings;
  }

  /** A builder for a runner over {@code client}; {@link Builder#store} and {@link Builder#resultsDir} are required. */
  public static Builder builder(AILabClient client) {
    return new Builder(Objects.requireNonNull(client, "client == null"));
  }

  /**
   * Adds a job, {@link JobState#PENDING}, unless its key is known: a key names one job forever in its store,
   * so enqueueing a known key again changes nothing and returns the existing record (across restarts and,
   * with a shared store, across machines). Durable on return, except that the file store makes a new job
   * durable with the next change it waits for (a pending job lost in a crash was never sent, and the batch
   * is enqueued again at restart), so enqueueing thousands of jobs costs no fsync each. The form's files are
   * recorded by absolute path and must stay where they are until the job is submitted.
   *
   * @throws IllegalArgumentException if the key is malformed (see the class comment), a file is missing, or
   *     the form holds an in-memory or stream input (it could not be sent again after a restart: write it
   *     to a file first)
   */
  public JobRecord enqueue(String key, Endpoint endpoint, Form form) {
    JobKeys.resultDir(settings.resultsDir(), key);
    Objects.requireNonNull(endpoint, "endpoint == null");
    Objects.requireNonNull(form, "form == null");
    checkOpen();
    if (!form.uploads().isEmpty()) {
      throw new IllegalArgumentException("job " + key + ": inputs " + form.uploads().keySet() + " are in memory or "
          + "streams, which a restarted run could not send; write them to files and pass their paths");
    }
    Map<String, Path> files = new LinkedHashMap<>();
    form.files().forEach((name, path) -> {
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException("job " + key + ": file " + name + " is not a readable file: " + path);
      }
      files.put(name, path.toAbsolutePath().normalize());
    });
    return settings.store().add(JobRecord.pending(key, endpoint.path(), form.fields(), files,
        settings.clock().instant()));
  }

  /**
   * Same as {@link #enqueue(String, Endpoint, Form)} with typed parameters: their endpoint and
   * {@link EndpointParams#toForm() form}. Inputs must be files.
   *
   * @throws IllegalArgumentException as for {@link #enqueue(String, Endpoint, Form)}
   */
  public JobRecord enqueue(String key, EndpointParams params) {
    Objects.requireNonNull(params, "params == null");
    return enqueue(key, params.endpoint(), params.toForm());
  }

  /**
   * The job with this key, or null if the store has none. Works on a runner that is not running, to
   * inspect a store after a crash.
   */
  public JobRecord job(String key) {
    Objects.requireNonNull(key, "key == null");
    return settings.store().find(key);
  }

  /**
   * Sends an {@link JobState#UNCERTAIN} or {@link JobState#FAILED} job again on the next run: the user's
   * explicit decision. The job becomes {@link JobState#PENDING}.
   *
   * <p>Check first, because a resubmit can be billed twice: an UNCERTAIN job's earlier submit may have
   * created a task. Look at {@link JobRecord#error()} (its HTTP status and request id) and search the
   * account's task history or the vendor's console for a task created for this input around
   * {@link JobRecord#updatedAt()}; if one exists, do not resubmit. A FAILED job was refused by the API's own
   * error answer (or never sent), so nothing was created; fix the input first, or it fails the same way.
   *
   * @return the job as now recorded
   * @throws IllegalArgumentException if no job has this key
   * @throws IllegalStateException if the job is neither UNCERTAIN nor FAILED
   */
  public JobRecord resubmit(String key) {
    checkOpen();
    JobRecord job = job(key);
    if (job == null) {
      throw new IllegalArgumentException("no job with key " + key);
    }
    if (job.state() != JobState.UNCERTAIN && job.state() != JobState.FAILED) {
      throw new IllegalStateException("job " + key + " is " + job.state() + "; only UNCERTAIN or FAILED jobs "
          + "can be resubmitted");
    }
    JobRecord again = job.reset(settings.clock().instant());
    settings.store().replace(job, again);
    return again;
  }

  /** The counts and keys of the store's jobs now, without running anything. */
  public JobReport report() {
    JobStore store = settings.store();
    return new JobReport(store.counts(), store.keysIn(JobState.FAILED), store.keysIn(JobState.UNCERTAIN),
        Duration.ZERO, null);
  }

  /**
   * Works through every unfinished job in the store (those enqueued now and those left by earlier runs)
   * until none is left, {@code timeout} passes, the runner is closed or the thread is interrupted (the flag
   * is restored). Then submits on their way are recorded, waits are dropped (their jobs stay
   * {@link JobState#SUBMITTED} and the next run resumes them), and the report is returned.
   *
   * @throws IllegalStateException if the runner is closed or another run is in progress
   */
  public JobReport runUntilDone(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout == null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    BatchRun run;
    synchronized (runLock) {
      checkOpen();
      if (current != null) {
        throw new IllegalStateException("a run is already in progress");
      }
      run = new BatchRun(settings, pacer);
      current = run;
    }
    try {
      return run.run(timeout);
    } finally {
      boolean closeStore;
      synchronized (runLock) {
        current = null;
        runLock.notifyAll();
        closeStore = closeStoreAtRunEnd;
      }
      if (closeStore) {
        settings.store().close();
      }
    }
  }

  /**
   * Ends a run in progress (waiting until submits on their way are recorded) and closes the store. The
   * client stays open. Closing again does nothing.
   *
   * <p>Called from one of the run's own threads (a {@link JobListener} callback, such as
   * {@link JobListener#onSubmitsStopped}), it only asks the run to end and returns at once, since waiting there
   * would wait for itself; {@link #runUntilDone} then returns soon and the store is closed as the run ends.
   */
  @Override
  public void close() {
    synchronized (runLock) {
      if (closed) {
        return;
      }
      closed = true;
      BatchRun run = current;
      if (run != null) {
        run.stop();
        if (run.isRunThread(Thread.currentThread())) {
          closeStoreAtRunEnd = true;
          return;
        }
      }
      boolean interrupted = false;
      while (current != null) {
        try {
          runLock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    settings.store().close();
  }

  @Override
  public String toString() {
    return "JobRunner{resultsDir=" + settings.resultsDir() + ", maxSubmitsInFlight=" + settings.maxSubmitsInFlight()
        + "}";
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("job runner is closed");
    }
  }

  /** Configures a {@link JobRunner}; not thread-safe. */
  public static final class Builder {
    private final AILabClient client;
    private JobStore store;
    private Path resultsDir;
    private int maxSubmitsInFlight = 4;
    private TaskPoller poller;
    private JobListener listener = new JobListener() { };
    private Clock clock = Clock.systemUTC();
    private boolean checkCreditsFirst;
    private int maxSubmitAttempts = 5;

    private Builder(AILabClient client) {
      this.client = client;
    }

    /** Where jobs are recorded (required); the runner closes it when closed. */
    public Builder store(JobStore store) {
      this.store = Objects.requireNonNull(store, "store == null");
      return this;
    }

    /** The directory result files land in, one subdirectory per job key (required; created if needed). */
    public Builder resultsDir(Path resultsDir) {
      this.resultsDir = Objects.requireNonNull(resultsDir, "resultsDir == null").toAbsolutePath().normalize();
      return this;
    }

    /** The most submits on their way at once (default 4; the vendor advises 3 to 10). */
    public Builder maxSubmitsInFlight(int maxSubmitsInFlight) {
      if (maxSubmitsInFlight < 1 || maxSubmitsInFlight > 256) {
        throw new IllegalArgumentException("maxSubmitsInFlight must be 1 to 256: " + maxSubmitsInFlight);
      }
      this.maxSubmitsInFlight = maxSubmitsInFlight;
      return this;
    }

    /** The poller that waits for submitted tasks (default: the client's {@link AILabClient#taskPoller()}). */
    public Builder poller(TaskPoller poller) {
      this.poller = Objects.requireNonNull(poller, "poller == null");
      return this;
    }

    /** Hears state changes, progress and stopped submits (default: none). */
    public Builder listener(JobListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener == null");
      return this;
    }

    /** Whether each run first asks for the credit balance and sends nothing when it is empty (default false). */
    public Builder checkCreditsFirst(boolean checkCreditsFirst) {
      this.checkCreditsFirst = checkCreditsFirst;
      return this;
    }

    /**
     * How many times a run sends a job's submit when each failure proved no task was created (5xx answers,
     * connection refused), with backoff, before leaving it {@link JobState#PENDING} for a later run; default 5.
     * Throttling answers do not count.
     */
    public Builder maxSubmitAttempts(int maxSubmitAttempts) {
      if (maxSubmitAttempts < 1) {
        throw new IllegalArgumentException("maxSubmitAttempts < 1: " + maxSubmitAttempts);
      }
      this.maxSubmitAttempts = maxSubmitAttempts;
      return this;
    }

    /** The clock that tells when results expire, 24 hours after submission (default: the system clock, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Builds the runner.
     *
     * @throws IllegalStateException if the store or the results directory is missing
     */
    public JobRunner build() {
      if (store == null) {
        throw new IllegalStateException("store required: JobStore.file(dir), JobStore.jdbc(dataSource) or "
            + "JobStore.inMemory()");
      }
      if (resultsDir == null) {
        throw new IllegalStateException("resultsDir required");
      }
      return new JobRunner(new RunSettings(client, store, resultsDir, maxSubmitsInFlight,
          poller == null ? client.taskPoller() : poller, listener, clock, checkCreditsFirst, maxSubmitAttempts));
    }
  }
}
