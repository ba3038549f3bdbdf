package io.github.ailabkit.internal;

import io.github.ailabkit.AILabEventListener;
import io.github.ailabkit.TaskResult;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Everything a task poller needs from its client, handed over by the client so that the poller does not
 * reach into the client's plumbing: one poll, the shared timer, the clock and the event listener.
 *
 * @param query sends one poll for a task id, bounded by an HTTP timeout; its future fails with the SDK's
 *     exceptions (an {@link io.github.ailabkit.AILabException} once the client is closed)
 * @param timer the client's timer, which schedules every wait's polls and deadlines
 * @param clock the client's clock, for deadlines
 * @param events the client's event listener, already guarded against exceptions
 */
public record PollContext(BiFunction<String, Duration, CompletableFuture<TaskResult>> query, ClientTimer timer,
    Clock clock, AILabEventListener events) {
}
