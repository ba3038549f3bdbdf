/**
 * Publishes the SDK's events as Micrometer meters: install
 * {@link io.github.ailabkit.micrometer.MicrometerEventListener#of(io.micrometer.core.instrument.MeterRegistry)}
 * with {@link io.github.ailabkit.AILabClient.Builder#eventListener(io.github.ailabkit.AILabEventListener)}.
 *
 * <p>{@code io.micrometer:micrometer-core} is an optional dependency of the SDK: add it to your build to use
 * this package. A client that never names this package needs no Micrometer jar.
 */
package io.github.ailabkit.micrometer;
