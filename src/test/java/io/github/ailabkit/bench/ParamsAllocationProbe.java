package io.github.ailabkit.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.Form;
import io.github.ailabkit.params.UniversalBackgroundRemovalParams;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Forked by {@link BenchmarkSuite}: the same 5 MB upload sent through the typed face
 * ({@code client.backgroundRemoval().universalBackgroundRemoval(params)}, the params built for each call)
 * and through the generic path ({@code client.call(Endpoints.UNIVERSAL_BACKGROUND_REMOVAL, form)}, the form
 * built for each call), in alternating order within one JVM, counting the bytes the calling thread (and
 * all threads) allocate per call. Reports the median of each.
 *
 * <p>Arguments: {@code baseUrl file rounds}.
 */
public final class ParamsAllocationProbe {
  private ParamsAllocationProbe() {
  }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[1]);
    int rounds = Integer.parseInt(args[2]);
    try (AILabClient client = AILabClient.builder().apiKey(Fixtures.API_KEY).baseUrl(args[0]).build()) {
      Runnable typed = () -> client.backgroundRemoval().universalBackgroundRemoval(
          UniversalBackgroundRemovalParams.builder().image(file).build());
      Runnable generic = () -> client.call(Endpoints.UNIVERSAL_BACKGROUND_REMOVAL, Form.create().file("image", file));
      for (int i = 0; i < 5; i++) { // load classes and warm the connection code outside the measurement
        typed.run();
        generic.run();
      }
      long[][] typedBytes = new long[2][rounds];
      long[][] genericBytes = new long[2][rounds];
      for (int i = 0; i < rounds; i++) {
        boolean typedFirst = i % 2 == 0; // neither variant always follows the other
        if (typedFirst) {
          measure(typed, typedBytes, i);
          measure(generic, genericBytes, i);
        } else {
          measure(generic, genericBytes, i);
          measure(typed, typedBytes, i);
        }
      }
      ObjectNode out = Fixtures.MAPPER.createObjectNode();
      out.put("rounds", rounds);
      out.put("typedMedian", median(typedBytes[0]));
      out.put("genericMedian", median(genericBytes[0]));
      out.put("typedMin", Arrays.stream(typedBytes[0]).min().orElse(0));
      out.put("genericMin", Arrays.stream(genericBytes[0]).min().orElse(0));
      out.put("typedAllThreadsMedian", median(typedBytes[1]));
      out.put("genericAllThreadsMedian", median(genericBytes[1]));
      Fixtures.emit(out);
    }
  }

  /**
   * Bytes allocated while {@code action} runs: by the calling thread, which does all of a blocking call's
   * work, into {@code into[0][round]}, and by all threads (background ones included) into
   * {@code into[1][round]}.
   */
  private static void measure(Runnable action, long[][] into, int round) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allBefore = allocatedByAllThreads();
    long before = threads.getCurrentThreadAllocatedBytes();
    action.run();
    into[0][round] = threads.getCurrentThreadAllocatedBytes() - before;
    into[1][round] = allocatedByAllThreads() - allBefore;
  }

  private static long allocatedByAllThreads() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      total += Math.max(0, bytes);
    }
    return total;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
