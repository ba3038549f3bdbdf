package io.github.ailabkit.simulator;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulator received, so tests can assert how a client behaved: how often it polled each
 * task, submitted to each endpoint, and whether the API key ever reached the result-file host.
 *
 * <pre>{@code
 * assertThat(sim.stats().polls(task.taskId())).isLessThanOrEqualTo(3);
 * assertThat(sim.stats().filesRequestedWithKey()).isZero();
 * }</pre>
 *
 * <p>Requests are counted when they arrive, whatever the answer (errors and injected faults included).
 * Thread-safe; {@link #snapshot()} copies the counters for assertions on several at once.
 */
public final class Stats {
  private final LongAdder requests = new LongAdder();
  private final ConcurrentMap<String, LongAdder> pollsByTask = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> submitsByPath = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> submitsByInput = new ConcurrentHashMap<>();
  private final LongAdder filesServed = new LongAdder();
  private final LongAdder filesRequestedWithKey = new LongAdder();

  /**
   * The counters at one moment.
   *
   * @param totalRequests every request received, result files included
   * @param pollsByTask task queries per task id
   * @param submitsByPath {@code POST}s per endpoint path
   * @param filesServed result files served successfully
   * @param filesRequestedWithKey result-file requests that carried an {@code ailabapi-api-key} header
   */
  public record Snapshot(long totalRequests, Map<String, Long> pollsByTask, Map<String, Long> submitsByPath,
      long filesServed, long filesRequestedWithKey) {

    /** Copies the maps, sorted by key. */
    public Snapshot {
      pollsByTask = Collections.unmodifiableMap(new TreeMap<>(pollsByTask));
      submitsByPath = Collections.unmodifiableMap(new TreeMap<>(submitsByPath));
    }

    /** Task queries for this task id. */
    public long polls(String taskId) {
      return pollsByTask.getOrDefault(taskId, 0L);
    }

    /** {@code POST}s to this endpoint path. */
    public long submits(String path) {
      return submitsByPath.getOrDefault(path, 0L);
    }
  }

  Stats() {
  }

  /** Every request received, result files included. */
  public long totalRequests() {
    return requests.sum();
  }

  /** Task queries ({@code GET /api/common/query-async-task-result}) for this task id. */
  public long polls(String taskId) {
    Objects.requireNonNull(taskId, "taskId == null");
    LongAdder count = pollsByTask.get(taskId);
    return count == null ? 0 : count.sum();
  }

  /** {@code POST}s to this endpoint path, such as {@code Endpoints.HAIRSTYLE_EDITOR_PRO.path()}. */
  public long submits(String path) {
    Objects.requireNonNull(path, "path == null");
    LongAdder count = submitsByPath.get(path);
    return count == null ? 0 : count.sum();
  }

  /**
   * Well-formed submits per input, to check that a client never sent the same input twice. An input is
   * told by its fingerprint: the endpoint path, then each file part's field name, size and first bytes
   * (hashed), so inputs must differ in size or first bytes to be told apart.
   */
  public Map<String, Long> submitsByInput() {
    return sums(submitsByInput);
  }

  /** Result files served successfully. */
  public long filesServed() {
    return filesServed.sum();
  }

  /**
   * Result-file requests that carried an {@code ailabapi-api-key} header (any value). The real files
   * live on a storage host, so a client should never send them the key: expect zero.
   */
  public long filesRequestedWithKey() {
    return filesRequestedWithKey.sum();
  }

  /** A copy of every counter. */
  public Snapshot snapshot() {
    return new Snapshot(requests.sum(), sums(pollsByTask), sums(submitsByPath), filesServed.sum(),
        filesRequestedWithKey.sum());
  }

  /** Sets every counter back to zero. */
  public void reset() {
    requests.reset();
    pollsByTask.clear();
    submitsByPath.clear();
    submitsByInput.clear();
    filesServed.reset();
    filesRequestedWithKey.reset();
  }

  @Override
  public String toString() {
    return "Stats{totalRequests=" + totalRequests() + ", polledTasks=" + pollsByTask.size() + ", submitsByPath="
        + sums(submitsByPath) + ", filesServed=" + filesServed() + ", filesRequestedWithKey="
        + filesRequestedWithKey() + "}";
  }

  // ---- counted by the simulator ----

  void request() {
    requests.increment();
  }

  void poll(String taskId) {
    pollsByTask.computeIfAbsent(taskId, id -> new LongAdder()).increment();
  }

  void submit(String path) {
    submitsByPath.computeIfAbsent(path, p -> new LongAdder()).increment();
  }

  void submitInput(String path, List<Multipart.Part> parts) {
    StringBuilder fingerprint = new StringBuilder(path);
    for (Multipart.Part part : parts) {
      if (part.isFile()) {
        fingerprint.append(' ').append(part.name()).append(':').append(part.size()).append(':')
            .append(Integer.toHexString(Arrays.hashCode(part.head())));
      }
    }
    submitsByInput.computeIfAbsent(fingerprint.toString(), f -> new LongAdder()).increment();
  }

  void fileServed() {
    filesServed.increment();
  }

  void fileRequestedWithKey() {
    filesRequestedWithKey.increment();
  }

  private static Map<String, Long> sums(Map<String, LongAdder> counters) {
    Map<String, Long> sums = new TreeMap<>();
    counters.forEach((key, count) -> sums.put(key, count.sum()));
    return sums;
  }
}
