/**
 * Durable batch jobs: each input submitted once, resumed after any crash, every result kept.
 *
 * <p>{@link io.github.ailabkit.jobs.JobRunner} drives a batch of keyed jobs through an
 * {@link io.github.ailabkit.AILabClient}, recording every step in a {@link io.github.ailabkit.jobs.JobStore}
 * before acting on it. This package uses only the SDK's public API.
 */
package io.github.ailabkit.jobs;
