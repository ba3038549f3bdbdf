package io.github.ailabkit.jobs;

import java.time.Duration;
import javax.sql.DataSource;

/** Placeholder until the PostgreSQL store lands on this branch. */
final class JdbcJobStore {
  static final String TABLE = "ailab_jobs";
  static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  private JdbcJobStore() {
  }

  static JobStore open(DataSource dataSource, Duration lease) {
    throw new UnsupportedOperationException("JobStore.jdbc is not available yet");
  }
}
