package io.github.ailabkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.simulator.AILabSimulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three runner processes share one batch in PostgreSQL; one is killed ({@code kill -9}) midway while it holds
 * jobs, and the other two take them over when its lease expires and finish the batch. No input reaches the
 * simulator twice.
 */
class JdbcRunnersKillTest {
  private static final int JOBS = 60;
  private static final String DATABASE = "jobs_runners";

  @TempDir Path dir;

  @Test
  void survivorsFinishTheJobsOfAKilledRunnerAndNoInputIsSubmittedTwice() throws Exception {
    DataSource database = Postgres.freshDatabase(DATABASE);
    Path inputs = Files.createDirectories(dir.resolve("in"));
    JobFixtures.inputs(inputs, JOBS);
    List<Process> runners = new ArrayList<>();
    try (AILabSimulator sim = AILabSimulator.builder().queuedFor(Duration.ofMillis(50))
        .processingFor(Duration.ofMillis(600)).start()) {
      String[] args = {sim.baseUrl(), sim.apiKey(), Integer.toString(Postgres.server().getPort()), DATABASE,
          dir.resolve("results").toString(), inputs.toString(), Integer.toString(JOBS)};
      List<String> owners = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runners.add(ChildJvm.start(RunnerChild.class, args));
      }
      for (Process runner : runners) {
        String line = new BufferedReader(new InputStreamReader(runner.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        assertThat(line).as("runner start").startsWith("OWNER ");
        owners.add(line.substring("OWNER ".length()));
      }
      for (Process runner : runners) { // all three enqueued the batch: start them together
        runner.getOutputStream().write("GO\n".getBytes(StandardCharsets.UTF_8));
        runner.getOutputStream().flush();
      }
      int[] victimIndex = {-1};
      try {
        awaitCondition(() -> {
          if (count(database, "state = 'COMPLETED'") < JOBS / 5) {
            return false;
          }
          for (int i = 0; i < owners.size(); i++) { // kill a runner that holds a submitted task right now
            if (count(database, "owner = '" + owners.get(i) + "' AND state = 'SUBMITTED'") >= 1) {
              victimIndex[0] = i;
              return true;
            }
          }
          return false;
        });
      } catch (AssertionError e) {
        throw new AssertionError("no runner held a waiting job midway: completed " + count(database,
            "state = 'COMPLETED'") + " of " + JOBS, e);
      }
      String victim = owners.get(victimIndex[0]);
      runners.get(victimIndex[0]).destroyForcibly().waitFor();
      List<String> orphaned = keys(database, "owner = '" + victim + "' AND state IN ('PENDING', 'SUBMITTING', "
          + "'SUBMITTED')");

      for (Process survivor : runners) {
        if (survivor == runners.get(victimIndex[0])) {
          continue;
        }
        assertThat(survivor.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(survivor.exitValue()).isZero();
      }
      assertThat(orphaned).isNotEmpty();
      assertThat(count(database, "state NOT IN ('COMPLETED', 'UNCERTAIN')")).isZero();
      assertThat(count(database, "state = 'UNCERTAIN'")).isLessThanOrEqualTo(2); // the victim's submits in flight
      assertThat(keys(database, "state = 'COMPLETED'")).hasSizeGreaterThanOrEqualTo(JOBS - 2)
          .containsAll(keys(database, "job_key IN ('" + String.join("','", orphaned) + "') AND state <> 'UNCERTAIN'"));
      assertThat(sim.stats().submitsByInput()).allSatisfy((input, submits) -> assertThat(submits).isOne());
      try (var results = Files.walk(dir.resolve("results"))) {
        assertThat(results.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".png")).count())
            .isEqualTo(count(database, "state = 'COMPLETED'"));
      }
    } finally {
      runners.stream().filter(Process::isAlive).forEach(Process::destroyForcibly); // never leave a child behind
    }
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void awaitCondition(Condition condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!condition.holds()) {
      assertThat(System.nanoTime()).as("condition within 2 minutes").isLessThan(deadline);
      Thread.sleep(20); // polling a condition, bounded by a generous deadline
    }
  }

  private static long count(DataSource database, String where) throws Exception {
    return keys(database, where).size();
  }

  private static List<String> keys(DataSource database, String where) throws Exception {
    List<String> keys = new ArrayList<>();
    try (Connection connection = database.getConnection();
         PreparedStatement statement = connection.prepareStatement("SELECT job_key FROM ailab_jobs WHERE " + where);
         ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        keys.add(rows.getString(1));
      }
    }
    return keys;
  }

  /** One runner process: enqueues the whole batch (known keys change nothing), then runs until it is done. */
  public static final class RunnerChild {
    public static void main(String[] args) throws Exception {
      Path inputs = Path.of(args[5]);
      int jobs = Integer.parseInt(args[6]);
      JobStore store = JobStore.jdbc(Postgres.dataSource(Integer.parseInt(args[2]), args[3]), Duration.ofSeconds(4));
      try (AILabClient client = AILabClient.builder().baseUrl(args[0]).apiKey(args[1]).build();
           JobRunner runner = JobRunner.builder(client).store(store).resultsDir(Path.of(args[4]))
               .maxSubmitsInFlight(2).poller(TaskPoller.builder(client).interval(Duration.ofMillis(20)).build())
               .build()) {
        for (int i = 0; i < jobs; i++) {
          runner.enqueue(JobFixtures.key(i), JobFixtures.ENDPOINT, JobFixtures.form(inputs.resolve("in-" + i + ".png")));
        }
        System.out.println("OWNER " + ((JdbcJobStore) store).owner());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine(); // GO
        JobReport report = runner.runUntilDone(Duration.ofMinutes(3));
        if (!report.isDone()) {
          System.err.println("batch not done: " + report.summary());
          System.exit(2);
        }
      }
    }
  }
}
