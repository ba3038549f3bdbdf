package io.github.ailabkit.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Failures the simulator injects, to test how an application copes with a flaky or refusing API.
 *
 * <pre>{@code
 * sim.faults()
 *     .failPolls(0.1, 503, "AI_SERVICE_FLOW_RESTRICTION")   // 10% of polls fail, transiently
 *     .failNextTasks(1, 422, "ERROR_NO_FACE_IN_FILE")       // the next task fails when polled
 *     .delay(Duration.ofMillis(200));                       // every answer comes 200 ms late
 * sim.faults().reset();
 * }</pre>
 *
 * <p>Reproducible: the random choices ({@link #failPolls}) come from one generator that
 * {@link #seed(long)} resets, so the same seed gives the same sequence of failures for the same sequence of
 * polls (the n-th poll served draws the n-th number). Unseeded, each simulator draws differently.
 *
 * <p>Thread-safe; settings may change while requests are served and apply from the next request on.
 * Error answers carry the code in the answer form of the path that was called (see {@link AILabSimulator}).
 */
public final class Faults {
  private volatile FractionOfPolls pollFraction;
  private final AtomicReference<Countdown> nextPolls = new AtomicReference<>();
  private final AtomicInteger rateLimited = new AtomicInteger();
  private final AtomicReference<Countdown> nextTasks = new AtomicReference<>();
  private final ConcurrentMap<String, Failure> failedTasks = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<MatchingTasks> failedTaskMatchers = new CopyOnWriteArrayList<>();
  private volatile Duration delay = Duration.ZERO;
  private volatile Random random = new Random();

  private record FractionOfPolls(double fraction, Failure failure) {
  }

  private record Countdown(int remaining, Failure failure) {
  }

  private record MatchingTasks(Predicate<String> taskIds, Failure failure) {
  }

  Faults() {
  }

  /**
   * Makes a random {@code fraction} of task polls fail with {@code status} and {@code code}, such as
   * {@code 503 AI_SERVICE_FLOW_RESTRICTION}, 500, 502 or 504. Zero turns it off; 1.0 fails every poll.
   *
   * @throws IllegalArgumentException if {@code fraction} is not within [0, 1], {@code status} is not
   *     within 400 to 599 or {@code code} is blank
   */
  public Faults failPolls(double fraction, int status, String code) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be within [0, 1]: " + fraction);
    }
    Failure failure = Failure.injected(status, code); // checks status and code even for a fraction of 0
    pollFraction = fraction == 0 ? null : new FractionOfPolls(fraction, failure);
    return this;
  }

  /**
   * Makes the random choices reproducible from now on: the generator restarts from {@code seed}, so a
   * test that fails with {@link #failPolls} can be run again with the same failures. {@link #reset()}
   * keeps the generator as it is.
   */
  public Faults seed(long seed) {
    this.random = new Random(seed);
    return this;
  }

  /** Makes the next {@code count} task polls fail with {@code status} and {@code code}; deterministic. */
  public Faults failNextPolls(int count, int status, String code) {
    nextPolls.set(countdown(count, Failure.injected(status, code)));
    return this;
  }

  /**
   * Answers the next {@code count} API requests (of any path; not result files) with 429
   * {@code EXCEEDING_LIMITS} and {@code Retry-After: 1}.
   */
  public Faults rateLimitNext(int count) {
    rateLimited.set(requireCount(count));
    return this;
  }

  /**
   * Makes every poll of one task answer {@code status} and {@code code}, such as 422
   * {@code ERROR_NO_FACE_IN_FILE}: the way the API reports a task that will never complete.
   */
  public Faults failTask(String taskId, int status, String code) {
    Objects.requireNonNull(taskId, "taskId == null");
    failedTasks.put(taskId, Failure.injected(status, code));
    return this;
  }

  /** Makes every poll of each task whose id matches answer {@code status} and {@code code}. */
  public Faults failTasks(Predicate<String> taskIds, int status, String code) {
    Objects.requireNonNull(taskIds, "taskIds == null");
    failedTaskMatchers.add(new MatchingTasks(taskIds, Failure.injected(status, code)));
    return this;
  }

  /** Makes the next {@code count} tasks submitted fail, as {@link #failTask} does, once polled. */
  public Faults failNextTasks(int count, int status, String code) {
    nextTasks.set(countdown(count, Failure.injected(status, code)));
    return this;
  }

  /**
   * Delays every answer, result files included, by {@code delay}; zero for none. A delayed answer
   * holds no worker thread while it waits.
   */
  public Faults delay(Duration delay) {
    Objects.requireNonNull(delay, "delay == null");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    this.delay = delay;
    return this;
  }

  /** Removes every fault: the simulator answers normally again. */
  public Faults reset() {
    pollFraction = null;
    nextPolls.set(null);
    rateLimited.set(0);
    nextTasks.set(null);
    failedTasks.clear();
    failedTaskMatchers.clear();
    delay = Duration.ZERO;
    return this;
  }

  // ---- read by the simulator, per request ----

  /** The failure to answer a poll with, if one is due now; consumes one of {@link #failNextPolls}. */
  Failure takePollFailure() {
    Failure next = take(nextPolls);
    if (next != null) {
      return next;
    }
    FractionOfPolls fraction = pollFraction;
    return fraction != null && random.nextDouble() < fraction.fraction()
        ? fraction.failure() : null;
  }

  /** Whether this request is rate limited; consumes one of {@link #rateLimitNext}. */
  boolean takeRateLimit() {
    return rateLimited.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  /** Called for each new task: applies a pending {@link #failNextTasks}. */
  void onTaskCreated(String taskId) {
    Failure failure = take(nextTasks);
    if (failure != null) {
      failedTasks.put(taskId, failure);
    }
  }

  /** The failure every poll of this task answers, or null. */
  Failure taskFailure(String taskId) {
    Failure failure = failedTasks.get(taskId);
    if (failure != null) {
      return failure;
    }
    for (MatchingTasks matcher : failedTaskMatchers) {
      if (matcher.taskIds().test(taskId)) {
        return matcher.failure();
      }
    }
    return null;
  }

  /** The current answer delay. */
  Duration delay() {
    return delay;
  }

  private static Countdown countdown(int count, Failure failure) {
    return requireCount(count) == 0 ? null : new Countdown(count, failure);
  }

  private static int requireCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    return count;
  }

  private static Failure take(AtomicReference<Countdown> countdown) {
    while (true) {
      Countdown current = countdown.get();
      if (current == null) {
        return null;
      }
      Countdown next = current.remaining() == 1 ? null : new Countdown(current.remaining() - 1, current.failure());
      if (countdown.compareAndSet(current, next)) {
        return current.failure();
      }
    }
  }

  @Override
  public String toString() {
    return "Faults{pollFraction=" + pollFraction + ", nextPolls=" + nextPolls.get() + ", rateLimited="
        + rateLimited.get() + ", nextTasks=" + nextTasks.get() + ", failedTasks=" + failedTasks.size()
        + ", failedTaskMatchers=" + failedTaskMatchers.size() + ", delay=" + delay + "}";
  }
}
