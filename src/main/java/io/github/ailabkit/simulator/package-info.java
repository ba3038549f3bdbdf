/**
 * An embedded, offline stand-in for the AILab API, for tests, examples and benchmarks: start an
 * {@link io.github.ailabkit.simulator.AILabSimulator}, point an {@link io.github.ailabkit.AILabClient} at
 * it, and every endpoint of {@link io.github.ailabkit.Endpoints} answers as the documented API does.
 *
 * <pre>{@code
 * try (AILabSimulator sim = AILabSimulator.start();
 *      AILabClient client = AILabClient.builder().apiKey(sim.apiKey()).baseUrl(sim.baseUrl()).build()) {
 *   sim.faults().failPolls(0.1, 503, "AI_SERVICE_FLOW_RESTRICTION");
 *   TaskResult done = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, form).await();
 * }
 * }</pre>
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver}: it needs the {@code jdk.httpserver} module (in every
 * full JDK) and no dependency beyond the SDK's own. It changes no JVM-wide setting; see
 * {@link io.github.ailabkit.simulator.AILabSimulator} for the one a test suite may want to set itself.
 */
package io.github.ailabkit.simulator;
