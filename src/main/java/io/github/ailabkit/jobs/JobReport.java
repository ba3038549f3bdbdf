package io.github.ailabkit.jobs;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run left behind: how many jobs are in each state, which need attention, and how long it took.
 *
 * @param counts the number of jobs in each state (every state present, zero included)
 * @param failedKeys the keys of {@link JobState#FAILED} jobs
 * @param uncertainKeys the keys of {@link JobState#UNCERTAIN} jobs: look them up before
 *     {@link JobRunner#resubmit(String) resubmitting}
 * @param elapsed how long the run took
 * @param submitsStoppedReason why new submits were stopped (for example the account ran out of credits),
 *     or null when they were not; the jobs not sent are still {@link JobState#PENDING}
 */
public record JobReport(Map<JobState, Long> counts, List<String> failedKeys, List<String> uncertainKeys,
    Duration elapsed, String submitsStoppedReason) {

  /** Fills in missing states with zero and takes immutable copies. */
  public JobReport {
    Map<JobState, Long> all = new EnumMap<>(JobState.class);
    for (JobState state : JobState.values()) {
      all.put(state, Objects.requireNonNull(counts, "counts == null").getOrDefault(state, 0L));
    }
    counts = Collections.unmodifiableMap(all);
    failedKeys = List.copyOf(failedKeys);
    uncertainKeys = List.copyOf(uncertainKeys);
    Objects.requireNonNull(elapsed, "elapsed == null");
  }

  /** The number of jobs in this state. */
  public long count(JobState state) {
    return counts.get(Objects.requireNonNull(state, "state == null"));
  }

  /** The number of jobs in the store. */
  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Whether every job is in a final state. */
  public boolean isDone() {
    return count(JobState.PENDING) + count(JobState.SUBMITTING) + count(JobState.SUBMITTED) == 0;
  }

  /** Whether the run stopped sending new submits; see {@link #submitsStoppedReason()}. */
  public boolean submitsStopped() {
    return submitsStoppedReason != null;
  }

  /** One line for a progress display, such as {@code 12/40 completed, 1 failed, 0 uncertain}. */
  public String summary() {
    return count(JobState.COMPLETED) + "/" + total() + " completed, " + count(JobState.SUBMITTED) + " waiting, "
        + count(JobState.PENDING) + " pending, " + count(JobState.FAILED) + " failed, "
        + count(JobState.UNCERTAIN) + " uncertain, " + count(JobState.EXPIRED) + " expired"
        + (submitsStopped() ? " (submits stopped: " + submitsStoppedReason + ")" : "");
  }
}
