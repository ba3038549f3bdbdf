package io.github.ailabkit.examples;

import io.github.ailabkit.Endpoints;
import io.github.ailabkit.Form;
import io.github.ailabkit.jobs.JobListener;
import io.github.ailabkit.jobs.JobReport;
import io.github.ailabkit.jobs.JobRunner;
import io.github.ailabkit.jobs.JobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A durable batch: every image of a directory through background removal, each submitted once, results
 * kept in {@code ailab-batch/results/}. Press Ctrl-C at any moment and run it again: it resumes where it
 * stopped, never sending an input twice (its state is in {@code ailab-batch/jobs/}).
 *
 * <p>Usage: {@code BatchJobs [count | imageDir]}: a directory of your photos (needed with
 * {@code AILAB_API_KEY}: every image is a real, billed task), or how many sample images to make (default 20).
 *
 * <p>On the simulator, a new simulator starts with each run, but it keeps its tasks in
 * {@code ailab-batch/simulator-tasks.tsv}: jobs that were waiting when you pressed Ctrl-C are resumed and
 * their results fetched, as against the real API.
 */
public final class BatchJobs {
  private static final Path HOME = Path.of("ailab-batch");

  private BatchJobs() {
  }

  /** Runs the example. */
  public static void main(String[] args) throws IOException {
    Files.createDirectories(HOME);
    try (Connection connection = Connection.open(HOME.resolve("simulator-tasks.tsv"))) {
      List<Path> images = images(args, connection.isSimulated());
      JobRunner runner = JobRunner.builder(connection.client())
          .store(JobStore.file(HOME.resolve("jobs")))
          .resultsDir(HOME.resolve("results"))
          .maxSubmitsInFlight(4)
          .poller(connection.poller().build())
          .listener(new JobListener() {
            @Override
            public void onProgress(JobReport report) {
              System.out.print("\r  " + report.summary() + "   ");
              System.out.flush();
            }
          })
          .build();
      Thread stopOnCtrlC = new Thread(runner::close, "batch-jobs-shutdown");
      Runtime.getRuntime().addShutdownHook(stopOnCtrlC); // records submits on their way, then closes the store
      try (runner) {
        for (Path image : images) {
          runner.enqueue("bg/" + image.getFileName(), Endpoints.HD_UNIVERSAL_BACKGROUND_REMOVAL,
              Form.create().file("image", image)); // a known key changes nothing: safe to run again
        }
        System.out.println(images.size() + " jobs in " + HOME.resolve("jobs") + "; Ctrl-C stops, running again resumes");
        JobReport report = runner.runUntilDone(Duration.ofHours(2));
        System.out.println();
        System.out.println("Done in " + report.elapsed().toSeconds() + " s: " + report.summary());
        report.failedKeys().forEach(key -> System.out.println("  failed: " + key + " " + runner.job(key).error()));
        report.uncertainKeys().forEach(key -> System.out.println("  uncertain (may exist and be billed; check "
            + "before runner.resubmit): " + key));
        System.out.println("Results in " + HOME.resolve("results").toAbsolutePath());
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(stopOnCtrlC);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C: the hook is closing the runner
        }
      }
    }
  }

  private static List<Path> images(String[] args, boolean simulated) throws IOException {
    if (args.length > 0 && Files.isDirectory(Path.of(args[0]))) {
      try (Stream<Path> files = Files.list(Path.of(args[0]))) {
        return files.filter(f -> f.toString().matches("(?i).*\\.(png|jpe?g|bmp)")).sorted().toList();
      }
    }
    if (!simulated) {
      throw new IllegalArgumentException("with AILAB_API_KEY, pass a directory of your photos");
    }
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path dir = Files.createDirectories(HOME.resolve("inputs"));
    Path sample = SampleImages.fromArgsOrSample(new String[0], 0);
    for (int i = 0; i < count; i++) {
      Path image = dir.resolve("photo-" + i + ".png");
      if (!Files.exists(image)) {
        Files.copy(sample, image);
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().limit(count).toList();
    }
  }
}
