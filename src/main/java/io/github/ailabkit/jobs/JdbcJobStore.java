package io.github.ailabkit.jobs;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Jobs in one PostgreSQL table shared by any number of runners. Each row holds the job's record as JSON,
 * its state, and the runner that holds it with the end of its lease. A runner claims unfinished jobs that
 * nobody holds, or whose holder's lease expired, with {@code FOR UPDATE SKIP LOCKED} (so two runners never
 * claim the same job), renews its leases while it runs, and changes a job only while it still holds it (or
 * nobody does). Uses {@code java.sql} only; every operation is one auto-committed statement on a connection
 * taken from the data source and given back at once. Times are the database's, so runners' clocks may differ.
 */
final class JdbcJobStore extends JobStore {
  static final String TABLE = "ailab_jobs";

  /** The table, as created on first use (also in the README). */
  static final String DDL = """
      CREATE TABLE IF NOT EXISTS ailab_jobs (
        job_key     text        PRIMARY KEY,
        seq         bigserial   NOT NULL,
        state       text        NOT NULL,
        record      text        NOT NULL,
        owner       text,
        lease_until timestamptz,
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX IF NOT EXISTS ailab_jobs_unfinished ON ailab_jobs (seq)
        WHERE state IN ('PENDING', 'SUBMITTING', 'SUBMITTED')""";

  /** The row is held by this runner ({@code ?} is its name), by nobody, or by a runner whose lease expired. */
  private static final String HELD = "(owner = ? OR owner IS NULL OR lease_until < now())";
  private static final String UNFINISHED = "state IN ('PENDING', 'SUBMITTING', 'SUBMITTED')";
  private static final long SCHEMA_LOCK = 0x41494c61624a6f62L; // "AILabJob"

  private final DataSource dataSource;
  private final long leaseMillis;
  private final String owner;

  private JdbcJobStore(DataSource dataSource, Duration lease) {
    this.dataSource = dataSource;
    this.leaseMillis = lease.toMillis();
    this.owner = ownerName();
  }

