package io.github.ailabkit.micrometer;

import io.github.ailabkit.AILabEventListener;
import io.github.ailabkit.ExchangeEvent;
import io.github.ailabkit.RetryEvent;
import io.github.ailabkit.WaitEndedEvent;
import io.github.ailabkit.WaitStartedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes what an {@link io.github.ailabkit.AILabClient} does as Micrometer meters.
 *
 * <pre>{@code
 * AILabClient client = AILabClient.builder()
 *     .apiKey(key)
 *     .eventListener(MicrometerEventListener.of(registry))
 *     .build();
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code ailab.client.requests}</td><td>timer, one per HTTP attempt</td>
 *       <td>{@code method}, {@code endpoint} (the API path), {@code status} (HTTP status, {@code none} without
 *       an answer), {@code outcome} ({@code success}, {@code client_error}, {@code server_error},
 *       {@code io_error})</td></tr>
 *   <tr><td>{@code ailab.client.retries}</td><td>counter</td><td>{@code endpoint}, {@code reason}
 *       ({@code io_error}, {@code throttled}, {@code timeout}, {@code server_error}, {@code garbled_answer})</td></tr>
 *   <tr><td>{@code ailab.tasks.pending}</td><td>gauge</td><td>waits in progress</td></tr>
 *   <tr><td>{@code ailab.tasks.duration}</td><td>timer, from submission (or the start of the wait when the
 *       submission time is unknown) to the end of the wait</td><td>{@code outcome} ({@code completed},
 *       {@code failed}, {@code timeout}, {@code cancelled})</td></tr>
 *   <tr><td>{@code ailab.tasks.polls}</td><td>distribution summary of polls per finished wait</td><td></td></tr>
 * </table>
 *
 * <p>Tag values come from small fixed sets and the SDK's catalog of API paths: never the API key, a task
 * id or a URL, so they are safe to export and their number stays bounded. Thread-safe; one instance may
 * serve several clients, whose meters then add up.
 */
public final class MicrometerEventListener implements AILabEventListener {
  private final MeterRegistry registry;
  /**
   * The pending-waits count of each registry, shared by every listener publishing to it: a registry keeps
   * the first gauge registered under a name, so a second listener's own counter would never be read.
   */
  private static final Map<MeterRegistry, AtomicInteger> PENDING = new WeakHashMap<>();

  private final AtomicInteger pending;
  private final Map<ExchangeKey, Timer> requestTimers = new ConcurrentHashMap<>();
  private final Map<RetryKey, Counter> retryCounters = new ConcurrentHashMap<>();
  private final Map<WaitEndedEvent.Kind, Timer> taskTimers = new ConcurrentHashMap<>();
  private final DistributionSummary polls;

  private record ExchangeKey(String method, String endpoint, int status, ExchangeEvent.Outcome outcome) {
  }

  private record RetryKey(String endpoint, RetryEvent.Reason reason) {
  }

  private MicrometerEventListener(MeterRegistry registry) {
    this.registry = registry;
    this.pending = pendingWaits(registry);
    this.polls = DistributionSummary.builder("ailab.tasks.polls")
        .description("Polls per finished wait for an AILab task")
        .register(registry);
  }

  /** A listener publishing to {@code registry}; the gauge and the summary are registered at once. */
  public static MicrometerEventListener of(MeterRegistry registry) {
    return new MicrometerEventListener(Objects.requireNonNull(registry, "registry == null"));
  }

  @Override
  public void onExchange(ExchangeEvent event) {
    ExchangeKey key = new ExchangeKey(event.method(), event.endpoint(), event.status(), event.outcome());
    requestTimers.computeIfAbsent(key, k -> Timer.builder("ailab.client.requests")
            .description("HTTP attempts to the AILab API")
            .tag("method", k.method())
            .tag("endpoint", k.endpoint())
            .tag("status", k.status() == 0 ? "none" : Integer.toString(k.status()))
            .tag("outcome", tagValue(k.outcome()))
            .register(registry))
        .record(event.duration());
  }

  @Override
  public void onRetry(RetryEvent event) {
    retryCounters.computeIfAbsent(new RetryKey(event.endpoint(), event.reason()), k -> Counter.builder(
            "ailab.client.retries")
            .description("Retries of AILab API requests decided by the SDK")
            .tag("endpoint", k.endpoint())
            .tag("reason", tagValue(k.reason()))
            .register(registry))
        .increment();
  }

  @Override
  public void onWaitStarted(WaitStartedEvent event) {
    pending.incrementAndGet();
  }

  @Override
  public void onWaitEnded(WaitEndedEvent event) {
    taskTimers.computeIfAbsent(event.kind(), kind -> Timer.builder("ailab.tasks.duration")
            .description("Time from submitting an AILab task (or starting its wait) to the end of the wait")
            .tag("outcome", tagValue(kind))
            .register(registry))
        .record(event.sinceSubmission());
    polls.record(event.polls());
    pending.decrementAndGet(); // last: once the gauge drops, the wait's duration and polls are recorded
  }

  private static AtomicInteger pendingWaits(MeterRegistry registry) {
    synchronized (PENDING) {
      return PENDING.computeIfAbsent(registry, r -> {
        AtomicInteger count = new AtomicInteger();
        Gauge.builder("ailab.tasks.pending", count, AtomicInteger::get)
            .description("Waits for AILab tasks in progress")
            .strongReference(true) // the count lives as long as the registry, not as long as one listener
            .register(r);
        return count;
      });
    }
  }

  private static String tagValue(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
