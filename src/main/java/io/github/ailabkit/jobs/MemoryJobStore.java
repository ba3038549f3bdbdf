package io.github.ailabkit.jobs;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The jobs of one process in a map, in the order they were added. The base of {@link FileJobStore}, which
 * makes each change durable through {@link #append} and {@link #awaitDurable}.
 */
class MemoryJobStore extends JobStore {
  private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
  private final Set<String> unclaimed = new LinkedHashSet<>();
  private final Set<String> claimed = new HashSet<>();
  private boolean closed;

  /**
   * Adds a new job without waiting for it to be durable: a PENDING job lost in a crash was never sent, and
   * enqueueing it again restores it. It is durable with the next change that is waited for (the journal is
   * written in order) or when the store closes.
   */
  @Override
  synchronized JobRecord add(JobRecord job) {
    checkOpen();
    JobRecord known = jobs.get(job.key());
    if (known != null) {
      return known;
    }
    put(job);
    append(job);
    return job;
  }

  @Override
  synchronized JobRecord find(String key) {
    return jobs.get(key);
  }

  /** Saves a job; if it cannot be made durable, the record in memory goes back to what it was. */
  @Override
  void save(JobRecord job) {
    long ticket;
    JobRecord before;
    synchronized (this) {
      checkOpen();
      before = jobs.get(job.key());
      put(job);
      try {
        ticket = append(job);
      } catch (RuntimeException e) {
        restore(job, before);
        throw e;
      }
    }
    try {
      awaitDurable(ticket);
    } catch (RuntimeException e) {
      synchronized (this) {
        restore(job, before);
      }
      throw e;
    }
  }

  /** Puts {@code before} back in place of {@code job}, unless another change replaced it meanwhile. */
  private void restore(JobRecord job, JobRecord before) {
    if (jobs.get(job.key()) == job && before != null) {
      put(before);
    }
  }

  @Override
  synchronized List<JobRecord> claim(int max, boolean includePending) {
    checkOpen();
    List<JobRecord> taken = new ArrayList<>();
    for (Iterator<String> keys = unclaimed.iterator(); keys.hasNext() && taken.size() < max; ) {
      JobRecord job = jobs.get(keys.next());
      if (includePending || job.state() != JobState.PENDING) {
        keys.remove();
        claimed.add(job.key());
        taken.add(job);
      }
    }
    return taken;
  }

  @Override
  boolean othersHoldWork() {
    return false;
  }

  @Override
  void renewClaims() {
  }

  @Override
  synchronized void releaseClaims() {
    for (String key : claimed) {
      if (!jobs.get(key).state().isFinal()) {
        unclaimed.add(key);
      }
    }
    claimed.clear();
  }

  @Override
  synchronized Map<JobState, Long> counts() {
    Map<JobState, Long> counts = new EnumMap<>(JobState.class);
    for (JobRecord job : jobs.values()) {
      counts.merge(job.state(), 1L, Long::sum);
    }
    return counts;
  }

  @Override
  synchronized List<String> keysIn(JobState state) {
    List<String> keys = new ArrayList<>();
    for (JobRecord job : jobs.values()) {
      if (job.state() == state) {
        keys.add(job.key());
      }
    }
    return keys;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  /** Every record, in the order added (for compaction); call with this store's lock held. */
  final Iterable<JobRecord> records() {
    return jobs.values();
  }

  /** Loads a record while opening, without writing it anywhere. */
  final synchronized void load(JobRecord job) {
    put(job);
  }

  /** Makes {@code job} durable eventually; returns a ticket for {@link #awaitDurable}. Called under the lock. */
  long append(JobRecord job) {
    return 0;
  }

  /** Returns once the change with this ticket is durable. Called without the lock. */
  void awaitDurable(long ticket) {
  }

  final synchronized boolean isClosed() {
    return closed;
  }

  private void put(JobRecord job) {
    jobs.put(job.key(), job);
    if (job.state().isFinal()) {
      unclaimed.remove(job.key());
    } else if (!claimed.contains(job.key())) {
      unclaimed.add(job.key());
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("job store is closed");
    }
  }
}
