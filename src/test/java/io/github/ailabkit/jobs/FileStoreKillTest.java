package io.github.ailabkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.simulator.AILabSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store under {@code kill -9}: a child JVM runs a batch against the simulator in this JVM and is
 * killed at random moments, at least {@value #KILLS} times, restarted each time until the batch is done.
 * Every job must end COMPLETED with its file whole, or UNCERTAIN (no more than the kills); no input may
 * reach the simulator twice.
 */
class FileStoreKillTest {
  private static final int KILLS = 50;
  private static final int BATCH_STEP = 30;
  private static final byte[] PNG_END = {'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

  @TempDir Path dir;
  private Process current;

  @Test
  void everyJobEndsCompletedOrUncertainAndNoInputIsSubmittedTwice() throws Exception {
    Random random = new Random(13);
    Path inputs = Files.createDirectories(dir.resolve("in"));
    try (AILabSimulator sim = AILabSimulator.builder().queuedFor(Duration.ofMillis(10))
        .processingFor(Duration.ofMillis(40)).start()) {
      int batch = BATCH_STEP;
      JobFixtures.inputs(inputs, batch);
      Path archive = dir.resolve("child.jsa");
      Process warmUp = ChildJvm.start(List.of("-XX:ArchiveClassesAtExit=" + archive), BatchChild.class,
          sim.baseUrl(), sim.apiKey(), dir.resolve("warm-up-store").toString(), dir.resolve("warm-up").toString(),
          inputs.toString(), "2");
      assertThat(warmUp.waitFor(2, TimeUnit.MINUTES)).isTrue();
      List<String> jvmOptions = Files.exists(archive) ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
      sim.stats().reset();
      int kills = 0;
      int cleanExits = 0;
      while (true) {
        Process child = started(ChildJvm.start(jvmOptions, BatchChild.class, sim.baseUrl(), sim.apiKey(),
            dir.resolve("store").toString(), dir.resolve("results").toString(), inputs.toString(),
            Integer.toString(batch)));
        boolean started = ChildJvm.awaitLine(child, BatchChild.READY); // the store is open, the batch enqueued
        if (kills >= KILLS) {
          assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
          assertThat(child.exitValue()).isZero();
          break;
        }
        boolean exited = !started || child.waitFor(random.nextInt(600), TimeUnit.MILLISECONDS);
        if (exited) { // the batch finished before the kill: grow it, so the kills keep landing mid-work
          assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
          assertThat(child.exitValue()).as("child exit").isZero();
          cleanExits++;
          JobFixtures.inputs(inputs, batch + BATCH_STEP);
          batch += BATCH_STEP;
          continue;
        }
        child.destroyForcibly(); // SIGKILL
        child.waitFor();
        kills++;
      }

      assertThat(sim.stats().submitsByInput()).allSatisfy((input, submits) -> assertThat(submits).isOne());
      try (FileJobStore store = FileJobStore.open(dir.resolve("store"))) {
        assertThat(store.counts().keySet()).isSubsetOf(JobState.COMPLETED, JobState.UNCERTAIN);
        assertThat(store.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(batch);
        assertThat(store.keysIn(JobState.UNCERTAIN)).hasSizeLessThanOrEqualTo(kills);
        for (String key : store.keysIn(JobState.COMPLETED)) {
          JobRecord job = store.find(key);
          assertThat(job.resultFiles()).singleElement().satisfies(file -> {
            byte[] png = Files.readAllBytes(file);
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
            assertThat(Arrays.copyOfRange(png, png.length - PNG_END.length, png.length)).isEqualTo(PNG_END);
          });
        }
        System.out.printf("kill test: %d kills, %d clean exits, %d jobs, %d uncertain, %d submits%n", kills,
            cleanExits, batch, store.keysIn(JobState.UNCERTAIN).size(), sim.stats().submitsByInput().size());
      }
    }
  }

  @AfterEach
  void noChildLeftBehind() {
    if (current != null && current.isAlive()) {
      current.destroyForcibly();
    }
  }

  private Process started(Process child) {
    current = child;
    return child;
  }

  /** The child: enqueues the batch (known keys change nothing), says READY, runs it to the end. */
  public static final class BatchChild {
    static final String READY = "READY";

    public static void main(String[] args) throws Exception {
      Path inputs = Path.of(args[4]);
      int batch = Integer.parseInt(args[5]);
      try (AILabClient client = AILabClient.builder().baseUrl(args[0]).apiKey(args[1]).build();
           JobRunner runner = JobRunner.builder(client).store(FileJobStore.open(Path.of(args[2]), 16 * 1024))
               .resultsDir(Path.of(args[3])).maxSubmitsInFlight(3)
               .poller(io.github.ailabkit.TaskPoller.builder(client).interval(Duration.ofMillis(10)).build())
               .build()) {
        for (int i = 0; i < batch; i++) {
          runner.enqueue(JobFixtures.key(i), JobFixtures.ENDPOINT, JobFixtures.form(inputs.resolve("in-" + i + ".png")));
        }
        client.credits(); // a connection and the HTTP classes ready: a warm client, as in a long-running process
        System.out.println(READY);
        System.out.flush();
        JobReport report = runner.runUntilDone(Duration.ofMinutes(2));
        if (!report.isDone()) {
          System.err.println("batch not done: " + report.summary());
          System.exit(2);
        }
      }
    }
  }
}