  static JobStore open(DataSource dataSource, Duration lease) {
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("lease must be at least 1 second: " + lease);
    }
    JdbcJobStore store = new JdbcJobStore(dataSource, lease);
    store.createTable();
    return store;
  }

  /** This runner's name in the {@code owner} column: process id, host and a random part. */
  String owner() {
    return owner;
  }

  private static String ownerName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | SecurityException e) {
      host = "unknown-host";
    }
    return ProcessHandle.current().pid() + "@" + host + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  private void createTable() {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")"); // one creator at a time
        for (String ddl : DDL.split(";")) {
          statement.execute(ddl);
        }
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw failure("create or check the table " + TABLE, e);
    }
  }

  @Override
  JobRecord add(JobRecord job) {
    int inserted = update("INSERT INTO ailab_jobs (job_key, state, record) VALUES (?, ?, ?) "
        + "ON CONFLICT (job_key) DO NOTHING", job.key(), job.state().name(), RecordCodec.encode(job));
    return inserted == 1 ? job : find(job.key());
  }

  @Override
  JobRecord find(String key) {
    List<JobRecord> found = records("SELECT record FROM ailab_jobs WHERE job_key = ?", key);
    return found.isEmpty() ? null : found.get(0);
  }

  @Override
  void save(JobRecord job) {
    int updated = update("UPDATE ailab_jobs SET state = ?, record = ?, updated_at = now() WHERE job_key = ? "
        + "AND " + HELD, job.state().name(), RecordCodec.encode(job), job.key(), owner);
    if (updated == 0) {
      throw new LostClaimException(job.key());
    }
  }

  /**
   * The compare-and-set of {@link JobStore#replace}: the row must still be in {@code previous}'s state and held
   * here (or by nobody), except that a task id always wins over the row of the same submit attempt, whether it
   * is still {@code SUBMITTING} or was already marked {@code UNCERTAIN} by a runner that took the job over.
   */
  @Override
  void replace(JobRecord previous, JobRecord next) {
    boolean taskId = next.state() == JobState.SUBMITTED && previous.state() == JobState.SUBMITTING;
    int updated = update("UPDATE ailab_jobs SET state = ?, record = ?, updated_at = now(), "
        + "owner = CASE WHEN " + HELD + " THEN owner END, lease_until = CASE WHEN " + HELD + " THEN lease_until END "
        + "WHERE job_key = ? AND (state = ? AND " + HELD + " OR ? AND state IN ('SUBMITTING', 'UNCERTAIN') "
        + "AND (record::jsonb ->> 'attempts')::int = ?)",
        next.state().name(), RecordCodec.encode(next), owner, owner, next.key(), previous.state().name(), owner,
        taskId, next.attempts());
    if (updated == 0) {
      throw new LostClaimException(next.key());
    }
  }

  @Override
  List<JobRecord> claim(int max, boolean includePending) {
    String states = includePending ? UNFINISHED : "state IN ('SUBMITTING', 'SUBMITTED')";
    return records("UPDATE ailab_jobs SET owner = ?, lease_until = now() + ? * interval '1 millisecond' "
        + "WHERE job_key IN (SELECT job_key FROM ailab_jobs WHERE " + states
        + " AND (owner IS NULL OR lease_until < now()) AND owner IS DISTINCT FROM ? ORDER BY seq LIMIT ? "
        + "FOR UPDATE SKIP LOCKED) RETURNING record", owner, leaseMillis, owner, max);
  }

  @Override
  boolean othersHoldWork() {
    boolean[] held = new boolean[1];
    query("SELECT EXISTS (SELECT 1 FROM ailab_jobs WHERE " + UNFINISHED
        + " AND owner IS NOT NULL AND owner <> ? AND lease_until >= now())", rows -> held[0] = rows.next()
        && rows.getBoolean(1), owner);
    return held[0];
  }

  @Override
  void renewClaims() {
    update("UPDATE ailab_jobs SET lease_until = now() + ? * interval '1 millisecond' WHERE owner = ? AND "
        + UNFINISHED, leaseMillis, owner);
  }

  @Override
  void releaseClaims() {
    update("UPDATE ailab_jobs SET owner = NULL, lease_until = NULL WHERE owner = ?", owner);
  }

  @Override
  Map<JobState, Long> counts() {
    Map<JobState, Long> counts = new EnumMap<>(JobState.class);
    query("SELECT state, count(*) FROM ailab_jobs GROUP BY state", rows -> {
      while (rows.next()) {
        counts.put(JobState.valueOf(rows.getString(1)), rows.getLong(2));
      }
    });
    return counts;
  }

  @Override
  List<String> keysIn(JobState state) {
    List<String> keys = new ArrayList<>();
    query("SELECT job_key FROM ailab_jobs WHERE state = ? ORDER BY seq", rows -> {
      while (rows.next()) {
        keys.add(rows.getString(1));
      }
    }, state.name());
    return keys;
  }

  @Override
  public void close() {
    // Holds no connection; claims are released at the end of each run.
  }

  @Override
  public String toString() {
    return "JobStore.jdbc(owner=" + owner + ")";
  }

  // ---- plumbing ----

  private interface RowReader {
    void read(ResultSet rows) throws SQLException;
  }

  private List<JobRecord> records(String sql, Object... parameters) {
    List<JobRecord> records = new ArrayList<>();
    query(sql, rows -> {
      while (rows.next()) {
        records.add(RecordCodec.decode(rows.getString(1)));
      }
    }, parameters);
    return records;
  }

  private void query(String sql, RowReader reader, Object... parameters) {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = prepare(connection, sql, parameters);
         ResultSet rows = statement.executeQuery()) {
      reader.read(rows);
    } catch (SQLException e) {
      throw failure("read jobs", e);
    }
  }

  private int update(String sql, Object... parameters) {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = prepare(connection, sql, parameters)) {
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw failure("write jobs", e);
    }
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
      throws SQLException {
    if (!connection.getAutoCommit()) {
      connection.setAutoCommit(true);
    }
    PreparedStatement statement = connection.prepareStatement(sql);
    for (int i = 0; i < parameters.length; i++) {
      statement.setObject(i + 1, parameters[i]);
    }
    return statement;
  }

  private static IllegalStateException failure(String what, SQLException e) {
    return new IllegalStateException("job store: cannot " + what + " in table " + TABLE + ": " + e.getMessage(), e);
  }
}
