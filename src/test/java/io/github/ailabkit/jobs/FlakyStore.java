package io.github.ailabkit.jobs;

import java.util.concurrent.atomic.AtomicInteger;

/** The in-memory store, except that its next few writes of one state fail as a database that is briefly down. */
final class FlakyStore extends MemoryJobStore {
  private final JobState failing;
  private final AtomicInteger failuresLeft;
  final AtomicInteger failures = new AtomicInteger();

  FlakyStore(JobState failing, int failures) {
    this.failing = failing;
    this.failuresLeft = new AtomicInteger(failures);
  }

  @Override
  void save(JobRecord job) {
    if (job.state() == failing && failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      failures.incrementAndGet();
      throw new IllegalStateException("job store: cannot write jobs: connection refused");
    }
    super.save(job);
  }
}
