package io.github.ailabkit.jobs;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A real PostgreSQL 14 for the JDBC store's tests, started once per test JVM from Maven's embedded binaries. */
final class Postgres {
  private static EmbeddedPostgres server;

  private Postgres() {
  }

  /** The running server, started on first use and stopped when the JVM exits. */
  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // the JVM is exiting
        }
      }));
    }
    return server;
  }

  /** A data source for a fresh database named {@code name} (created if missing, emptied otherwise). */
  static DataSource freshDatabase(String name) throws Exception {
    DataSource admin = server().getPostgresDatabase();
    try (var connection = admin.getConnection(); var statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      statement.execute("CREATE DATABASE " + name);
    }
    return dataSource(server().getPort(), name);
  }

  /** A plain data source (no pool) for a database on a local server. */
  static DataSource dataSource(int port, String database) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setServerNames(new String[] {"127.0.0.1"});
    source.setPortNumbers(new int[] {port});
    source.setDatabaseName(database);
    source.setUser("postgres");
    return source;
  }
}
