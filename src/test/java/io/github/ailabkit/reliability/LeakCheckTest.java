package io.github.ailabkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.testing.LeakCheckExtension;
import io.github.ailabkit.testing.LeakDetector;
import io.github.ailabkit.testing.PollScript;
import io.github.ailabkit.testing.TestServers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The detectors behind {@link LeakCheckExtension}, which runs after every test class of the build: each is
 * shown to flag a deliberate leak (so a passing build means something) and to stay quiet otherwise.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeakCheckTest {
  @StartStop final MockWebServer server = PollScript.newServer();

  private final Logger okhttpLogger = Logger.getLogger(LeakDetector.OKHTTP_LOGGER);
  private OkHttpClient http;

  @BeforeEach
  void quietAndClean() {
    LeakDetector.get().drain();
    okhttpLogger.setUseParentHandlers(false); // the deliberate leak need not print a warning
  }

  @AfterEach
  void tearDown() {
    okhttpLogger.setUseParentHandlers(true);
    TestServers.shutDown(http);
  }

  @Test
  void theCheckRunsForEveryClassWithoutBeingRegisteredByIt() {
    // This class does not register the extension: only auto-detection can have started it for this class.
    assertThat(LeakCheckExtension.classesStarted()).isPositive();
    assertThat(java.util.ServiceLoader.load(org.junit.jupiter.api.extension.Extension.class).stream()
        .map(java.util.ServiceLoader.Provider::type)).contains(LeakCheckExtension.class);
  }

  @Test
  void aResponseNeverClosedIsReportedWithWhereItWasOpened() throws Exception {
    http = new OkHttpClient();
    server.enqueue(PollScript.status("leak", 1));

    openAndForget(http, server.url("/leaky").toString());
    List<String> leaks = LeakDetector.get().collect();

    assertThat(LeakDetector.get().lastCollectWasActive())
        .as("OkHttp's pool cleanup could be run directly (else the detector only waits and may miss leaks)").isTrue();
    assertThat(leaks).singleElement().asString()
        .contains("A connection to " + server.url("/"))
        .contains("was leaked")
        .contains(LeakCheckTest.class.getName() + ".openAndForget");
    assertThat(LeakDetector.get().collect()).as("each leak is reported once").isEmpty();
  }

  @Test
  void aClosedResponseIsNotReported() throws Exception {
    http = new OkHttpClient();
    server.enqueue(PollScript.status("closed", 1));

    try (Response response = http.newCall(new Request.Builder().url(server.url("/fine")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }

    assertThat(LeakDetector.get().collect()).isEmpty();
  }

  @Test
  void threadsOfAClientLeftOpenAreFoundAndThoseOfAClosedClientEnd() throws Exception {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    server.enqueue(PollScript.status("t", 2));
    AILabClient client = AILabClient.builder().apiKey("leak-check-key").baseUrl(server.url("/").toString()).build();
    try {
      TaskPoller.builder(client).initialDelay(Duration.ZERO).build().awaitCompletionAsync("t").get(5, TimeUnit.SECONDS);

      List<Thread> open = LeakCheckExtension.awaitSdkThreadsEnded(before, Duration.ofMillis(100));
      assertThat(open).as("a timer thread and an HTTP thread of the open client")
          .extracting(Thread::getName)
          .anyMatch(name -> name.startsWith("ailab-timer-"))
          .anyMatch(name -> name.startsWith("ailab-http-") || name.startsWith("OkHttp http"));
    } finally {
      client.close();
    }

    assertThat(LeakCheckExtension.awaitSdkThreadsEnded(before, LeakCheckExtension.THREAD_GRACE)).isEmpty();
  }

  @Test
  void threadsThatExistedBeforeAreNotBlamed() {
    AILabClient client = AILabClient.builder().apiKey("leak-check-key").baseUrl(server.url("/").toString()).build();
    try {
      client.taskPoller().awaitCompletionAsync("never-polled").cancel(false); // starts the timer thread
      Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());

      assertThat(LeakCheckExtension.sdkThreadsStartedSince(before)).isEmpty();
    } finally {
      client.close();
    }
  }

  /** Executes a call and drops its response without closing it. */
  private static void openAndForget(OkHttpClient http, String url) throws IOException {
    Response response = http.newCall(new Request.Builder().url(url).build()).execute();
    assertThat(response.code()).isEqualTo(200);
  }
}
