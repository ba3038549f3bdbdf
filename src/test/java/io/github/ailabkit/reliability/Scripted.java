package io.github.ailabkit.reliability;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Answers requests in order from a queue and records when each arrived. A request beyond the script gets
 * 599 {@code UNSCRIPTED} at once, so an unexpected request fails the test rather than hanging it.
 */
final class Scripted extends Dispatcher {
  private final Queue<MockResponse> answers = new ConcurrentLinkedQueue<>();
  private final List<Long> arrivals = new CopyOnWriteArrayList<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

  /** Appends answers to the script. */
  Scripted then(MockResponse... responses) {
    answers.addAll(List.of(responses));
    return this;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    arrivals.add(System.nanoTime());
    requests.add(request);
    MockResponse next = answers.poll();
    return next != null ? next : new MockResponse.Builder().code(599)
        .setHeader("Content-Type", "application/json")
        .body("{\"request_id\":\"unscripted\",\"error_detail\":{\"code\":\"UNSCRIPTED\","
            + "\"message\":\"no answer left\"}}")
        .build();
  }

  /** Requests received. */
  int count() {
    return requests.size();
  }

  /** Requests received, in order. */
  List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** Milliseconds between the arrival of request {@code i} and of request {@code i + 1}. */
  long millisBetween(int i) {
    return (arrivals.get(i + 1) - arrivals.get(i)) / 1_000_000;
  }

  /** Answers not used yet. */
  int unused() {
    return answers.size();
  }
}
