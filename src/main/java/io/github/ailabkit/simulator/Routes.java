package io.github.ailabkit.simulator;

import com.sun.net.httpserver.HttpExchange;
import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Endpoints;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * What the simulated API answers to one request: counting, injected faults, the API key check, then
 * the route (submit, task query, credits query or result file).
 *
 * <p>Order of checks for API paths: rate limit ({@link Faults#rateLimitNext}), API key (401
 * {@code ERROR_USER_NOT_EXISTS}), path (404 {@code ERROR_AI_NOT_EXISTS}) and method (405
 * {@code ERROR_METHOD_NOT_ALLOWED}). Result files under {@value #FILES_PREFIX} need no key, as on the
 * API's storage host.
 */
final class Routes {
  static final String API_KEY_HEADER = "ailabapi-api-key";
  static final String FILES_PREFIX = "/files/";
  private static final String PNG_SUFFIX = ".png";

  private final byte[] apiKey;
  private final String baseUrl;
  private final Tasks tasks;
  private final CreditPool credits;
  private final Faults faults;
  private final Stats stats;

  Routes(String apiKey, String baseUrl, Tasks tasks, CreditPool credits, Faults faults, Stats stats) {
    this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
    this.baseUrl = baseUrl;
    this.tasks = tasks;
    this.credits = credits;
    this.faults = faults;
    this.stats = stats;
  }

  /**
   * The answer to a request; reads as much of its body as the route needs.
   *
   * @throws IOException if reading the request failed
   */
  Answer answer(HttpExchange exchange) throws IOException {
    stats.request();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    if (path.startsWith(FILES_PREFIX)) {
      return resultFile(exchange, method, path.substring(FILES_PREFIX.length()));
    }
    Endpoint endpoint = Endpoints.forPath(path).orElse(null);
    WireForm form = WireForm.of(endpoint);
    boolean isQuery = path.equals(Endpoints.QUERY_ASYNC_TASK_RESULT_PATH);
    String taskId = isQuery ? queryParameter(exchange.getRequestURI().getRawQuery(), "task_id") : null;
    if (endpoint != null && method.equals("POST")) {
      stats.submit(path);
    } else if (taskId != null) {
      stats.poll(taskId);
    }
    if (faults.takeRateLimit()) {
      return Answers.error(form, Failure.of(429, "EXCEEDING_LIMITS")).withHeader("Retry-After", "1");
    }
    if (!hasApiKey(exchange)) {
      return Answers.error(form, new Failure(401, "ERROR_USER_NOT_EXISTS",
          "the " + API_KEY_HEADER + " header is missing or names no user"));
    }
    if (endpoint != null) {
      return method.equals("POST") ? submit(exchange, endpoint, form) : notAllowed(form, method, "POST");
    }
    if (isQuery) {
      return method.equals("GET") ? poll(taskId) : notAllowed(form, method, "GET");
    }
    if (path.equals(Endpoints.QUERY_CREDITS_PATH)) {
      return method.equals("GET") ? Answers.credits(credits.toJson()) : notAllowed(form, method, "GET");
    }
    return Answers.error(form, new Failure(404, "ERROR_AI_NOT_EXISTS", "there is no API at " + path));
  }

  private Answer submit(HttpExchange exchange, Endpoint endpoint, WireForm form) throws IOException {
    List<Multipart.Part> parts;
    try {
      parts = Multipart.parse(exchange.getRequestBody(), exchange.getRequestHeaders().getFirst("Content-Type"));
    } catch (Multipart.MalformedException e) {
      return Answers.error(form, new Failure(400, "ERROR_PARAMETERS", e.getMessage()));
    }
    stats.submitInput(endpoint.path(), parts);
    Failure problem = SubmitCheck.check(endpoint, parts);
    if (problem != null) {
      return Answers.error(form, problem);
    }
    if (!credits.tryCharge()) {
      return Answers.error(form, Failure.of(429, "ERROR_NOT_ENOUGH_CREDITS"));
    }
    boolean async = switch (endpoint.mode()) {
      case SYNC -> false;
      case ASYNC -> true;
      case SYNC_OR_ASYNC -> !asksForSync(parts);
    };
    Tasks.Task task = tasks.create(endpoint.path(), async);
    if (!async) {
      return Answers.syncResult(form, endpoint.path(), fileUrl(task));
    }
    faults.onTaskCreated(task.id());
    return Answers.submitted(form, task.id());
  }

  private static boolean asksForSync(List<Multipart.Part> parts) {
    return parts.stream().anyMatch(part -> part.name().equals("task_type") && "sync".equals(part.text()));
  }

  /** A task query: injected poll failures first, then unknown (404), expired (410), failed, or the status. */
  private Answer poll(String taskId) {
    if (taskId == null || taskId.isBlank()) {
      return Answers.error(WireForm.NEW, new Failure(400, "MISSING_PARAMETERS", "missing parameter 'task_id'"));
    }
    Failure injected = faults.takePollFailure();
    if (injected != null) {
      return Answers.error(WireForm.NEW, injected);
    }
    Tasks.Task task = tasks.find(taskId);
    if (task == null || !task.pollable()) {
      return Answers.error(WireForm.NEW, new Failure(404, "ERROR_RESOURCE_NOT_FOUND", "no task " + taskId));
    }
    if (tasks.isExpired(task)) {
      return Answers.error(WireForm.NEW, new Failure(410, "ERROR_TASK_REVOKED",
          "task " + taskId + " expired: results are kept " + Tasks.RETENTION.toHours() + " hours"));
    }
    Failure failed = faults.taskFailure(taskId);
    if (failed != null) {
      return Answers.error(WireForm.NEW, failed);
    }
    int status = tasks.status(task);
    return Answers.taskStatus(status, status == 2 ? ResultShapes.taskData(task.path(), fileUrl(task)) : null);
  }

  /** A result file: the PNG while its task is completed, not failed and not expired; else 404 as storage does. */
  private Answer resultFile(HttpExchange exchange, String method, String name) {
    if (exchange.getRequestHeaders().containsKey(API_KEY_HEADER)) {
      stats.fileRequestedWithKey();
    }
    if (!method.equals("GET")) {
      return storageError(405, "MethodNotAllowed", "The specified method is not allowed.").withHeader("Allow", "GET");
    }
    Tasks.Task task = name.endsWith(PNG_SUFFIX) ? tasks.find(name.substring(0, name.length() - PNG_SUFFIX.length()))
        : null;
    if (task == null || tasks.isExpired(task) || tasks.status(task) != 2 || faults.taskFailure(task.id()) != null) {
      return storageError(404, "NoSuchKey", "The specified key does not exist.");
    }
    stats.fileServed();
    return new Answer(200, "image/png", Pngs.onePixel());
  }

  /** An error of the storage host, in the XML form object stores use. */
  private static Answer storageError(int status, String code, String message) {
    return new Answer(status, "application/xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
        + "</Code><Message>" + message + "</Message></Error>\n").getBytes(StandardCharsets.UTF_8));
  }

  private String fileUrl(Tasks.Task task) {
    return baseUrl + FILES_PREFIX + task.id() + PNG_SUFFIX;
  }

  private boolean hasApiKey(HttpExchange exchange) {
    String sent = exchange.getRequestHeaders().getFirst(API_KEY_HEADER);
    return sent != null && MessageDigest.isEqual(apiKey, sent.getBytes(StandardCharsets.UTF_8));
  }

  private static Answer notAllowed(WireForm form, String method, String allowed) {
    return Answers.error(form, new Failure(405, "ERROR_METHOD_NOT_ALLOWED", method + " is not allowed; use "
        + allowed)).withHeader("Allow", allowed);
  }

  /** The decoded value of a query parameter, or null when absent. */
  static String queryParameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      if (decode(equals < 0 ? pair : pair.substring(0, equals)).equals(name)) {
        return equals < 0 ? "" : decode(pair.substring(equals + 1));
      }
    }
    return null;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException badEscape) {
      return text;
    }
  }
}
