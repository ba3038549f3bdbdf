package io.github.ailabkit.testing;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AILabEventListener;
import io.github.ailabkit.ExchangeEvent;
import io.github.ailabkit.TaskPoller;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;

/**
 * Runs inside a class loader that has no Micrometer jar (see {@code WithoutMicrometerTest}): builds a
 * client with an event listener, makes a call and a wait against a local server, and reports what it saw.
 */
public final class WithoutMicrometerProbe implements Callable<String> {
  @Override
  public String call() throws Exception {
    boolean micrometerVisible;
    try {
      Class.forName("io.micrometer.core.instrument.MeterRegistry");
      micrometerVisible = true;
    } catch (ClassNotFoundException expected) {
      micrometerVisible = false;
    }
    AtomicInteger exchanges = new AtomicInteger();
    AILabEventListener counting = new AILabEventListener() {
      @Override
      public void onExchange(ExchangeEvent event) {
        exchanges.incrementAndGet();
      }
    };
    try (MockWebServer server = PollScript.newServer()) {
      server.setDispatcher(new PollScript().statuses("task-1", 1, 2));
      server.start();
      try (AILabClient client = AILabClient.builder().apiKey("probe-key").baseUrl(server.url("/").toString())
          .eventListener(counting).build()) {
        String first = client.getTaskResult("task-1").taskStatus().name();
        TaskPoller poller = TaskPoller.builder(client).initialDelay(Duration.ZERO).build();
        String waited = poller.awaitCompletion("task-1").taskStatus().name();
        return "micrometerVisible=" + micrometerVisible + " first=" + first + " waited=" + waited
            + " exchanges=" + exchanges.get();
      }
    }
  }
}
