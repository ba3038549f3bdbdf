package io.github.ailabkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.internal.ApiRequests;
import io.github.ailabkit.internal.ApiTransport;
import io.github.ailabkit.internal.CallOptions;
import io.github.ailabkit.internal.CreditsReader;
import io.github.ailabkit.internal.Inputs;
import io.github.ailabkit.internal.Json;
import io.github.ailabkit.internal.PollContext;
import io.github.ailabkit.internal.ClientTimer;
import io.github.ailabkit.internal.Redactor;
import io.github.ailabkit.internal.SafeEventListener;
import io.github.ailabkit.internal.ResponseReader;
import io.github.ailabkit.internal.Sleeper;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The entry point to the AILab API. Build one, share it across your application, close it on shutdown.
 *
 * <pre>{@code
 * try (AILabClient client = AILabClient.fromEnv()) {        // reads AILAB_API_KEY
 *   TaskResult result = client.taskPoller().awaitCompletion(taskId);
 *   System.out.println(result.data());
 * }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe. After {@link #close()}, calls throw
 * {@link IllegalStateException} and waits fail with {@link AILabException}. Every call sends the API key in the
 * {@code ailabapi-api-key} header to the base URL's origin and nowhere else; redirects are not followed.
 * Reads are retried on I/O failures, 408, 429 and 5xx (but 501, 505) with backoff (see
 * {@link Builder#maxRetries(int)}), within a total {@link Builder#callTimeout(Duration) call timeout}.
 */
public final class AILabClient implements AutoCloseable {
  /** The production API. */
  public static final String DEFAULT_BASE_URL = "https://www.ailabapi.com";

  private final HttpUrl baseUrl;
  private final Clock clock;
  private final ApiTransport transport;
  private final ApiRequests requests;
  private final ClientTimer timer = new ClientTimer();
  private final PollContext pollContext;
  private final TaskPoller defaultPoller;
  private final PortraitService portrait = new PortraitService(this);
  private final ImageService image = new ImageService(this);
  private final BackgroundRemovalService backgroundRemoval = new BackgroundRemovalService(this);
  private final AtomicBoolean closed = new AtomicBoolean();

  private AILabClient(Builder builder) {
    this.baseUrl = builder.baseUrl;
    this.clock = builder.clock;
    SafeEventListener events = new SafeEventListener(builder.eventListener, new Redactor(builder.apiKey));
    this.transport = new ApiTransport(new ApiTransport.Settings(baseUrl, builder.okHttpClient,
        builder.connectTimeout, builder.readTimeout, builder.writeTimeout, builder.callTimeout, builder.maxRetries,
        builder.maxDownloadSize, builder.downloadTimeout, clock, builder.sleeper, events), builder.apiKey, timer);
    this.requests = new ApiRequests(baseUrl, transport, builder.strictValidation);
    this.pollContext = new PollContext(this::poll, timer, clock, events);
    this.defaultPoller = TaskPoller.builder(this).build();
  }

  /** A builder with the defaults; {@link Builder#apiKey(String)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A client configured from the environment: {@code AILAB_API_KEY} (required) and
   * {@code AILAB_BASE_URL} (optional).
   *
   * @throws IllegalStateException if {@code AILAB_API_KEY} is not set
   * @throws IllegalArgumentException if the key or the base URL is malformed
   */
  public static AILabClient fromEnv() {
    return builder().fromEnv().build();
  }

  /** The base URL every API path is resolved against, ending with {@code /}. */
  public URI baseUrl() {
    return baseUrl.uri();
  }

  /**
   * Queries an asynchronous task once: {@code GET /api/common/query-async-task-result?task_id=…}.
   * To wait until it completes, use {@link #taskPoller()}.
   *
   * @throws NullPointerException if {@code taskId} is null
   * @throws IllegalArgumentException if {@code taskId} is blank or malformed (nothing is sent)
   * @throws AILabApiException if the API answered with an error
   * @throws AILabIOException if the API could not be reached after the allowed retries
   */
  public TaskResult getTaskResult(String taskId) {
    return transport.send(requests.taskQuery(taskId, CallOptions.READ), ResponseReader::taskResult);
  }

  /**
   * Same as {@link #getTaskResult(String)} without blocking a thread: each attempt runs on OkHttp's
   * dispatcher, and the wait before a retry on the client's timer, so no thread is held while it waits.
   * Cancelling the future cancels the HTTP call and any scheduled retry. Input errors are thrown at once.
   */
  public CompletableFuture<TaskResult> getTaskResultAsync(String taskId) {
    return transport.sendAsync(requests.taskQuery(taskId, CallOptions.READ), ResponseReader::taskResult, null);
  }

  /**
   * Submits work to an asynchronous endpoint and returns the created task; wait for it with
   * {@link AsyncTask#await()}.
   *
   * <p>This is the generic path, for any {@link Endpoint} (one newer than the SDK included); the typed
   * face ({@link #portrait()}, {@link #image()}, {@link #backgroundRemoval()}) calls it with the generated
   * params' form. The form is checked against the endpoint's documented fields first: every problem is
   * reported in one {@link ValidationException} and nothing is sent. Files stream from disk, bytes and
   * streams from memory. Where the endpoint takes {@code task_type} and the form does not set it,
   * {@code async} is sent.
   *
   * <p><b>A submit is never sent twice</b> once it may have reached the server, since it creates a task
   * and may bill: it is retried only when the connection could not be made at all. If it fails with an
   * {@link AILabIOException} after that point, the server may or may not have created the task.
   *
   * @throws ValidationException if the endpoint is synchronous or the form is invalid (nothing was sent)
   * @throws LocalInputException if a file or stream failed while the request was written (never sent)
   * @throws AILabApiException if the API refused the submit
   * @throws AILabIOException if the API could not be reached
   */
  public AsyncTask submit(Endpoint endpoint, Form form) {
    Request request = requests.submit(endpoint, form, true);
    Instant sentAt = clock.instant();
    return transport.send(request, root -> asyncTask(endpoint, root, sentAt));
  }

  /** Same as {@link #submit(Endpoint, Form)} without blocking; input errors are thrown at once. */
  public CompletableFuture<AsyncTask> submitAsync(Endpoint endpoint, Form form) {
    Request request = requests.submit(endpoint, form, true);
    Instant sentAt = clock.instant();
    return transport.sendAsync(request, root -> asyncTask(endpoint, root, sentAt), null);
  }

  /**
   * Calls a synchronous endpoint and returns its answer. Validation and the no-duplicate rule are
   * the same as for {@link #submit(Endpoint, Form)}.
   *
   * @throws ValidationException if the endpoint is asynchronous or the form is invalid (nothing was sent)
   * @throws LocalInputException if a file or stream failed while the request was written (never sent)
   * @throws AILabApiException if the API answered with an error
   * @throws AILabIOException if the API could not be reached
   */
  public ApiResponse call(Endpoint endpoint, Form form) {
    return transport.send(requests.submit(endpoint, form, false), AILabClient::apiResponse);
  }

  /** Same as {@link #call(Endpoint, Form)} without blocking; input errors are thrown at once. */
  public CompletableFuture<ApiResponse> callAsync(Endpoint endpoint, Form form) {
    return transport.sendAsync(requests.submit(endpoint, form, false), AILabClient::apiResponse, null);
  }

  /**
   * Downloads a result file (found with {@link ResultFiles#urls(TaskResult)}) to {@code target} before it
   * expires: streamed to disk, retried like a read (I/O failures, 408, 429, 5xx, a body cut off or stalled
   * mid-way), and written atomically: the file appears complete or not at all. The whole download, its
   * retries and the waits between them included, is bounded by {@link Builder#downloadTimeout(Duration)};
   * the file by {@link Builder#maxDownloadSize(long)}, counted on the decoded bytes. The API key is never
   * sent (the file host is not the API), redirects of the file host are followed, and no message shows the
   * URL's query (a signed URL carries credentials in it).
   *
   * @return {@code target}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code url} is not http(s) or {@code target} is a directory (nothing
   *     is fetched)
   * @throws IllegalStateException if the client is closed
   * @throws AILabApiException if the file host answered with an error (404 once the file expired; 403 when a
   *     signed URL expired). Never an {@link AuthenticationException}: the file host does not see the API key.
   * @throws AILabIOException if the file could not be fetched or written, or the download timeout passed
   * @throws AILabException if the file is larger than {@code maxDownloadSize}, or the client was closed
   *     during the download
   */
  public Path download(URI url, Path target) {
    return transport.download(fileUrl(url), Objects.requireNonNull(target, "target == null"));
  }

  /**
   * Same as {@link #download(URI, Path)} without blocking a thread while it waits: each attempt runs on
   * OkHttp's dispatcher (which streams the body to disk), and the wait before a retry on the client's timer.
   * Cancelling the future, the {@link Builder#downloadTimeout(Duration) download timeout} and {@link #close()}
   * stop the download and leave no partial file (the target, if it existed, is left as it was). Input errors
   * are thrown at once; every other failure completes the future exceptionally with the exceptions listed for
   * {@link #download(URI, Path)}.
   */
  public CompletableFuture<Path> downloadAsync(URI url, Path target) {
    return transport.downloadAsync(fileUrl(url), Objects.requireNonNull(target, "target == null"));
  }

  /**
   * Rebuilds a task from its saved id and submission time, so that resuming after a restart reads like
   * the first wait: {@code client.task(id, submittedAt).await()}. Nothing is sent. A task submitted more
   * than one poll interval ago is polled at once; one whose 24-hour retention has passed fails its wait at
   * once with {@link TaskTimeoutException}. The rebuilt task has no endpoint and no request id.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code taskId} is blank or malformed
   */
  public AsyncTask task(String taskId, Instant submittedAt) {
    Inputs.taskId(taskId);
    Objects.requireNonNull(submittedAt, "submittedAt == null");
    return new AsyncTask(this, null, taskId, "", submittedAt);
  }

  /**
   * The {@code AI PORTRAIT} endpoints, one typed method per endpoint:
   * {@code client.portrait().hairstyleEditorPro(HairstyleEditorProParams.builder()...build())}.
   */
  public PortraitService portrait() {
    return portrait;
  }

  /** The {@code AI IMAGE} endpoints, one typed method per endpoint, such as {@code image().aiImageExtender(...)}. */
  public ImageService image() {
    return image;
  }

  /**
   * The {@code AI BACKGROUND REMOVAL} endpoints, one typed method per endpoint, such as
   * {@code backgroundRemoval().universalBackgroundRemoval(...)}.
   */
  public BackgroundRemovalService backgroundRemoval() {
    return backgroundRemoval;
  }

  /** The account's credit balances: {@code GET /api/common/query-credits}. */
  public Credits credits() {
    return transport.send(requests.creditsQuery(), CreditsReader::read);
  }

  /** The client's poller with default settings (5 s interval, 24 h timeout), shared by all callers. */
  public TaskPoller taskPoller() {
    return defaultPoller;
  }

  /**
   * Releases the client: ends every pending wait of its pollers, and if the client created its own
   * OkHttp client, cancels its calls and stops its threads. An {@code OkHttpClient} you supplied keeps
   * running. Calling {@code close()} again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    timer.close();
    transport.close();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return "AILabClient{baseUrl=" + baseUrl + ", apiKey=" + Redactor.MASK + "}";
  }

  // ---- package-private plumbing for the poller and endpoint calls ----

  /** What this client's pollers need: one poll, the timer, the clock and the event listener. */
  PollContext pollContext() {
    return pollContext;
  }

  /** The client's timer (tests count its pending tasks). */
  ClientTimer timer() {
    return timer;
  }

  /**
   * One poll: a single attempt (the poller reschedules failures), bounded by {@code timeout}. A client closed
   * meanwhile fails it the way {@link #close()} ends waits.
   */
  private CompletableFuture<TaskResult> poll(String taskId, Duration timeout) {
    Duration callTimeout = transport.callTimeout();
    Duration bound = callTimeout.isZero() || timeout.compareTo(callTimeout) < 0 ? timeout : callTimeout;
    try {
      return transport.sendAsync(requests.taskQuery(taskId, CallOptions.POLL), ResponseReader::taskResult, bound);
    } catch (IllegalStateException e) {
      if (!isClosed()) {
        throw e;
      }
      return CompletableFuture.failedFuture(
          new AILabException("AILabClient was closed while waiting for task " + taskId, e));
    }
  }

  private static HttpUrl fileUrl(URI uri) {
    Objects.requireNonNull(uri, "url == null");
    HttpUrl url = HttpUrl.get(uri);
    if (url == null) {
      throw new IllegalArgumentException("not an http or https URL: " + uri.getScheme() + "://" + uri.getHost());
    }
    return url;
  }

  private AsyncTask asyncTask(Endpoint endpoint, JsonNode root, Instant sentAt) {
    String taskId = ResponseReader.taskId(root);
    if (taskId.isEmpty()) {
      throw new AILabApiException("The submit to " + endpoint.path() + " succeeded but its answer has no task_id",
          200, ErrorDetail.NONE, Json.text(root, "request_id"), Json.text(root, "log_id"), false, null);
    }
    return new AsyncTask(this, endpoint, taskId, Json.text(root, "request_id"), sentAt);
  }

  private static ApiResponse apiResponse(JsonNode root) {
    return new ApiResponse(Json.text(root, "request_id"), Json.text(root, "log_id"),
        ResponseReader.errorDetail(root), root);
  }

  /**
   * Configures an {@link AILabClient}. Setters check their argument at once; {@link #build()} checks
   * that an API key was given. Not thread-safe; the built client is.
   */
  public static final class Builder {
    /** The default {@link #maxDownloadSize(long)}: 256 MiB. */
    public static final long DEFAULT_MAX_DOWNLOAD_SIZE = 256L * 1024 * 1024;

    /**
     * The default {@link #downloadTimeout(Duration)}: 3 minutes, the default call timeout. Result files are
     * images of a few megabytes, which a slow link fetches in seconds, so this leaves room for the retries
     * and their waits; raise it with {@link #maxDownloadSize(long)} for large files on slow links.
     */
    public static final Duration DEFAULT_DOWNLOAD_TIMEOUT = Duration.ofMinutes(3);

    /** The longest timeout a setter accepts: {@code Integer.MAX_VALUE} milliseconds, about 24.8 days. */
    public static final Duration MAX_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    private String apiKey;
    private HttpUrl baseUrl = Inputs.baseUrl(DEFAULT_BASE_URL);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(60);
    private Duration writeTimeout = Duration.ofSeconds(60);
    private Duration callTimeout = Duration.ofMinutes(3);
    private int maxRetries = 2;
    private long maxDownloadSize = DEFAULT_MAX_DOWNLOAD_SIZE;
    private Duration downloadTimeout = DEFAULT_DOWNLOAD_TIMEOUT;
    private OkHttpClient okHttpClient;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private AILabEventListener eventListener = AILabEventListener.NONE;
    private boolean strictValidation = true;

    Builder() {
    }

    /** The API key (required). Sent only to the base URL's origin; never logged or printed. */
    public Builder apiKey(String apiKey) {
      this.apiKey = Inputs.apiKey(apiKey);
      return this;
    }

    /**
     * The API's base URL; defaults to {@value #DEFAULT_BASE_URL}. Must be https, except for loopback
     * hosts (the simulator, tests). A path prefix is kept: API paths resolve under it.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = Inputs.baseUrl(baseUrl);
      return this;
    }

    /**
     * Time allowed to open a connection; default 10 s. Every timeout setter takes zero (none) or 1 ms to
     * {@link #MAX_TIMEOUT}, and throws {@link IllegalArgumentException} at once for anything else.
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = checkTimeout(timeout, "connectTimeout");
      return this;
    }

    /** Longest silence allowed while reading a response; default 60 s. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = checkTimeout(timeout, "readTimeout");
      return this;
    }

    /** Longest stall allowed while sending a request (an upload); default 60 s. */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = checkTimeout(timeout, "writeTimeout");
      return this;
    }

    /**
     * Total time for one call, all attempts and waits between them included; default 3 minutes, zero
     * for none. Retries never extend it, so {@link #maxRetries(int)} cannot multiply a caller's wait.
     * For an asynchronous call it counts from the call, time queued for a free HTTP thread included.
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = checkTimeout(timeout, "callTimeout");
      return this;
    }

    /** Retries after a failed attempt (I/O, 408, 429, 5xx but 501/505); default 2, zero to disable. */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0 || maxRetries > 10) {
        throw new IllegalArgumentException("maxRetries must be between 0 and 10: " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * The largest result file {@link AILabClient#download(URI, Path)} accepts, counted on the bytes written to disk
     * (after any gzip decoding, so a small compressed answer cannot fill the disk); default
     * {@value #DEFAULT_MAX_DOWNLOAD_SIZE} bytes (256 MiB). A larger file fails with {@link AILabException}
     * and leaves no partial file behind.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public Builder maxDownloadSize(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxDownloadSize must be positive: " + bytes);
      }
      this.maxDownloadSize = bytes;
      return this;
    }

    /**
     * Total time for one download ({@link AILabClient#download(URI, Path)}, {@link ResultFiles#download}),
     * all attempts, retries and the waits between them included; default {@link #DEFAULT_DOWNLOAD_TIMEOUT}
     * (3 minutes). Retries never extend it: when the next attempt could not start before it passes, the
     * download fails with the last failure, saying so; when it passes during a transfer, the download fails
     * with {@link AILabIOException}. Either way no partial file is left. Unlike {@link #callTimeout(Duration)}
     * there is no "none": a download always ends.
     *
     * @throws IllegalArgumentException if {@code timeout} is zero, negative, under 1 ms or over
     *     {@link #MAX_TIMEOUT}
     */
    public Builder downloadTimeout(Duration timeout) {
      if (checkTimeout(timeout, "downloadTimeout").isZero()) {
        throw new IllegalArgumentException("downloadTimeout must be positive: " + timeout);
      }
      this.downloadTimeout = timeout;
      return this;
    }

    /**
     * Shares your application's OkHttp client (its connection pool and dispatcher). The SDK derives
     * its own settings from it and leaves it running on {@link AILabClient#close()}. Without one, the
     * client creates its own: asynchronous calls on at most 8 daemon threads, 16 pooled connections.
     */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /**
     * Observes every HTTP exchange, retry and task wait of the client, e.g. to publish metrics with
     * {@code io.github.ailabkit.micrometer.MicrometerEventListener}; default: none. A listener that
     * throws never breaks a call. See {@link AILabEventListener}.
     */
    public Builder eventListener(AILabEventListener listener) {
      this.eventListener = Objects.requireNonNull(listener, "listener == null");
      return this;
    }

    /**
     * Whether a value outside a field's documented allowed values stops a request before it is sent;
     * default true. With false, such values (one the vendor added after this SDK was released, say
     * {@code hair_style=Mullet}) are sent, and each field is logged once at WARN. Missing required
     * fields, wrong types, unreadable files and files over the size limit are refused either way.
     */
    public Builder strictValidation(boolean strict) {
      this.strictValidation = strict;
      return this;
    }

    /** Reads {@code AILAB_API_KEY} (required) and {@code AILAB_BASE_URL} (optional) from the environment. */
    public Builder fromEnv() {
      return fromEnv(System.getenv());
    }

    Builder fromEnv(Map<String, String> env) {
      String key = env.get("AILAB_API_KEY");
      if (key == null || key.isBlank()) {
        throw new IllegalStateException("AILAB_API_KEY is not set");
      }
      apiKey(key.trim());
      String url = env.get("AILAB_BASE_URL");
      if (url != null && !url.isBlank()) {
        baseUrl(url);
      }
      return this;
    }

    /** The clock used for deadlines and {@code Retry-After} dates (tests inject a fixed one). */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** How the client waits between retries (tests record instead of sleeping). */
    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws IllegalStateException if no API key was given
     */
    public AILabClient build() {
      if (apiKey == null) {
        throw new IllegalStateException("apiKey is required (or use AILabClient.fromEnv())");
      }
      return new AILabClient(this);
    }

    /**
     * A timeout OkHttp can honour: zero (none), or from 1 ms to {@link #MAX_TIMEOUT}, which OkHttp counts in
     * an {@code int} of milliseconds; checked here so that {@link #build()} cannot fail on it later.
     */
    private static Duration checkTimeout(Duration timeout, String name) {
      Objects.requireNonNull(timeout, name + " == null");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + timeout);
      }
      if (timeout.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException(name + " must be at most " + MAX_TIMEOUT + " (about 24 days): " + timeout);
      }
      if (!timeout.isZero() && timeout.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException(name + " must be zero (none) or at least 1 ms: " + timeout);
      }
      return timeout;
    }

    @Override
    public String toString() {
      return "AILabClient.Builder{baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "unset" : Redactor.MASK) + "}";
    }
  }
}
