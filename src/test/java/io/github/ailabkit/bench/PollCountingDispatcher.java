package io.github.ailabkit.bench;

import java.util.IntSummaryStatistics;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Answers task polls by how often each {@code task_id} was polled: queued, then processing, then
 * completed (and completed again for any later poll, which is counted too). Ids starting with
 * {@value #DONE_PREFIX} are completed at once.
 */
final class PollCountingDispatcher extends Dispatcher {
  private static final MockResponse QUEUED = json("{\"task_status\":0}");
  private static final MockResponse PROCESSING = json("{\"task_status\":1}");
  private static final MockResponse COMPLETED =
      json("{\"task_status\":2,\"data\":{\"image\":\"https://files.example/x.png\"}}");
  private static final MockResponse NOT_FOUND = new MockResponse.Builder().code(404)
      .addHeader("Content-Type", "application/json")
      .body("{\"error_code\":404,\"error_code_str\":\"ERROR_RESOURCE_NOT_FOUND\"}").build();

  /** Task ids with this prefix are completed at their first poll (for throughput calibration). */
  static final String DONE_PREFIX = "done-";

  private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
  /** The server connections that served each group of task ids (an id less its trailing number). */
  private final Map<String, Set<Integer>> connections = new ConcurrentHashMap<>();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String taskId = request.getUrl().queryParameter("task_id");
    if (taskId == null || !request.getUrl().encodedPath().endsWith("/query-async-task-result")) {
      return NOT_FOUND;
    }
    int n = polls.computeIfAbsent(taskId, id -> new AtomicInteger()).incrementAndGet();
    connections.computeIfAbsent(taskId.replaceAll("\\d+$", ""), group -> ConcurrentHashMap.newKeySet())
        .add(request.getConnectionIndex());
    if (taskId.startsWith(DONE_PREFIX)) {
      return COMPLETED;
    }
    return n == 1 ? QUEUED : n == 2 ? PROCESSING : COMPLETED;
  }

  /** Polls per task over the ids starting with {@code prefix}; tasks never polled are not seen here. */
  IntSummaryStatistics pollsPerTask(String prefix) {
    IntSummaryStatistics stats = new IntSummaryStatistics();
    polls.forEach((id, count) -> {
      if (id.startsWith(prefix)) {
        stats.accept(count.get());
      }
    });
    return stats;
  }

  /** How many TCP connections served the tasks whose ids are {@code group} plus a number. */
  int connectionsUsed(String group) {
    Set<Integer> used = connections.get(group);
    return used == null ? 0 : used.size();
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
  }
}
