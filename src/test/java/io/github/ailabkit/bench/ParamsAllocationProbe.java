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
 * built for each call), in alternating order within one JVM, counting the bytes every thread allocates
 * per call. Reports the median of each.
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
      long[] typedBytes = new long[rounds];
      long[] genericBytes = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        boolean typedFirst = i % 2 == 0; // neither variant always follows the other
        if (typedFirst) {
          typedBytes[i] = allocatedDuring(typed);
          genericBytes[i] = allocatedDuring(generic);
        } else {
          genericBytes[i] = allocatedDuring(generic);
          typedBytes[i] = allocatedDuring(typed);
        }
      }
      ObjectNode out = Fixtures.MAPPER.createObjectNode();
      out.put("rounds", rounds);
      out.put("typedMedian", median(typedBytes));
      out.put("genericMedian", median(genericBytes));
      out.put("typedMin", Arrays.stream(typedBytes).min().orElse(0));
      out.put("genericMin", Arrays.stream(genericBytes).min().orElse(0));
      Fixtures.emit(out);
    }
  }

  /** Bytes allocated by all threads of the JVM while {@code action} runs. */
  private static long allocatedDuring(Runnable action) {
    long before = allocatedByAllThreads();
    action.run();
    return allocatedByAllThreads() - before;
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
