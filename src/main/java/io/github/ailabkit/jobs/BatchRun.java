package io.github.ailabkit.jobs;

import io.github.ailabkit.AILabApiException;
import io.github.ailabkit.AsyncTask;
import io.github.ailabkit.Credits;
import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.Form;
import io.github.ailabkit.TaskFailedException;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of {@link JobRunner#runUntilDone(Duration)}: claims jobs from the store, sends the pending ones
 * on {@code maxSubmitsInFlight} submit threads (write-ahead: {@code SUBMITTING} is durable before the submit
 * leaves, the task id before anything else), waits for submitted ones with the poller (no thread held per
 * task), and keeps their results on a few result threads. Ends when nothing is left to do, at the deadline,
 * or on {@link #stop()}; then submits on their way get their answers recorded, waits are dropped (their jobs
 * stay {@code SUBMITTED}, resumed by the next run) and claims are released.
 */
final class BatchRun {
  private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);
  private static final Duration TICK = Duration.ofMillis(500);
  private static final Duration RESULT_RETRY = Duration.ofSeconds(2);
  private static final int RESULT_ATTEMPTS = 3;
  private static final Duration WAIT_AGAIN = Duration.ofSeconds(1);
  private static final Duration TASK_ID_FIRST_RETRY = Duration.ofMillis(100);
  private static final Duration TASK_ID_MAX_RETRY = Duration.ofSeconds(30);
  private static final Duration TASK_ID_RETRY_FOR = Duration.ofMinutes(5);

  private final RunSettings settings;
  private final JobStore store;
  private final SubmitPacer pacer;
  private final ResultKeeper keeper;
  private final BlockingQueue<JobRecord> toSubmit = new LinkedBlockingQueue<>();
  private final Set<CompletableFuture<TaskResult>> waits = ConcurrentHashMap.newKeySet();
  private final AtomicInteger active = new AtomicInteger();
  private final Set<Thread> runThreads = ConcurrentHashMap.newKeySet();
  /** Per job key, the submits of this run that failed in a way worth retrying (throttling does not count). */
  private final Map<String, Integer> retryableFailures = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ExecutorService submitters;
  private final ExecutorService finishers;
  private final ScheduledExecutorService timer;
  private volatile boolean ending;
  private volatile String stopReason;

  BatchRun(RunSettings settings, SubmitPacer pacer) {
    this.settings = settings;
    this.store = settings.store();
    this.pacer = pacer;
    this.keeper = new ResultKeeper(settings.client(), settings.resultsDir());
    this.submitters = Executors.newFixedThreadPool(settings.maxSubmitsInFlight(), threads("ailab-jobs-submit"));
    this.finishers = Executors.newFixedThreadPool(Math.max(2, settings.maxSubmitsInFlight()),
        threads("ailab-jobs-result"));
    this.timer = Executors.newSingleThreadScheduledExecutor(threads("ailab-jobs-timer"));
  }

  /** Runs until done, {@code timeout} passed, {@link #stop()} or an interrupt; returns the report. */
  JobReport run(Duration timeout) {
    long started = System.nanoTime();
    long deadline = started + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
    runThreads.add(Thread.currentThread());
    try {
      if (settings.checkCreditsFirst()) {
        checkCredits();
      }
      for (int i = 0; i < settings.maxSubmitsInFlight(); i++) {
        submitters.execute(this::submitLoop);
      }
      long nextProgress = 0;
      while (!ending) {
        boolean claimed = claimMore();
        if (!claimed && active.get() == 0 && !store.othersHoldWork()) {
          break;
        }
        long now = System.nanoTime();
        if (now - deadline >= 0) {
          break;
        }
        if (now - nextProgress >= 0) {
          store.renewClaims();
          notifyProgress(report(started));
          nextProgress = now + TICK.toNanos();
        }
        awaitChange(Math.min(TICK.toNanos(), deadline - now));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      end();
    }
    JobReport report = report(started);
    notifyProgress(report);
    return report;
  }

  /** Asks the run to end soon, as at its deadline. */
  void stop() {
    ending = true;
    signal();
  }

  JobReport report(long startedNanos) {
    return new JobReport(store.counts(), store.keysIn(JobState.FAILED), store.keysIn(JobState.UNCERTAIN),
        Duration.ofNanos(System.nanoTime() - startedNanos), stopReason);
  }

  // ---- claiming ----

  /** Claims jobs until the submit queue holds enough; true if any job was claimed. */
  private boolean claimMore() {
    boolean any = false;
    int lowWater = 2 * settings.maxSubmitsInFlight() + 16;
    while (!ending && toSubmit.size() < lowWater) {
      List<JobRecord> jobs = store.claim(lowWater, stopReason == null);
      if (jobs.isEmpty()) {
        break;
      }
      any = true;
      active.addAndGet(jobs.size());
      jobs.forEach(this::dispatch);
    }
    return any;
  }

  private void dispatch(JobRecord job) {
    switch (job.state()) {
      case PENDING -> toSubmit.add(job);
      case SUBMITTING -> finish(job, job.ended(JobState.UNCERTAIN, new JobError(0, JobError.ABANDONED,
          "the process submitting this job stopped before the submit's answer was recorded: the task may exist", ""),
          now()));
      case SUBMITTED -> await(job);
      default -> settle();
    }
  }

  // ---- submitting ----

  private void submitLoop() {
    try {
      while (!ending) {
        JobRecord job = toSubmit.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
        if (job == null) {
          continue;
        }
        if (!maySubmit()) {
          settle(); // stays PENDING for a later run
          continue;
        }
        if (awaitPace(pacer.reserve())) {
          submit(job);
        } else {
          settle(); // the run ended or submits stopped during the wait: stays PENDING for a later run
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("submit thread stopped by an unexpected failure", e);
      stop();
    }
    drainUnsent();
  }

  /**
   * Waits out the pacer's {@code wait}, waking at every change (stop, deadline, submits stopped) and at least
   * every {@link #TICK}; true if the submit may still go out.
   */
  private boolean awaitPace(Duration wait) throws InterruptedException {
    long until = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      for (long left = wait.toNanos(); left > 0 && maySubmit(); left = until - System.nanoTime()) {
        changed.awaitNanos(Math.min(left, TICK.toNanos()));
      }
    } finally {
      lock.unlock();
    }
    return maySubmit();
  }

  private boolean maySubmit() {
    return !ending && stopReason == null;
  }

  private void submit(JobRecord job) {
    Endpoint endpoint = Endpoints.forPath(job.endpointPath()).orElse(null);
    if (endpoint == null) {
      finish(job, job.ended(JobState.FAILED, new JobError(0, JobError.INVALID_INPUT,
          "no endpoint at " + job.endpointPath(), ""), now()));
      return;
    }
    Form form = Form.create();
    job.fields().forEach(form::field);
    job.files().forEach(form::file);
    JobRecord sending = record(job, job.submitting(now())); // write-ahead: durable before the submit leaves
    if (sending == null) {
      settle();
      return;
    }
    AsyncTask task;
    try {
      task = settings.client().submit(endpoint, form);
    } catch (RuntimeException failure) {
      onSubmitFailed(job, sending, SubmitVerdict.of(failure));
      return;
    }
    pacer.onAccepted();
    JobRecord submitted = recordTaskId(sending, sending.submitted(task.taskId(), task.submittedAt(),
        task.requestId(), now()));
    if (submitted == null) {
      settle();
      return;
    }
    await(submitted);
  }

  /**
   * Records a created task's id. The id is the only link to a billed task, so a store failure does not lose it
   * at once: the write is tried again with backoff (from {@link #TASK_ID_FIRST_RETRY}, doubling up to 30 s) for
   * up to {@link #TASK_ID_RETRY_FOR}, even while the run ends. Null if it could not be recorded.
   */
  private JobRecord recordTaskId(JobRecord sending, JobRecord submitted) {
    long giveUpAt = System.nanoTime() + TASK_ID_RETRY_FOR.toNanos();
    long delayMillis = TASK_ID_FIRST_RETRY.toMillis();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          store.replace(sending, submitted);
          onStateChange(sending, submitted);
          return submitted;
        } catch (LostClaimException e) {
          LOG.error("job {}: task {} was created but the job changed meanwhile ({}); not recorded", submitted.key(),
              submitted.taskId(), e.getMessage());
          return null;
        } catch (RuntimeException e) {
          if (System.nanoTime() - giveUpAt >= 0) {
            LOG.error("job {}: task {} was created but could not be recorded for {}; the job will be UNCERTAIN",
                submitted.key(), submitted.taskId(), TASK_ID_RETRY_FOR, e);
            stop();
            return null;
          }
          LOG.warn("job {}: task {} was created but is not recorded yet ({}); trying again in {} ms",
              submitted.key(), submitted.taskId(), e.toString(), delayMillis);
        }
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          interrupted = true; // keep trying: the task id matters more than a prompt end
        }
        delayMillis = Math.min(TASK_ID_MAX_RETRY.toMillis(), delayMillis * 2);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void onSubmitFailed(JobRecord job, JobRecord sending, SubmitVerdict verdict) {
    Instant now = now();
    switch (verdict.outcome()) {
      case FAILED -> finish(sending, (JobError.INVALID_INPUT.equals(verdict.error().code()) ? job : sending)
          .ended(JobState.FAILED, verdict.error(), now));
      case UNCERTAIN -> finish(sending, sending.ended(JobState.UNCERTAIN, verdict.error(), now));
      case STOP_SUBMITS -> {
        stopSubmits(verdict.error().code() + ": " + verdict.error().message());
        finish(sending, sending.reset(now));
      }
      case THROTTLED -> {
        pacer.onThrottled(verdict.pause());
        requeue(record(sending, sending.reset(now)), Duration.ZERO);
      }
      case RETRY -> {
        int failures = retryableFailures.merge(job.key(), 1, Integer::sum);
        if (failures >= settings.maxSubmitAttempts()) {
          LOG.warn("job {}: submit not accepted after {} attempts in this run ({}); it stays PENDING for a later run",
              job.key(), failures, verdict.error().message());
          finish(sending, sending.reset(now));
        } else {
          requeue(record(sending, sending.reset(now)), backoff(failures));
        }
      }
    }
  }

  private void requeue(JobRecord job, Duration delay) {
    if (job == null) {
      settle();
      return;
    }
    if (delay.isZero()) {
      toSubmit.add(job);
    } else {
      schedule(() -> toSubmit.add(job), delay, job);
    }
  }

  private static Duration backoff(int attempts) {
    return Duration.ofSeconds(Math.min(30, 1L << Math.min(5, attempts - 1)));
  }

  private void stopSubmits(String reason) {
    synchronized (this) {
      if (stopReason != null) {
        return;
      }
      stopReason = reason;
    }
    signal();
    LOG.warn("new submits stopped: {}", reason);
    try {
      settings.listener().onSubmitsStopped(reason);
    } catch (RuntimeException e) {
      LOG.warn("job listener failed", e);
    }
    drainUnsent();
  }

  private void checkCredits() {
    Credits credits = settings.client().credits();
    if (credits.totalBalance() < 1) {
      stopSubmits("the account has no credits left (balance " + credits.totalBalance() + ")");
    }
  }

  private void drainUnsent() {
    for (JobRecord job; (job = toSubmit.poll()) != null; ) {
      settle();
    }
  }

  // ---- waiting and keeping results ----

  private void await(JobRecord job) {
    if (isExpired(job)) {
      finish(job, expired(job));
      return;
    }
    TaskPoller poller = settings.poller();
    CompletableFuture<TaskResult> wait;
    try {
      wait = poller.awaitCompletionAsync(job.taskId(), job.submittedAt());
    } catch (IllegalArgumentException e) {
      LOG.warn("job {}: cannot wait for task {}: {}; it stays SUBMITTED", job.key(), job.taskId(), e.toString());
      settle();
      return;
    } catch (RuntimeException e) {
      LOG.warn("job {}: cannot wait for task {} now: {}; waiting again in {}", job.key(), job.taskId(),
          e.toString(), WAIT_AGAIN);
      awaitAgain(job);
      return;
    }
    waits.add(wait);
    wait.whenComplete((result, failure) -> {
      waits.remove(wait);
      execute(() -> onTaskEnded(job, result, unwrap(failure), 1), job);
    });
  }

  private void onTaskEnded(JobRecord job, TaskResult result, Throwable failure, int attempt) {
    if (ending) {
      settle();
    } else if (failure == null) {
      keepResults(job, result, attempt);
    } else if (failure instanceof TaskFailedException failed) {
      finish(job, isExpired(job) && (failed.httpStatus() == 404 || failed.httpStatus() == 410)
          ? expired(job)
          : job.ended(JobState.FAILED, new JobError(failed.httpStatus(), failed.errorCode(), failed.getMessage(),
              failed.requestId()), now()));
    } else if (failure instanceof TaskTimeoutException && isExpired(job)) {
      finish(job, expired(job));
    } else if (failure instanceof CancellationException) {
      settle();
    } else {
      LOG.warn("job {}: wait for task {} ended: {}; waiting again in {}", job.key(), job.taskId(), failure.toString(),
          WAIT_AGAIN);
      awaitAgain(job);
    }
  }

  /**
   * Waits for a job's task again after {@link #WAIT_AGAIN}: a wait that ended before the results expired (a
   * poller timeout shorter than 24 hours, polls that kept failing) leaves work the run must not end without.
   */
  private void awaitAgain(JobRecord job) {
    if (ending) {
      settle();
    } else {
      schedule(() -> await(job), WAIT_AGAIN, job);
    }
  }

  private void keepResults(JobRecord job, TaskResult result, int attempt) {
    try {
      List<java.nio.file.Path> files = keeper.keep(job.key(), result);
      finish(job, job.completed(files, KeptAnswer.json(result, files), now()));
    } catch (RuntimeException e) {
      if (isExpired(job)) {
        finish(job, expired(job));
      } else if (attempt < RESULT_ATTEMPTS) {
        LOG.warn("job {}: results not kept yet ({}), trying again", job.key(), e.toString());
        schedule(() -> execute(() -> onTaskEnded(job, result, null, attempt + 1), job), RESULT_RETRY, job);
      } else {
        LOG.warn("job {}: results not kept ({}); it stays SUBMITTED for the next run", job.key(), e.toString());
        settle();
      }
    }
  }

  private boolean isExpired(JobRecord job) {
    return !now().isBefore(job.submittedAt().plus(TaskPoller.RESULT_RETENTION));
  }

  private JobRecord expired(JobRecord job) {
    return job.ended(JobState.EXPIRED, new JobError(0, JobError.RESULTS_EXPIRED, "the results of task "
        + job.taskId() + " were deleted 24 hours after submission (" + job.submittedAt() + ") before they were kept",
        ""), now());
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  // ---- bookkeeping ----

  /** Saves {@code next} and tells the listener; null if the store refused (the job is then settled). */
  private JobRecord record(JobRecord previous, JobRecord next) {
    try {
      store.replace(previous, next);
    } catch (RuntimeException e) {
      if (e instanceof LostClaimException) {
        LOG.warn(e.getMessage());
      } else {
        LOG.error("job {}: cannot record state {}; stopping the run", next.key(), next.state(), e);
        stop();
      }
      return null;
    }
    onStateChange(previous, next);
    return next;
  }

  private void onStateChange(JobRecord previous, JobRecord next) {
    if (previous.state() != next.state()) {
      try {
        settings.listener().onStateChange(next, previous.state());
      } catch (RuntimeException e) {
        LOG.warn("job listener failed", e);
      }
    }
  }

  /** Records {@code next} (if the store allows) and settles the job. */
  private void finish(JobRecord previous, JobRecord next) {
    record(previous, next);
    settle();
  }

  /** The run is done with a job (for now): it reached a final state, or stays as it is until a later run. */
  private void settle() {
    active.decrementAndGet();
    signal();
  }

  private void execute(Runnable step, JobRecord job) {
    try {
      finishers.execute(step);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      settle();
    }
  }

  private void schedule(Runnable step, Duration delay, JobRecord job) {
    try {
      timer.schedule(step, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      settle();
    }
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void awaitChange(long nanos) throws InterruptedException {
    lock.lock();
    try {
      changed.awaitNanos(nanos);
    } finally {
      lock.unlock();
    }
  }

  private void notifyProgress(JobReport report) {
    try {
      settings.listener().onProgress(report);
    } catch (RuntimeException e) {
      LOG.warn("job listener failed", e);
    }
  }

  private Instant now() {
    return settings.clock().instant();
  }

  /** Ends the run: lets submits on their way finish and be recorded, drops waits, releases claims. */
  private void end() {
    ending = true;
    signal();
    timer.shutdownNow();
    submitters.shutdown();
    awaitQuietly(submitters);
    waits.forEach(wait -> wait.cancel(false));
    finishers.shutdown();
    awaitQuietly(finishers);
    store.releaseClaims();
  }

  private static void awaitQuietly(ExecutorService executor) {
    boolean interrupted = Thread.interrupted();
    try {
      while (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.info("waiting for submits and result downloads on their way");
      }
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether {@code thread} is one of this run's: the one running it, or a submit, result or timer thread. */
  boolean isRunThread(Thread thread) {
    return runThreads.contains(thread);
  }

  private ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      runThreads.add(thread);
      return thread;
    };
  }
}
