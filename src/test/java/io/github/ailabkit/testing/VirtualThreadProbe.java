package io.github.ailabkit.testing;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.TaskPoller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * The virtual-thread scenario, run by {@code VirtualThreadPinningTest} in a child JVM of Java 21 or newer:
 * {@value #THREADS} virtual threads each make one blocking query and one blocking wait against a local
 * server while JFR records every {@code jdk.VirtualThreadPinned} event (threshold 0, so even a short pin
 * counts) and every virtual-thread start (to prove the recording saw the threads). Prints one line,
 * {@code calls=N waits=N started=N pinned=N jdkPollerPinned=N classLoadingPinned=N}, followed by the reason
 * and stack of each pinned event. Counted apart: pins of the JDK's own I/O poller thread, which runs no
 * code of ours, and pins while the JVM loads or initializes a class (see {@link #isClassLoading}).
 *
 * <p>Before the 10,000 start, one virtual thread makes one call and one wait, as an application's first
 * request does. The first calls of a fresh JVM load and initialize classes (OkHttp's, Jackson's, the SDK's),
 * and a virtual thread that waits for another thread to finish loading or initializing a class is pinned by
 * the JVM whatever the code does (JEP 491 leaves that case); a first run without this warm-up showed 33 such
 * one-time pins, all under class loading or a class initializer, and none in the SDK's own locking. The
 * warm-up makes them rare (a class first needed by concurrent new connections may still race); they are
 * counted apart, and every other pin fails the test. The recording covers the warm-up too.
 *
 * <p>Compiled for Java 17 like the rest of the project, so the Java 21 API is reached by reflection. At
 * most {@value #CONNECTIONS} blocking calls run at once (a semaphore, which a virtual thread waits on
 * without pinning): each blocking call needs its own connection, and the test server has a thread per
 * connection. The waits all run at once; their polls are asynchronous.
 */
public final class VirtualThreadProbe {
  static final int THREADS = 10_000;
  static final int CONNECTIONS = 64;

  private VirtualThreadProbe() {
  }

  /** Runs the scenario; {@code args[0]} is where the JFR recording is written. */
  public static void main(String[] args) throws Exception {
    Path jfr = Path.of(args[0]);
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger waits = new AtomicInteger();
    try (Recording recording = new Recording(); MockWebServer server = PollScript.newServer()) {
      recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
      recording.enable("jdk.VirtualThreadStart");
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return PollScript.status(String.valueOf(request.getUrl().queryParameter("task_id")), 2);
        }
      });
      server.start();
      recording.start();
      try (AILabClient client = AILabClient.builder().apiKey("vt-key").baseUrl(server.url("/").toString()).build()) {
        TaskPoller poller = TaskPoller.builder(client).interval(Duration.ofMillis(1)).initialDelay(Duration.ZERO)
            .maxPollsPerSecond(1_000_000).maxPollsInFlight(8).build();
        Semaphore connections = new Semaphore(CONNECTIONS);
        ExecutorService virtual = newVirtualThreadPerTaskExecutor();
        virtual.submit(() -> client.getTaskResult("warm-up").isCompleted()
            && poller.awaitCompletion("warm-up").isCompleted()).get();
        try {
          for (int i = 0; i < THREADS; i++) {
            String taskId = "task-" + i;
            virtual.execute(() -> {
              try {
                connections.acquire();
                try {
                  if (client.getTaskResult(taskId).isCompleted()) {
                    calls.incrementAndGet();
                  }
                } finally {
                  connections.release();
                }
                if (poller.awaitCompletion(taskId).isCompleted()) {
                  waits.incrementAndGet();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                e.printStackTrace();
              }
            });
          }
        } finally {
          virtual.shutdown();
          virtual.awaitTermination(4, java.util.concurrent.TimeUnit.MINUTES);
        }
      }
      recording.stop();
      recording.dump(jfr);
    }
    int started = 0;
    int pinned = 0;
    int jdkPollerPinned = 0;
    int classLoadingPinned = 0;
    StringBuilder stacks = new StringBuilder();
    for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
      switch (event.getEventType().getName()) {
        case "jdk.VirtualThreadStart" -> started++;
        case "jdk.VirtualThreadPinned" -> {
          if (isJdkPoller(event)) {
            jdkPollerPinned++;
          } else if (isClassLoading(event)) {
            classLoadingPinned++;
          } else {
            pinned++;
            stacks.append(reason(event)).append(' ').append(event.getStackTrace()).append('\n');
          }
        }
        default -> { }
      }
    }
    Files.deleteIfExists(jfr);
    System.out.println("calls=" + calls + " waits=" + waits + " started=" + started + " pinned=" + pinned
        + " jdkPollerPinned=" + jdkPollerPinned + " classLoadingPinned=" + classLoadingPinned);
    System.out.print(stacks);
  }

  /**
   * Whether a pinned event comes from the JDK's own I/O poller, which on Linux runs as a virtual thread in
   * {@code sun.nio.ch.Poller} and parks pinned by design: no code of the SDK or the scenario is on its stack.
   */
  private static boolean isJdkPoller(RecordedEvent event) {
    return event.getStackTrace() != null && event.getStackTrace().getFrames().stream()
        .allMatch(frame -> !frame.getMethod().getType().getName().startsWith("io.github.ailabkit")
            && !frame.getMethod().getType().getName().startsWith("okhttp3"))
        && event.getStackTrace().getFrames().stream()
        .anyMatch(frame -> frame.getMethod().getType().getName().startsWith("sun.nio.ch.Poller"));
  }

  /**
   * Whether the JVM pinned the thread for reasons of its own: while it loaded or initialized a class, or
   * waited for another thread to (JDK 24+ names this reason, "native frame or {@code <clinit>} on stack"; the
   * SDK has no native code; on older JDKs the class loader is on the stack), or inside a critical section of
   * the JDK itself. Never an SDK lock: those pin with a monitor reason on JDK 21-23 and not at all later.
   */
  private static boolean isClassLoading(RecordedEvent event) {
    String reason = reason(event).toLowerCase(java.util.Locale.ROOT);
    // "(2)" is HotSpot's freeze_pinned_cs: a critical section of the JDK's own (Continuation.pin()), seen
    // here under ReferenceQueue.poll and Okio's first buffer of a new connection, never an SDK lock.
    return reason.contains("clinit") || reason.contains("native") || reason.contains("failed (2)")
        || (event.getStackTrace() != null && event.getStackTrace().getFrames().stream()
            .anyMatch(frame -> frame.getMethod().getType().getName().equals("java.lang.ClassLoader")
                && frame.getMethod().getName().equals("loadClass")));
  }

  /** The pinned reason JDK 24+ records, or empty. */
  private static String reason(RecordedEvent event) {
    return event.hasField("pinnedReason") && event.getString("pinnedReason") != null
        ? event.getString("pinnedReason") : "";
  }

  /** {@code Executors.newVirtualThreadPerTaskExecutor()}, a Java 21 method. */
  private static ExecutorService newVirtualThreadPerTaskExecutor() throws ReflectiveOperationException {
    return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
  }
}
