package io.github.ailabkit.jobs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Where a {@link JobRunner} records its jobs. Every change is durable (as far as the store goes) before
 * the runner acts on it, which is what lets a run resume after a crash without sending a submit twice.
 *
 * <ul>
 *   <li>{@link #inMemory()}: for tests and one-shot scripts; nothing survives the process.
 *   <li>{@link #file(Path)}: the embedded default, a crash-safe journal in a directory, used by one
 *       process at a time.
 *   <li>{@link #jdbc(DataSource)}: one PostgreSQL table shared by several processes or machines; jobs are
 *       leased to one runner at a time.
 * </ul>
 *
 * <p>A store belongs to one runner at a time; close it (or the runner) when done. Thread-safe.
 */
public abstract class JobStore implements AutoCloseable {
  JobStore() {
  }

  /** A store in memory: fast, shared by nothing, gone when the process ends. */
  public static JobStore inMemory() {
    return new MemoryJobStore();
  }

  /**
   * A store in {@code directory} (created if needed): an append-only journal, each change forced to disk
   * before it is acted on (changes arriving together share one {@code fsync}), compacted as it grows. A
   * torn last record (the process died while writing it) is dropped on opening. One process at a time: an
   * OS-level lock on {@code directory/lock} is held while the store is open and released when its process
   * dies, however it dies.
   *
   * @throws IllegalStateException if another live process (or another store in this one) holds the directory
   * @throws java.io.UncheckedIOException if the directory cannot be created or read
   */
  public static JobStore file(Path directory) {
    return FileJobStore.open(Objects.requireNonNull(directory, "directory == null"));
  }

  /**
   * A store in the PostgreSQL database behind {@code dataSource}, in the table {@code ailab_jobs} (created on
   * first use if missing; the DDL is in the README). Several runners, in any number of processes or machines,
   * may share it: each job is leased to one runner at a time and the lease is renewed while the runner lives;
   * a dead runner's lease expires after 30 seconds and another runner takes its jobs over (its
   * {@link JobState#SUBMITTING} jobs become {@link JobState#UNCERTAIN}).
   *
   * <p>Uses only {@code java.sql}; bring the driver and, if you like, a pool.
   *
   * @throws IllegalStateException if the table cannot be created or read
   */
  public static JobStore jdbc(DataSource dataSource) {
    return jdbc(dataSource, Duration.ofSeconds(30));
  }

  /**
   * Same as {@link #jdbc(DataSource)} with another lease: how long a runner that stopped renewing (it died,
   * or lost the database) keeps its jobs before another runner may take them over. Shorter leases hand work
   * over sooner; each runner renews its leases about twice a second.
   *
   * @throws IllegalArgumentException if {@code lease} is shorter than 1 second
   * @throws IllegalStateException if the table cannot be created or read
   */
  public static JobStore jdbc(DataSource dataSource, Duration lease) {
    Objects.requireNonNull(dataSource, "dataSource == null");
    return JdbcJobStore.open(dataSource, Objects.requireNonNull(lease, "lease == null"));
  }

  // ---- what a runner needs from a store (not API: the set of stores is closed) ----

  /**
   * Adds a job unless its key is known; returns the stored record either way. Durable on return, or (file
   * store) with the next durable change: a PENDING job lost in a crash was never sent and is enqueued again.
   */
  abstract JobRecord add(JobRecord job);

  /** The job with this key, or null. */
  abstract JobRecord find(String key);

  /**
   * Replaces a job's record; durable on return.
   *
   * @throws LostClaimException if another runner took the job over meanwhile (shared stores only)
   */
  abstract void save(JobRecord job);

  /**
   * Claims up to {@code max} unfinished jobs that no live runner holds, for this store's runner, and returns
   * them; a job is claimed once until {@link #releaseClaims()}.
   *
   * @param includePending whether {@link JobState#PENDING} jobs may be claimed (false once submits stopped)
   */
  abstract List<JobRecord> claim(int max, boolean includePending);

  /**
   * Replaces {@code previous} by {@code next}; durable on return. A shared store refuses the change unless
   * the job is still in {@code previous}'s state and held by this runner (or nobody), except that a task id
   * is never lost: {@code SUBMITTING → SUBMITTED} is always recorded, and hands the job to whichever runner
   * claims it next if this one lost its lease.
   *
   * @throws LostClaimException if the change was refused
   */
  void replace(JobRecord previous, JobRecord next) {
    save(next);
  }

  /** Whether another live runner holds unfinished jobs (which this one may have to take over if it dies). */
  abstract boolean othersHoldWork();

  /** Keeps this runner's claims alive; called regularly during a run. */
  abstract void renewClaims();

  /** Gives up every claim of this runner (end of a run): unfinished jobs become claimable again. */
  abstract void releaseClaims();

  /** The number of jobs in each state. */
  abstract Map<JobState, Long> counts();

  /** The keys of the jobs in this state, in the order they were added. */
  abstract List<String> keysIn(JobState state);

  /** Releases the store (its lock, files or connections). Closing again does nothing. */
  @Override
  public abstract void close();
}
