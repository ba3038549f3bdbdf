package io.github.ailabkit.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After every test class, fails the class if it left something behind:
 * <ul>
 *   <li>an SDK thread ({@code ailab-http-*}, {@code ailab-timer-*}, {@code ailab-complete-*}, or an SDK dispatcher thread OkHttp
 *       renamed while running a call) started during the class and still alive {@link #THREAD_GRACE} after
 *       the class ended, that is, a client that was not closed, or whose {@code close()} does not stop its
 *       threads;</li>
 *   <li>a response that was never closed, as OkHttp reports it once collected (see {@link LeakDetector}).</li>
 * </ul>
 *
 * <p>Registered for every class through JUnit's extension auto-detection
 * ({@code src/test/resources/junit-platform.properties} and
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}). A class that keeps threads on
 * purpose opts out with {@link LeakCheckSkip}. Only threads started during the class count, so one class's
 * leak is never blamed on the next. Assumes test classes run one at a time (the build's setting).
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {
  /** How long SDK threads of closed clients get to end. */
  public static final Duration THREAD_GRACE = Duration.ofSeconds(2);

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
      LeakCheckExtension.class);
  private static final String THREADS_BEFORE = "threadsBefore";
  private static final AtomicInteger CLASSES_STARTED = new AtomicInteger();

  /** Test classes this extension has seen start in this JVM; zero means it is not registered. */
  public static int classesStarted() {
    return CLASSES_STARTED.get();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    CLASSES_STARTED.incrementAndGet();
    List<String> earlier = LeakDetector.get().drain();
    if (!earlier.isEmpty()) {
      System.err.println("LeakCheckExtension: OkHttp reported leaked responses between test classes (before "
          + context.getRequiredTestClass().getName() + "), from an earlier class:\n  " + String.join("\n  ", earlier));
    }
    context.getStore(NAMESPACE).put(THREADS_BEFORE, Set.copyOf(Thread.getAllStackTraces().keySet()));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    LeakCheckSkip skip = skipOf(testClass);
    @SuppressWarnings("unchecked")
    Set<Thread> before = context.getStore(NAMESPACE).get(THREADS_BEFORE, Set.class);
    List<String> problems = new ArrayList<>();
    if (skip == null || !skip.threads()) {
      List<Thread> alive = awaitSdkThreadsEnded(before == null ? Set.of() : before, THREAD_GRACE);
      if (!alive.isEmpty()) {
        problems.add(alive.size() + " SDK thread(s) still alive " + THREAD_GRACE.toMillis()
            + " ms after the class ended (a client not closed?):\n" + describe(alive));
      }
    }
    if (skip == null || !skip.responses()) {
      List<String> leaks = LeakDetector.get().collect();
      if (!leaks.isEmpty()) {
        problems.add(leaks.size() + " response(s) never closed:\n  " + String.join("\n  ", leaks));
      }
    }
    if (skip != null) {
      System.err.println("LeakCheckExtension: " + testClass.getName() + " skips the "
          + (skip.threads() && skip.responses() ? "thread and response" : skip.threads() ? "thread" : "response")
          + " check: " + skip.reason());
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("Leak check after " + testClass.getName() + ": " + String.join("; ", problems)
          + "\n(opt out on purpose with @" + LeakCheckSkip.class.getSimpleName() + ")");
    }
  }

  /**
   * SDK threads not in {@code before} that are still alive once {@code grace} has passed, polling every 10 ms;
   * empty as soon as none is left.
   */
  public static List<Thread> awaitSdkThreadsEnded(Set<Thread> before, Duration grace) {
    long end = System.nanoTime() + grace.toNanos();
    while (true) {
      List<Thread> alive = sdkThreadsStartedSince(before);
      if (alive.isEmpty() || System.nanoTime() - end > 0) {
        return alive;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return sdkThreadsStartedSince(before);
      }
    }
  }

  /** Live SDK threads that are not in {@code before}. */
  public static List<Thread> sdkThreadsStartedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t) && isSdkThread(t))
        .collect(Collectors.toList());
  }

  /**
   * Whether a thread is the SDK's: its timer ({@code ailab-timer-N}), a completion thread
   * ({@code ailab-complete-N}) or one of its HTTP dispatcher
   * threads ({@code ailab-http-N}; OkHttp renames a dispatcher thread {@code OkHttp <url>} while it runs a
   * call, and only the SDK's dispatcher threads are daemons).
   */
  public static boolean isSdkThread(Thread thread) {
    String name = thread.getName();
    return name.startsWith("ailab-timer-") || name.startsWith("ailab-complete-") || name.startsWith("ailab-http-")
        || (name.startsWith("OkHttp http") && thread.isDaemon());
  }

  private static String describe(List<Thread> threads) {
    StringBuilder text = new StringBuilder();
    for (Thread thread : threads) {
      text.append("  ").append(thread.getName()).append(" (").append(thread.getState()).append(')');
      StackTraceElement[] stack = thread.getStackTrace();
      for (int i = 0; i < Math.min(stack.length, 6); i++) {
        text.append("\n      at ").append(stack[i]);
      }
      text.append('\n');
    }
    return text.toString();
  }

  private static LeakCheckSkip skipOf(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      LeakCheckSkip skip = c.getAnnotation(LeakCheckSkip.class);
      if (skip != null) {
        return skip;
      }
    }
    return null;
  }
}
