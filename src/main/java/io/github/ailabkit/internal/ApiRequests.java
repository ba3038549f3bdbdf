package io.github.ailabkit.internal;

import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.Form;
import io.github.ailabkit.ValidationException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the API's requests, checking their input first so that bad input never costs a network call:
 * the task query, the credits query, and multipart submits validated against the endpoint catalog.
 */
public final class ApiRequests {
  private static final String QUERY_TASK_PATH = Endpoints.QUERY_ASYNC_TASK_RESULT_PATH.substring(1);
  private static final String QUERY_CREDITS_PATH = Endpoints.QUERY_CREDITS_PATH.substring(1);

  private static final Logger LOG = LoggerFactory.getLogger(ApiRequests.class);

  private final HttpUrl baseUrl;
  private final ApiTransport transport;
  private final boolean strictValidation;
  /** {@code path#field} of every relaxed allowed-values check already logged: one WARN per field. */
  private final Set<String> warnedFields = ConcurrentHashMap.newKeySet();
  /** The task query's URL without its parameter, resolved once: each query only adds the encoded id. */
  private final HttpUrl taskQueryUrl;
  private final HttpUrl creditsUrl;

  /**
   * Requests under {@code baseUrl}, with the headers {@code transport} adds; when not
   * {@code strictValidation}, values outside a field's documented allowed values are sent.
   */
  public ApiRequests(HttpUrl baseUrl, ApiTransport transport, boolean strictValidation) {
    this.baseUrl = baseUrl;
    this.transport = transport;
    this.strictValidation = strictValidation;
    this.taskQueryUrl = baseUrl.newBuilder().addPathSegments(QUERY_TASK_PATH).build();
    this.creditsUrl = baseUrl.newBuilder().addPathSegments(QUERY_CREDITS_PATH).build();
  }

  /** {@code GET /api/common/query-async-task-result?task_id=…}, the id URL-encoded as one parameter. */
  public Request taskQuery(String taskId, CallOptions options) {
    Inputs.taskId(taskId);
    HttpUrl url = taskQueryUrl.newBuilder().addQueryParameter("task_id", taskId).build();
    return transport.request(url, options).get().build();
  }

  /** {@code GET /api/common/query-credits}. */
  public Request creditsQuery() {
    return transport.request(creditsUrl, CallOptions.READ).get().build();
  }

  /**
   * A multipart {@code POST} to {@code endpoint}, validated first. Where the endpoint takes
   * {@code task_type}, the mode asked for ({@code async} or {@code sync}) is sent unless the form sets it.
   *
   * @param async whether the caller expects a task id (submit) rather than a result (call)
   * @throws io.github.ailabkit.ValidationException if the endpoint cannot answer that way or the form is
   *     invalid
   */
  public Request submit(Endpoint endpoint, Form form, boolean async) {
    Objects.requireNonNull(endpoint, "endpoint == null");
    Objects.requireNonNull(form, "form == null");
    if (async ? !endpoint.mode().answersWithTask() : !endpoint.mode().answersDirectly()) {
      throw requestProblem(endpoint, "", endpoint.path() + (async
          ? " is synchronous: it answers with its result, not a task id; use call(...)"
          : " is asynchronous: it answers with a task id to poll; use submit(...)"));
    }
    String mode = async ? "async" : "sync";
    String taskType = form.fields().get("task_type");
    if (taskType != null && endpoint.mode().answersWithTask() && !taskType.equals(mode)) {
      throw requestProblem(endpoint, "task_type", "task_type=" + taskType + " would make " + endpoint.path() + (async
          ? " answer with its result, which submit(...) cannot return; leave task_type unset or \"async\""
          : " answer with a task id, which call(...) cannot return; use submit(...)"));
    }
    Form effective = form;
    if (endpoint.mode().answersWithTask() && endpoint.field("task_type").isPresent() && taskType == null) {
      effective = form.copy().field("task_type", mode);
    }
    if (effective.isEmpty()) {
      effective = documentedDefaults(endpoint); // a multipart body needs a part; the defaults change nothing
    }
    FormValidator.Result checked = FormValidator.validate(endpoint, effective, strictValidation);
    List<PreparedFile> files = checked.files();
    if (effective.fields().isEmpty() && files.isEmpty()) {
      throw requestProblem(endpoint, "",
          "the form is empty and the endpoint documents no default to send; set at least one field");
    }
    for (ValidationException.Problem relaxed : checked.relaxed()) {
      if (warnedFields.add(endpoint.path() + "#" + relaxed.field())) {
        LOG.warn("Sending a value the documentation does not list (strictValidation is off; logged once per "
            + "field): {} {}", endpoint.path(), relaxed.message());
      }
    }
    HttpUrl url = baseUrl.newBuilder().addPathSegments(endpoint.path().substring(1)).build();
    return transport.request(url, CallOptions.SUBMIT).post(MultipartBodies.create(effective, files)).build();
  }

  private static ValidationException requestProblem(Endpoint endpoint, String field, String message) {
    ValidationException.Kind kind = field.isEmpty() ? ValidationException.Kind.REQUEST
        : ValidationException.Kind.NOT_ALLOWED;
    return new ValidationException(endpoint.path(), List.of(new ValidationException.Problem(field, kind, message)));
  }

  /** A form holding every default the endpoint documents. */
  private static Form documentedDefaults(Endpoint endpoint) {
    Form defaults = Form.create();
    for (Endpoint.Field field : endpoint.fields()) {
      if (field.defaultValue() != null) {
        defaults.field(field.name(), field.defaultValue());
      }
    }
    return defaults;
  }
}
