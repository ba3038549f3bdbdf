package io.github.ailabkit.simulator;

import com.sun.net.httpserver.HttpServer;
import io.github.ailabkit.internal.DaemonThreads;
import io.github.ailabkit.internal.Inputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for the AILab API on a loopback port, to run applications, tests and examples
 * offline. It answers every endpoint of {@link io.github.ailabkit.Endpoints} as the API documents it.
 *
 * <pre>{@code
 * try (AILabSimulator sim = AILabSimulator.start();
 *      AILabClient client = AILabClient.builder().apiKey(sim.apiKey()).baseUrl(sim.baseUrl()).build()) {
 *   AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO,
 *       Form.create().file("image", Path.of("me.jpg")).field("hair_style", "BuzzCut"));
 *   TaskResult done = task.await(TaskPoller.builder(client).interval(Duration.ofMillis(100)).build());
 *   ResultFiles.download(client, ResultFiles.urls(done).get(0), Path.of("out.png"));
 * }
 * }</pre>
 *
 * <p>What it does, by path:
 * <ul>
 *   <li>Every request to the API needs the {@code ailabapi-api-key} header equal to {@link #apiKey()},
 *       else 401 {@code ERROR_USER_NOT_EXISTS}. Errors come in the answer form of the path called:
 *       synchronous endpoints and some asynchronous ones use the old form ({@code error_code},
 *       {@code error_code_str}, {@code error_msg}), the rest the new form ({@code error_detail} only).
 *   <li>{@code POST} to an endpoint: the {@code multipart/form-data} body is checked against the
 *       endpoint's documented fields (400, 413 or 415 with the API's codes); an accepted submit costs
 *       one credit (429 {@code ERROR_NOT_ENOUGH_CREDITS} when none are left). An asynchronous endpoint
 *       answers a {@code task_id}; a synchronous one answers {@code data.image_url}.
 *   <li>{@code GET /api/common/query-async-task-result}: {@code task_status} 0 (queued) for
 *       {@link Builder#queuedFor}, then 1 (processing) for {@link Builder#processingFor}, then 2 with
 *       {@code data} naming the result file (its shape varies by endpoint family). Unknown task: 404
 *       {@code ERROR_RESOURCE_NOT_FOUND}; 24 hours after submission, by {@link Builder#clock}: 410
 *       {@code ERROR_TASK_REVOKED}.
 *   <li>{@code GET /api/common/query-credits}: one pool holding {@link Builder#credits} minus what was spent.
 *   <li>{@code GET /files/<taskId>.png}: the result file, a tiny valid PNG, served without the key (as
 *       by the API's storage host) until the task expires; then 404.
 * </ul>
 *
 * <p>{@link #faults()} injects failures and delays; {@link #stats()} counts what arrived. Requests are
 * served by {@value #WORKER_THREADS} daemon threads named {@code ailab-simulator-N}; state lives in
 * concurrent maps, so thousands of concurrent waits can poll it. Always {@link #close()} it: that stops
 * the server and every thread it started. Thread-safe.
 *
 * <p>It needs the JDK's {@code jdk.httpserver} module ({@code com.sun.net.httpserver}), which every full
 * JDK has: a runtime image made with {@code jlink} must include it, and a modular application that
 * starts a simulator must {@code requires jdk.httpserver}. The rest of the SDK does not need it.
 *
 * <p>A good guest: it changes no JVM-wide setting. On JDK 17 the JDK's server sends an answer's headers
 * and body in two packets, so that without {@code TCP_NODELAY} each answer on a reused connection waits
 * about 40 ms for the client's delayed ACK (measured on JDK 17: 44 ms a request against 0.8 ms; JDK 25
 * sends one packet and needs nothing). Where that matters, start the JVM with the JDK's documented
 * {@code -Dsun.net.httpserver.nodelay=true}, as this project's tests and benchmarks do.
 */
public final class AILabSimulator implements AutoCloseable {
  /** The API key a simulator accepts unless another is configured; clearly not a real key. */
  public static final String DEFAULT_API_KEY = "sim-local-key";

  /** Threads serving requests. */
  public static final int WORKER_THREADS = 8;

  private static final Logger LOG = LoggerFactory.getLogger("io.github.ailabkit.simulator");
  private static final int BACKLOG = 1024;

  private final String apiKey;
  private final HttpServer server;
  private final ExecutorService workers;
  private final ScheduledThreadPoolExecutor delays;
  private final int port;
  private final String baseUrl;
  private final Faults faults = new Faults();
  private final Stats stats = new Stats();
  private final Tasks tasks;
  private final AtomicBoolean closed = new AtomicBoolean();

  private AILabSimulator(Builder builder) throws IOException {
    this.apiKey = builder.apiKey;
    InetAddress loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    this.server = HttpServer.create(new InetSocketAddress(loopback, builder.port), BACKLOG);
    this.port = server.getAddress().getPort();
    this.baseUrl = "http://127.0.0.1:" + port;
    this.workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), DaemonThreads.factory("ailab-simulator"));
    this.delays = new ScheduledThreadPoolExecutor(1, DaemonThreads.factory("ailab-simulator-delay"));
    delays.setRemoveOnCancelPolicy(true);
    this.tasks = new Tasks(builder.clock, builder.queuedFor, builder.processingFor, builder.tasksFile);
    Routes routes = new Routes(apiKey, baseUrl, tasks, new CreditPool(builder.credits, builder.clock), faults, stats);
    server.createContext("/", new SimulatorHandler(routes, faults, delays));
    server.setExecutor(workers);
    server.start();
    LOG.debug("AILab simulator listening on {}", baseUrl);
  }

  /** Starts a simulator with the defaults on a free loopback port; see {@link Builder}. */
  public static AILabSimulator start() {
    return builder().start();
  }

  /** A builder for a simulator with other settings; finish with {@link Builder#start()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The URL to give {@code AILabClient.Builder#baseUrl}, such as {@code http://127.0.0.1:54321}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The API key the simulator accepts. */
  public String apiKey() {
    return apiKey;
  }

  /** The loopback port the simulator listens on. */
  public int port() {
    return port;
  }

  /** The simulator's fault injection, changeable while it runs. */
  public Faults faults() {
    return faults;
  }

  /** The simulator's request counters. */
  public Stats stats() {
    return stats;
  }

  /**
   * Stops the server and every thread it started; answers still pending (delayed) are dropped and open
   * connections closed. Returns once the threads have ended. Calling it again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    delays.shutdownNow();
    workers.shutdownNow();
    awaitTermination(delays);
    awaitTermination(workers);
    try {
      tasks.close();
    } catch (IOException e) {
      LOG.debug("AILab simulator could not close its tasks file: {}", e.toString());
    }
    LOG.debug("AILab simulator on {} stopped", baseUrl);
  }

  @Override
  public String toString() {
    return "AILabSimulator{baseUrl=" + baseUrl + (closed.get() ? ", closed}" : "}");
  }

  private static void awaitTermination(ExecutorService executor) {
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.debug("AILab simulator threads did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Configures an {@link AILabSimulator}. Setters check their argument at once. Not thread-safe.
   */
  public static final class Builder {
    private String apiKey = DEFAULT_API_KEY;
    private int port;
    private Duration queuedFor = Duration.ofMillis(300);
    private Duration processingFor = Duration.ofMillis(300);
    private Clock clock = Clock.systemUTC();
    private long credits = 1_000_000;
    private Path tasksFile;

    private Builder() {
    }

    /** The API key to accept; default {@value AILabSimulator#DEFAULT_API_KEY}. */
    public Builder apiKey(String apiKey) {
      this.apiKey = Inputs.apiKey(apiKey);
      return this;
    }

    /** The loopback port to listen on; default 0, a free port chosen by the system. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** How long a new task reports {@code task_status} 0 (queued); default 300 ms. */
    public Builder queuedFor(Duration queuedFor) {
      this.queuedFor = nonNegative(queuedFor, "queuedFor");
      return this;
    }

    /** How long a task then reports {@code task_status} 1 (processing); default 300 ms. */
    public Builder processingFor(Duration processingFor) {
      this.processingFor = nonNegative(processingFor, "processingFor");
      return this;
    }

    /**
     * The clock that drives task progress and the 24-hour expiry; default the system clock. Tests pass
     * a clock they can move, to see a task complete or expire without waiting.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** The credits available; each accepted submit or call spends one. Default 1,000,000. */
    public Builder credits(long credits) {
      if (credits < 0) {
        throw new IllegalArgumentException("credits must not be negative: " + credits);
      }
      this.credits = credits;
      return this;
    }

    /**
     * Keeps the simulator's tasks in {@code file} (created if missing), so that a simulator started again
     * with the same file knows the tasks submitted to the earlier one: a program stopped midway (a batch
     * interrupted with Ctrl-C) and run again can poll and download them, as it would against the real API.
     * Default: none, tasks live as long as the simulator. Result files are made anew from the task.
     */
    public Builder tasksFile(Path file) {
      this.tasksFile = Objects.requireNonNull(file, "file == null");
      return this;
    }

    /**
     * Starts the simulator.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public AILabSimulator start() {
      try {
        return new AILabSimulator(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the AILab simulator on port " + port + ": " + e.getMessage(), e);
      }
    }

    private static Duration nonNegative(Duration duration, String name) {
      Objects.requireNonNull(duration, name + " == null");
      if (duration.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + duration);
      }
      return duration;
    }
  }
}
