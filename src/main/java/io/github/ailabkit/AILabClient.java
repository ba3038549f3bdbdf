package io.github.ailabkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.internal.ApiKeyInterceptor;
import io.github.ailabkit.internal.CallOptions;
import io.github.ailabkit.internal.CreditsReader;
import io.github.ailabkit.internal.ExchangeLogger;
import io.github.ailabkit.internal.FileDownloader;
import io.github.ailabkit.internal.FormValidator;
import io.github.ailabkit.internal.Json;
import io.github.ailabkit.internal.MultipartBodies;
import io.github.ailabkit.internal.PreparedFile;
import io.github.ailabkit.internal.HttpClients;
import io.github.ailabkit.internal.Inputs;
import io.github.ailabkit.internal.PollScheduler;
import io.github.ailabkit.internal.Redactor;
import io.github.ailabkit.internal.ResponseReader;
import io.github.ailabkit.internal.RetryInterceptor;
import io.github.ailabkit.internal.SdkVersion;
import io.github.ailabkit.internal.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

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
 * <p>Instances are immutable and thread-safe. Every call sends the API key in the
 * {@code ailabapi-api-key} header to the base URL's origin and nowhere else; redirects are not followed.
 * Reads are retried on I/O failures, 408, 429 and 5xx with backoff (see {@link Builder#maxRetries(int)}),
 * within a total {@link Builder#callTimeout(Duration) call timeout}.
 */
public final class AILabClient implements AutoCloseable {
  /** The production API. */
  public static final String DEFAULT_BASE_URL = "https://www.ailabapi.com";

  static final String QUERY_TASK_PATH = "api/common/query-async-task-result";

  static final String QUERY_CREDITS_PATH = "api/common/query-credits";

  private final HttpUrl baseUrl;
  private final OkHttpClient http;
  private final OkHttpClient submitHttp;
  private final FileDownloader downloader;
  private final RetryInterceptor retryLayer;
  private final boolean ownsHttp;
  private final Duration callTimeout;
  private final Clock clock;
  private final ResponseReader reader;
  private final PollScheduler pollScheduler = new PollScheduler();
  private final TaskPoller defaultPoller;
  private volatile boolean closed;

  private AILabClient(Builder builder) {
    this.baseUrl = builder.baseUrl;
    this.clock = builder.clock;
    this.callTimeout = builder.callTimeout;
    Redactor redactor = new Redactor(builder.apiKey);
    this.reader = new ResponseReader(redactor, clock);
    this.ownsHttp = builder.okHttpClient == null;
    OkHttpClient base = ownsHttp ? HttpClients.newOwnedClient() : builder.okHttpClient;
    this.retryLayer = new RetryInterceptor(builder.maxRetries, builder.callTimeout, clock, builder.sleeper,
        new ExchangeLogger(redactor));
    this.http = HttpClients.withTimeouts(base, builder.connectTimeout, builder.readTimeout, builder.writeTimeout,
            builder.callTimeout)
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false) // one retry layer: ours, which knows what may be repeated
        .addInterceptor(retryLayer)
        .addNetworkInterceptor(new ApiKeyInterceptor(baseUrl, builder.apiKey))
        .build();
    // A submit is one-shot: sent on a pooled connection the server had already closed, it could not be sent
    // again. So submits never reuse a connection; each opens its own (a refused connect is retried).
    this.submitHttp = http.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
    OkHttpClient fileHttp = HttpClients.withTimeouts(base, builder.connectTimeout, builder.readTimeout,
            builder.writeTimeout, Duration.ZERO)
        .followRedirects(true)
        .followSslRedirects(true)
        .addInterceptor(new RetryInterceptor(builder.maxRetries, builder.callTimeout, clock, builder.sleeper,
            new ExchangeLogger(redactor)))
        .build();
    this.downloader = new FileDownloader(fileHttp, builder.maxRetries, builder.sleeper);
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
   */
  public static AILabClient fromEnv() {
    return builder().fromEnv().build();
  }

  /** The base URL every API path is resolved against, ending with {@code /}. */
  public HttpUrl baseUrl() {
    return baseUrl;
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
    return send(queryRequest(taskId, CallOptions.READ), ResponseReader::taskResult);
  }

  /**
   * Same as {@link #getTaskResult(String)} without blocking a thread: the call runs on OkHttp's
   * dispatcher. Cancelling the future cancels the HTTP call. Input errors are thrown at once.
   */
  public CompletableFuture<TaskResult> getTaskResultAsync(String taskId) {
    return sendAsync(newCall(queryRequest(taskId, CallOptions.READ)), ResponseReader::taskResult);
  }

  /**
   * Submits work to an asynchronous endpoint and returns the created task; wait for it with
   * {@link AsyncTask#await()}.
   *
   * <p>The form is checked against the endpoint's documented fields first: every problem is reported
   * in one {@link IllegalArgumentException} and nothing is sent. Files stream from disk. Where the
   * endpoint takes {@code task_type} and the form does not set it, {@code async} is sent.
   *
   * <p><b>A submit is never sent twice</b> once it may have reached the server, since it creates a task
   * and may bill: it is retried only when the connection could not be made at all. If it fails with an
   * {@link AILabIOException} after that point, the server may or may not have created the task.
   *
   * @throws IllegalArgumentException if the endpoint is synchronous or the form is invalid
   * @throws AILabApiException if the API refused the submit
   * @throws AILabIOException if the API could not be reached
   */
  public AsyncTask submit(Endpoint endpoint, Form form) {
    Request request = submitRequest(endpoint, form, true);
    Instant sentAt = clock.instant();
    return send(request, root -> asyncTask(endpoint, root, sentAt));
  }

  /** Same as {@link #submit(Endpoint, Form)} without blocking; input errors are thrown at once. */
  public CompletableFuture<AsyncTask> submitAsync(Endpoint endpoint, Form form) {
    Request request = submitRequest(endpoint, form, true);
    Instant sentAt = clock.instant();
    return sendAsync(newCall(request), root -> asyncTask(endpoint, root, sentAt));
  }

  /**
   * Calls a synchronous endpoint and returns its answer. Validation and the no-duplicate rule are
   * the same as for {@link #submit(Endpoint, Form)}.
   *
   * @throws IllegalArgumentException if the endpoint is asynchronous or the form is invalid
   * @throws AILabApiException if the API answered with an error
   * @throws AILabIOException if the API could not be reached
   */
  public ApiResponse call(Endpoint endpoint, Form form) {
    return send(submitRequest(endpoint, form, false), AILabClient::apiResponse);
  }

  /** Same as {@link #call(Endpoint, Form)} without blocking; input errors are thrown at once. */
  public CompletableFuture<ApiResponse> callAsync(Endpoint endpoint, Form form) {
    return sendAsync(newCall(submitRequest(endpoint, form, false)), AILabClient::apiResponse);
  }

  /** The account's credit balances: {@code GET /api/common/query-credits}. */
  public Credits credits() {
    HttpUrl url = baseUrl.newBuilder().addPathSegments(QUERY_CREDITS_PATH).build();
    return send(request(url, CallOptions.READ).get().build(), CreditsReader::read);
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
    if (closed) {
      return;
    }
    closed = true;
    pollScheduler.close();
    if (ownsHttp) {
      HttpClients.shutdown(http);
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "AILabClient{baseUrl=" + baseUrl + ", apiKey=" + Redactor.MASK + "}";
  }

  // ---- package-private plumbing for the poller and endpoint calls ----

  Clock clock() {
    return clock;
  }

  PollScheduler pollScheduler() {
    return pollScheduler;
  }

  /** One poll: a single attempt (the poller reschedules failures), bounded by {@code timeout}. */
  CompletableFuture<TaskResult> pollAsync(String taskId, Duration timeout) {
    Call call = newCall(queryRequest(taskId, CallOptions.POLL));
    long millis = Math.max(1, Math.min(timeout.toMillis(), callTimeout.isZero() ? Long.MAX_VALUE
        : callTimeout.toMillis()));
    call.timeout().timeout(millis, TimeUnit.MILLISECONDS);
    return sendAsync(call, ResponseReader::taskResult);
  }

  Path download(URI uri, Path target) {
    HttpUrl url = HttpUrl.get(uri);
    if (url == null) {
      throw new IllegalArgumentException("not an http or https URL: " + uri.getScheme() + "://" + uri.getHost());
    }
    ensureOpen();
    try {
      return downloader.download(url, target, new Request.Builder().header("User-Agent", SdkVersion.userAgent()));
    } catch (IOException e) {
      throw new AILabIOException("Download of " + FileDownloader.describe(url) + " to " + target + " failed: " + e, e);
    }
  }

  private Request submitRequest(Endpoint endpoint, Form form, boolean async) {
    Objects.requireNonNull(endpoint, "endpoint == null");
    Objects.requireNonNull(form, "form == null");
    if (endpoint.isAsync() != async) {
      throw new IllegalArgumentException(endpoint.path() + (async
          ? " is synchronous: it answers with its result, not a task id; use call(...)"
          : " is asynchronous: it answers with a task id to poll; use submit(...)"));
    }
    Form effective = form;
    if (async && endpoint.field("task_type").isPresent() && !form.has("task_type")) {
      effective = form.copy().field("task_type", "async");
    }
    List<PreparedFile> files = FormValidator.validate(endpoint, effective);
    HttpUrl url = baseUrl.newBuilder().addPathSegments(endpoint.path().substring(1)).build();
    return request(url, CallOptions.SUBMIT).post(MultipartBodies.create(effective, files)).build();
  }

  private AsyncTask asyncTask(Endpoint endpoint, JsonNode root, Instant sentAt) {
    String taskId = Json.text(root, "task_id");
    if (taskId.isEmpty()) {
      taskId = Json.text(root.path("data"), "task_id");
    }
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

  Request queryRequest(String taskId, CallOptions options) {
    Inputs.taskId(taskId);
    HttpUrl url = baseUrl.newBuilder()
        .addPathSegments(QUERY_TASK_PATH)
        .addQueryParameter("task_id", taskId)
        .build();
    return request(url, options).get().build();
  }

  Request.Builder request(HttpUrl url, CallOptions options) {
    return new Request.Builder()
        .url(url)
        .header("User-Agent", SdkVersion.userAgent())
        .header("Accept", "application/json")
        .tag(CallOptions.class, options);
  }

  Call newCall(Request request) {
    ensureOpen();
    OkHttpClient client = request.tag(CallOptions.class) == CallOptions.SUBMIT ? submitHttp : http;
    return client.newCall(request);
  }

  <T> T send(Request request, Function<JsonNode, T> parser) {
    Call call = newCall(request);
    try {
      return parser.apply(reader.read(call.execute()));
    } catch (IOException e) {
      throw ioFailure(request, e);
    }
  }

  <T> CompletableFuture<T> sendAsync(Call call, Function<JsonNode, T> parser) {
    CompletableFuture<T> future = new CompletableFuture<>();
    future.whenComplete((value, failure) -> {
      if (future.isCancelled()) {
        call.cancel();
        retryLayer.wake(call);
      }
    });
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call c, Response response) {
        try {
          future.complete(parser.apply(reader.read(response)));
        } catch (IOException e) {
          future.completeExceptionally(ioFailure(c.request(), e));
        } catch (RuntimeException e) {
          future.completeExceptionally(e);
        }
      }

      @Override
      public void onFailure(Call c, IOException e) {
        future.completeExceptionally(ioFailure(c.request(), e));
      }
    });
    return future;
  }

  private AILabException ioFailure(Request request, IOException e) {
    if (closed) {
      return new AILabException("AILabClient was closed during " + request.method() + " "
          + request.url().encodedPath(), e);
    }
    return new AILabIOException(request.method() + " " + request.url().encodedPath() + " failed: " + e, e);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("AILabClient is closed");
    }
  }

  /**
   * Configures an {@link AILabClient}. Setters check their argument at once; {@link #build()} checks
   * that an API key was given. Not thread-safe; the built client is.
   */
  public static final class Builder {
    private String apiKey;
    private HttpUrl baseUrl = Inputs.baseUrl(DEFAULT_BASE_URL);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(60);
    private Duration writeTimeout = Duration.ofSeconds(60);
    private Duration callTimeout = Duration.ofMinutes(3);
    private int maxRetries = 2;
    private OkHttpClient okHttpClient;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;

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

    /** Time allowed to open a connection; default 10 s. */
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
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = checkTimeout(timeout, "callTimeout");
      return this;
    }

    /** Retries after a failed attempt (I/O, 408, 429, 5xx); default 2, zero to disable. */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0 || maxRetries > 10) {
        throw new IllegalArgumentException("maxRetries must be between 0 and 10: " + maxRetries);
      }
      this.maxRetries = maxRetries;
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

    private static Duration checkTimeout(Duration timeout, String name) {
      Objects.requireNonNull(timeout, name + " == null");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + timeout);
      }
      return timeout;
    }

    @Override
    public String toString() {
      return "AILabClient.Builder{baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "unset" : Redactor.MASK) + "}";
    }
  }
}
