package io.github.ailabkit;

import static io.github.ailabkit.testing.RecordedResponses.error;
import static io.github.ailabkit.testing.RecordedResponses.json;
import static io.github.ailabkit.testing.RecordedResponses.oldFormError;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.MultipartParts;
import io.github.ailabkit.testing.MultipartParts.Part;
import io.github.ailabkit.testing.PollThreads;
import io.github.ailabkit.testing.RecordedSleeper;
import io.github.ailabkit.testing.TestServers;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.SocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a submit (and a synchronous call) puts on the wire, how its answer is read, and when it is and is
 * not sent again. Every test checks the requests the server actually received.
 */
class SubmitTest {
  private static final String KEY = "submit-key-0123456789";
  private static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";
  private static final String HAIRSTYLE_PATH = "/api/portrait/effects/hairstyle-editor-pro";

  @StartStop final MockWebServer server = new MockWebServer();
  @TempDir Path dir;

  private final RecordedSleeper sleeper = new RecordedSleeper();
  private AILabClient client;
  private MockWebServer lateServer;
  private OkHttpClient suppliedHttp;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (lateServer != null) {
      lateServer.close();
    }
    TestServers.shutDown(suppliedHttp);
  }

  private AILabClient.Builder builder() {
    return ClientSeams.recorded(KEY, server, sleeper);
  }

  private static MockResponse submitted(String taskId) {
    return json("{\"request_id\":\"req-submit\",\"log_id\":\"log-submit\","
        + "\"error_detail\":{\"code\":\"\",\"code_message\":\"\",\"message\":\"\"},\"task_id\":\"" + taskId + "\"}");
  }

  private Form hairstyleForm() throws IOException {
    return Form.create()
        .file("image", Images.write(dir, "me.jpeg", ImageFormat.PNG, 4096))
        .field("hair_style", "BuzzCut");
  }

  // ---- the multipart request on the wire ----

  @Test
  void submitPostsMultipartToTheEndpointPathWithTheKeyAndExactFileBytes() throws Exception {
    Path image = Images.write(dir, "me.jpeg", ImageFormat.PNG, 70_000);
    server.enqueue(submitted(TASK_ID));
    client = builder().build();

    client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, Form.create()
        .file("image", image)
        .field("hair_style", "BuzzCut")
        .field("color", "blonde"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo(HAIRSTYLE_PATH);
    assertThat(request.getUrl().query()).isNull();
    assertThat(request.getHeaders().values("ailabapi-api-key")).containsExactly(KEY);
    assertThat(request.getHeaders().get("Content-Type")).startsWith("multipart/form-data; boundary=");
    // A known length: streamed from disk, yet not chunked.
    assertThat(request.getHeaders().get("Transfer-Encoding")).isNull();
    assertThat(request.getHeaders().get("Content-Length")).isEqualTo(String.valueOf(request.getBodySize()));

    List<Part> parts = MultipartParts.parse(request);
    assertThat(parts).extracting(Part::name).containsExactlyInAnyOrder("image", "hair_style", "color");
    Map<String, Part> byName = MultipartParts.byName(parts);
    Part file = byName.get("image");
    assertThat(file.fileName()).isEqualTo("me.png");
    assertThat(file.contentType()).isEqualTo("image/png");
    assertThat(file.body()).isEqualTo(ByteString.of(Files.readAllBytes(image)));
    assertThat(byName.get("hair_style").fileName()).isNull();
    assertThat(byName.get("hair_style").text()).isEqualTo("BuzzCut");
    assertThat(byName.get("color").text()).isEqualTo("blonde");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(ImageFormat.class)
  void partFileNameAndContentTypeFollowTheSniffedFormatNotTheName(ImageFormat format) throws Exception {
    // Named as a PNG, whatever it really is; this endpoint documents no format restriction.
    Path image = Images.write(dir, "portrait.photo.png", format, 2048);
    server.enqueue(json("{\"request_id\":\"r\",\"data\":{\"image_url\":\"https://files.example/x.png\"}}"));
    client = builder().build();

    client.call(Endpoints.PORTRAIT_ANIMATION, Form.create().file("image", image));

    Part part = MultipartParts.byName(MultipartParts.parse(server.takeRequest())).get("image");
    assertThat(part.fileName()).isEqualTo("portrait.photo." + format.extension());
    assertThat(part.contentType()).isEqualTo(format.mediaType());
    assertThat(part.body()).isEqualTo(ByteString.of(Files.readAllBytes(image)));
  }

  @Test
  void fileWithoutExtensionGetsTheExtensionOfItsFormat() throws Exception {
    Path image = Images.write(dir, "upload", ImageFormat.JPEG, 1000);
    server.enqueue(json("{\"request_id\":\"r\"}"));
    client = builder().build();

    client.call(Endpoints.PORTRAIT_ANIMATION, Form.create().file("image", image));

    Part part = MultipartParts.byName(MultipartParts.parse(server.takeRequest())).get("image");
    assertThat(part.fileName()).isEqualTo("upload.jpg");
    assertThat(part.contentType()).isEqualTo("image/jpeg");
  }

  @Test
  void unrecognisedBytesKeepTheirNameAndGoAsOctetStreamWhereNoFormatIsDocumented() throws Exception {
    Path file = Images.notAnImage(dir, "notes.txt", 300);
    server.enqueue(json("{\"request_id\":\"r\"}"));
    client = builder().build();

    client.call(Endpoints.PORTRAIT_ANIMATION, Form.create().file("image", file));

    Part part = MultipartParts.byName(MultipartParts.parse(server.takeRequest())).get("image");
    assertThat(part.fileName()).isEqualTo("notes.txt");
    assertThat(part.contentType()).isEqualTo("application/octet-stream");
    assertThat(part.body()).isEqualTo(ByteString.of(Files.readAllBytes(file)));
  }

  @Test
  void textValuesAreSentAsUtf8AndNumbersAsTheirToString() throws Exception {
    Path image = Images.write(dir, "face.jpg", ImageFormat.JPEG, 1000);
    server.enqueue(submitted(TASK_ID));
    client = builder().build();

    client.submit(Endpoints.AI_COLORED_CONTACTS, Form.create()
        .file("image", image)
        .field("name", "蓝色 \"ocean\" lenses\r\nline two")
        .field("desc", 42));

    Map<String, Part> parts = MultipartParts.byName(MultipartParts.parse(server.takeRequest()));
    assertThat(parts.get("name").text()).isEqualTo("蓝色 \"ocean\" lenses\r\nline two");
    assertThat(parts.get("desc").text()).isEqualTo("42");
  }

  @Test
  void taskTypeAsyncIsAddedWhenTheEndpointTakesItAndTheCallersFormIsNotChanged() throws Exception {
    Path person = Images.write(dir, "person.jpg", ImageFormat.JPEG, 3000);
    Path clothes = Images.write(dir, "clothes.jpg", ImageFormat.PNG, 3000);
    Form form = Form.create().file("person_image", person).file("clothes_image", clothes);
    server.enqueue(submitted(TASK_ID));
    client = builder().build();

    client.submit(Endpoints.TRY_ON_CLOTHES, form);

    RecordedRequest request = server.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/portrait/editing/try-on-clothes");
    Map<String, Part> parts = MultipartParts.byName(MultipartParts.parse(request));
    assertThat(parts.keySet()).containsExactlyInAnyOrder("task_type", "person_image", "clothes_image");
    assertThat(parts.get("task_type").text()).isEqualTo("async");
    assertThat(parts.get("task_type").fileName()).isNull();
    assertThat(parts.get("clothes_image").fileName()).isEqualTo("clothes.png");
    // The caller's form is untouched, so it can be reused as is.
    assertThat(form.has("task_type")).isFalse();
    assertThat(form.fields()).isEmpty();
    assertThat(form.files().keySet()).containsExactly("person_image", "clothes_image");
  }

  @Test
  void taskTypeSetByTheCallerIsSentOnceAsGiven() throws Exception {
    Path person = Images.write(dir, "person.jpg", ImageFormat.JPEG, 3000);
    server.enqueue(submitted(TASK_ID));
    client = builder().build();

    client.submit(Endpoints.TRY_ON_CLOTHES, Form.create().field("task_type", "async").file("person_image", person));

    List<Part> parts = MultipartParts.parse(server.takeRequest());
    assertThat(parts).filteredOn(p -> p.name().equals("task_type")).singleElement()
        .extracting(Part::text).isEqualTo("async");
  }

  @Test
  void anEndpointThatAnswersEitherWayIsCalledWithTaskTypeSync() throws Exception {
    // Smart Beauty documents task_type sync|async; call(...) asks for the result directly.
    Path face = Images.write(dir, "face.jpg", ImageFormat.JPEG, 3000);
    server.enqueue(json("{\"error_code\":0,\"error_detail\":{\"status_code\":200,\"code\":\"\"},"
        + "\"task_type\":\"sync\",\"result\":\"https://files.example/out.png\"}"));
    client = builder().build();

    ApiResponse answer = client.call(Endpoints.SMART_BEAUTY, Form.create().file("image_target", face));

    assertThat(ResultFiles.urls(answer)).containsExactly(java.net.URI.create("https://files.example/out.png"));
    Map<String, Part> parts = MultipartParts.byName(MultipartParts.parse(server.takeRequest()));
    assertThat(parts.get("task_type").text()).isEqualTo("sync");
  }

  @Test
  void anEndpointThatAnswersEitherWayIsSubmittedWithTaskTypeAsync() throws Exception {
    Path face = Images.write(dir, "face.jpg", ImageFormat.JPEG, 3000);
    server.enqueue(submitted(TASK_ID));
    client = builder().build();

    AsyncTask task = client.submit(Endpoints.SMART_BEAUTY, Form.create().file("image_target", face));

    assertThat(task.taskId()).isEqualTo(TASK_ID);
    assertThat(MultipartParts.byName(MultipartParts.parse(server.takeRequest())).get("task_type").text())
        .isEqualTo("async");
  }

  @Test
  void aTaskTypeThatContradictsTheMethodIsRefusedBeforeSending() throws Exception {
    Path face = Images.write(dir, "face.jpg", ImageFormat.JPEG, 3000);
    client = builder().build();

    assertThatThrownBy(() -> client.call(Endpoints.SMART_BEAUTY,
        Form.create().file("image_target", face).field("task_type", "async")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use submit(...)");
    assertThatThrownBy(() -> client.submit(Endpoints.SMART_BEAUTY,
        Form.create().file("image_target", face).field("task_type", "sync")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leave task_type unset");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void noTaskTypeIsAddedWhereTheEndpointHasNoSuchField() throws Exception {
    server.enqueue(submitted(TASK_ID));
    client = builder().build();

    client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm());

    assertThat(MultipartParts.parse(server.takeRequest())).extracting(Part::name).doesNotContain("task_type");
  }

  @Test
  void baseUrlPathPrefixIsKeptForSubmits() throws Exception {
    server.enqueue(submitted(TASK_ID));
    client = builder().baseUrl(server.url("/proxy/v1/").toString()).build();

    client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm());

    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/proxy/v1" + HAIRSTYLE_PATH);
  }

  @Test
  void anEmptyFormSendsTheDocumentedDefaults() throws Exception {
    // Every field of AI Flower Wallpaper is optional with a default; a multipart body needs at least one part.
    server.enqueue(submitted(TASK_ID));
    client = builder().build();

    AsyncTask task = client.submit(Endpoints.AI_FLOWER_WALLPAPER, Form.create());

    assertThat(task.taskId()).isEqualTo(TASK_ID);
    assertThat(MultipartParts.parse(server.takeRequest())).extracting(Part::name)
        .containsExactlyInAnyOrder("name", "flower_elements", "style", "background", "aspect_ratio");
  }

  @Test
  void anEmptyFormWithNoDefaultsToSendIsRefused() {
    Endpoint noDefaults = Endpoint.async("/api/test/optional-only", "Optional only")
        .text("prompt", false, null, 100).build();
    client = builder().build();

    assertThatThrownBy(() -> client.submit(noDefaults, Form.create()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the form is empty");
    assertThat(server.getRequestCount()).isZero();
  }

  // ---- reading the submit's answer ----

  @Test
  void taskIdAtTheTopLevelIsReadWithRequestIdAndSubmissionTime() throws Exception {
    Instant now = Instant.parse("2024-05-03T13:36:12.764Z");
    server.enqueue(submitted(TASK_ID));
    client = builder().clock(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)).build();

    AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm());

    assertThat(task.taskId()).isEqualTo(TASK_ID);
    assertThat(task.requestId()).isEqualTo("req-submit");
    assertThat(task.submittedAt()).isEqualTo(now);
    assertThat(task.expiresAt()).isEqualTo(now.plus(Duration.ofHours(24)));
    assertThat(task.endpoint()).isEqualTo(Endpoints.HAIRSTYLE_EDITOR_PRO);
  }

  @Test
  void taskIdInsideDataIsReadToo() throws Exception {
    // The old form: error_code 0 and the id under data.
    server.enqueue(json("{\"request_id\":\"req-old\",\"log_id\":\"l\",\"error_code\":0,\"error_code_str\":\"\","
        + "\"error_msg\":\"\",\"task_type\":\"async\",\"data\":{\"task_id\":\"" + TASK_ID + "\"}}"));
    client = builder().build();

    AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm());

    assertThat(task.taskId()).isEqualTo(TASK_ID);
    assertThat(task.requestId()).isEqualTo("req-old");
  }

  @Test
  void oldFormErrorInsideA200IsAnApiException() throws Exception {
    server.enqueue(json("{\"request_id\":\"req-422\",\"log_id\":\"log-422\",\"error_code\":422,"
        + "\"error_code_str\":\"ERROR_NO_FACE_IN_FILE\",\"error_msg\":\"No face found in the image.\"}"));
    client = builder().build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOfSatisfying(AILabApiException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(200);
          assertThat(e.errorCode()).isEqualTo("ERROR_NO_FACE_IN_FILE");
          assertThat(e.requestId()).isEqualTo("req-422");
          assertThat(e.isRetryable()).isFalse();
          assertThat(e.getMessage()).contains("422").contains("No face found in the image.");
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void oldFormErrorWithItsHttpStatusIsAnApiException() throws Exception {
    server.enqueue(oldFormError(422, "ERROR_NO_FACE_IN_FILE"));
    client = builder().build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOfSatisfying(AILabApiException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(422);
          assertThat(e.errorCode()).isEqualTo("ERROR_NO_FACE_IN_FILE");
          assertThat(e.getMessage()).contains("old message");
        });
  }

  @Test
  void newFormErrorIsAnApiException() throws Exception {
    server.enqueue(error(413, "FILE_SIZE_EXCEEDS_LIMIT"));
    client = builder().build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOfSatisfying(AILabApiException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(413);
          assertThat(e.errorCode()).isEqualTo("FILE_SIZE_EXCEEDS_LIMIT");
          assertThat(e.requestId()).isEqualTo("req-FILE_SIZE_EXCEEDS_LIMIT");
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void newFormErrorCodeInsideA200IsAnApiException() throws Exception {
    server.enqueue(json("{\"request_id\":\"req-x\",\"log_id\":\"l\",\"error_detail\":{\"code\":\"ERROR_NO_FACE_IN_FILE\","
        + "\"code_message\":\"no face\",\"message\":\"No face.\"}}"));
    client = builder().build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOfSatisfying(AILabApiException.class, e -> assertThat(e.errorCode())
            .isEqualTo("ERROR_NO_FACE_IN_FILE"));
  }

  @Test
  void successfulAnswerWithoutTaskIdIsAnApiException() throws Exception {
    server.enqueue(json("{\"request_id\":\"req-none\",\"log_id\":\"log-none\","
        + "\"error_detail\":{\"code\":\"\",\"code_message\":\"\",\"message\":\"\"},\"data\":{}}"));
    client = builder().build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOfSatisfying(AILabApiException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(200);
          assertThat(e.requestId()).isEqualTo("req-none");
          assertThat(e.getMessage()).contains("task_id").contains(HAIRSTYLE_PATH);
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void submitAsyncCompletesWithTheTask() throws Exception {
    server.enqueue(submitted(TASK_ID));
    client = builder().build();

    CompletableFuture<AsyncTask> future = client.submitAsync(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm());

    assertThat(future.get(5, TimeUnit.SECONDS).taskId()).isEqualTo(TASK_ID);
    assertThat(MultipartParts.parse(server.takeRequest())).extracting(Part::name)
        .containsExactlyInAnyOrder("image", "hair_style");
  }

  @Test
  void syncCallReturnsTheWholeAnswer() throws Exception {
    server.enqueue(json("{\"request_id\":\"req-sync\",\"log_id\":\"log-sync\",\"error_code\":0,"
        + "\"data\":{\"image_url\":\"https://files.example/out.png\"}}"));
    client = builder().build();

    ApiResponse response = client.call(Endpoints.PORTRAIT_ANIMATION,
        Form.create().file("image", Images.write(dir, "a.png", ImageFormat.PNG, 500)).field("type", "anime"));

    assertThat(response.requestId()).isEqualTo("req-sync");
    assertThat(response.errorDetail()).isEqualTo(ErrorDetail.NONE);
    assertThat(response.data().path("image_url").asText()).isEqualTo("https://files.example/out.png");
    RecordedRequest request = server.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/portrait/effects/portrait-animation");
    assertThat(request.getHeaders().values("ailabapi-api-key")).containsExactly(KEY);
  }

  // ---- waiting uses the 24-hour window from submission ----

  @Test
  void awaitAfterTheResultsExpiredFailsAtOnceWithoutPolling() throws Exception {
    server.enqueue(submitted(TASK_ID));
    client = builder().build();
    AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm());
    assertThat(task.submittedAt()).isEqualTo(RecordedSleeper.START);
    server.takeRequest();

    sleeper.sleep(Duration.ofHours(24).plusSeconds(1)); // the client's clock moves past the expiry

    assertThatThrownBy(task::await)
        .isInstanceOfSatisfying(TaskTimeoutException.class, e -> {
          assertThat(e.taskId()).isEqualTo(TASK_ID);
          assertThat(e.lastResult()).isNull();
        });
    assertThat(server.takeRequest(100, MILLISECONDS)).isNull();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void awaitWithinTheWindowPolls() throws Exception {
    server.enqueue(submitted(TASK_ID));
    server.enqueue(json("{\"request_id\":\"q\",\"task_status\":2,\"data\":{\"image\":\"https://f.example/o.png\"}}"));
    client = builder().build();
    AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm());
    server.takeRequest();
    sleeper.sleep(Duration.ofHours(23));

    TaskResult result = task.await(TaskPoller.builder(client).initialDelay(Duration.ZERO).build());

    assertThat(result.isCompleted()).isTrue();
    RecordedRequest poll = server.takeRequest();
    assertThat(poll.getUrl().queryParameter("task_id")).isEqualTo(TASK_ID);
  }

  // ---- no duplicate submits ----

  @Test
  void submitIsNotRetriedAfterAReadTimeout() throws Exception {
    server.enqueue(new MockResponse.Builder(submitted(TASK_ID)).headersDelay(600, MILLISECONDS).build());
    server.enqueue(submitted("second-task"));
    client = builder().readTimeout(Duration.ofMillis(150)).build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOf(AILabIOException.class)
        .hasMessageContaining(HAIRSTYLE_PATH);

    assertThat(server.takeRequest()).isNotNull();
    assertThat(server.takeRequest(200, MILLISECONDS)).isNull();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void submitIsNotRetriedAfterA503EvenAFlowRestriction() throws Exception {
    server.enqueue(error(503, "AI_SERVICE_FLOW_RESTRICTION"));
    server.enqueue(submitted("second-task"));
    client = builder().build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOfSatisfying(AILabApiException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(503);
          assertThat(e.errorCode()).isEqualTo("AI_SERVICE_FLOW_RESTRICTION");
          assertThat(e.isRetryable()).isTrue(); // the caller may decide to; the SDK does not
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void submitIsNotRetriedAfterA500() throws Exception {
    server.enqueue(error(500, "PROCESSING_FAILURE"));
    server.enqueue(submitted("second-task"));
    client = builder().build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOfSatisfying(AILabApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(500));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void submitIsNotRepeatedByOkHttpFor503WithRetryAfterZeroOr408() throws Exception {
    // OkHttp itself repeats a request on "503 + Retry-After: 0" and on 408 unless its body is one-shot.
    server.enqueue(new MockResponse.Builder(error(503, "AI_SERVICE_FLOW_RESTRICTION")).setHeader("Retry-After", "0")
        .build());
    server.enqueue(error(408, "REQUEST_TIMEOUT"));
    server.enqueue(submitted("should-not-be-used"));
    client = builder().build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOfSatisfying(AILabApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(503));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOfSatisfying(AILabApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(408));
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void submitIsNotRetriedAfterADisconnectOnceTheRequestWasReceived() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(submitted("second-task"));
    client = builder().build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOf(AILabIOException.class);

    RecordedRequest received = server.takeRequest();
    assertThat(received.getUrl().encodedPath()).isEqualTo(HAIRSTYLE_PATH);
    assertThat(server.takeRequest(200, MILLISECONDS)).isNull();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void submitIsNotRetriedWhenTheAnswerBreaksOffMidBody() throws Exception {
    server.enqueue(new MockResponse.Builder(submitted(TASK_ID))
        .onResponseBody(new SocketEffect.CloseSocket()).build());
    server.enqueue(submitted("second-task"));
    client = builder().build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOf(AILabException.class);

    assertThat(server.takeRequest()).isNotNull();
    assertThat(server.takeRequest(200, MILLISECONDS)).isNull();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aPooledConnectionTheServerClosedIsNotUsedForASubmit() throws Exception {
    // Servers and load balancers drop idle keep-alive connections. A one-shot submit cannot be repeated
    // on a fresh connection after failing on a dead one, so the dead one must be detected before sending.
    server.enqueue(new MockResponse.Builder(json("{\"request_id\":\"c\",\"data\":[]}"))
        .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(submitted(TASK_ID));
    client = builder().build();
    client.credits();
    assertThat(server.takeRequest().getConnectionIndex()).isZero();
    Thread.sleep(100); // let the close reach the client

    AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm());

    assertThat(task.taskId()).isEqualTo(TASK_ID);
    RecordedRequest submit = server.takeRequest();
    assertThat(submit.getUrl().encodedPath()).isEqualTo(HAIRSTYLE_PATH);
    assertThat(submit.getConnectionIndex()).isEqualTo(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void submitIsRetriedWhenTheConnectionIsRefusedUntilRetriesRunOut() throws Exception {
    int port = closedPort();
    client = builder().baseUrl("http://127.0.0.1:" + port + "/").maxRetries(2).build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOfSatisfying(AILabIOException.class, e -> assertThat(e.getCause())
            .isInstanceOf(ConnectException.class));
    // Three connection attempts: the first and two retries, with a backoff before each retry.
    assertThat(sleeper.sleeps()).hasSize(2);
    assertThat(sleeper.sleeps()).allSatisfy(d -> assertThat(d).isPositive());
  }

  @Test
  void aSubmitWhoseFutureEndedBeforeItWasSent_isNeverSent() throws Exception {
    CountDownLatch releaseBusy = new CountDownLatch(1);
    AtomicInteger submits = new AtomicInteger();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if (request.getMethod().equals("POST")) {
          submits.incrementAndGet();
          return submitted(TASK_ID);
        }
        releaseBusy.await(10, TimeUnit.SECONDS);
        return json("{\"task_status\":1}");
      }
    });
    suppliedHttp = TestServers.oneThreadHttp();
    client = builder().okHttpClient(suppliedHttp).build();
    CompletableFuture<TaskResult> busy = client.getTaskResultAsync(TASK_ID); // holds the only thread
    assertThat(PollThreads.eventually(5000, () -> server.getRequestCount() == 1)).isTrue();

    // The caller bounds the submit with the JDK's own means, gives up, and may submit again.
    CompletableFuture<AsyncTask> submit = client.submitAsync(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm())
        .orTimeout(100, TimeUnit.MILLISECONDS);
    assertThatThrownBy(submit::join).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
    releaseBusy.countDown();
    busy.get(5, TimeUnit.SECONDS);

    assertThat(PollThreads.eventually(5000, () -> suppliedHttp.dispatcher().runningCallsCount() == 0
        && suppliedHttp.dispatcher().queuedCallsCount() == 0)).isTrue();
    assertThat(submits.get()).as("submits sent after the caller gave up").isZero();
  }

  @ParameterizedTest
  @CsvSource({"200, <html>upstream answer lost</html>", "502, <html>Bad Gateway</html>", "200, ''"})
  void aSubmitAnsweredWithSomethingElseThanTheApisJson_isNotRetryable(int status, String body) throws Exception {
    server.enqueue(new MockResponse.Builder().code(status).body(body).build());
    client = builder().build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOfSatisfying(AILabApiException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(status);
          assertThat(e.isRetryable()).as("the API may have created the task").isFalse();
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429})
  void aSubmitTurnedAwayWithAProxysPageIsRetryableLikeTheApisOwnAnswer(int status) throws Exception {
    server.enqueue(new MockResponse.Builder().code(status).setHeader("Content-Type", "text/html")
        .body("<html><h1>Too Many Requests</h1></html>").build());
    client = builder().build();

    assertThatThrownBy(() -> client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm()))
        .isInstanceOfSatisfying(AILabApiException.class, e -> assertThat(e.isRetryable())
            .as("turned away unprocessed: no task was created").isTrue());
    assertThat(server.getRequestCount()).isEqualTo(1); // the SDK itself never repeats a submit's answer
  }

  @Test
  void submitIsRetriedAfterAConnectTimeoutAndSentExactlyOnce() throws Exception {
    server.enqueue(submitted(TASK_ID));
    suppliedHttp = new OkHttpClient.Builder().socketFactory(firstConnectTimesOut()).build();
    client = builder().okHttpClient(suppliedHttp).build();

    AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm());

    assertThat(task.taskId()).isEqualTo(TASK_ID);
    assertThat(sleeper.sleeps()).hasSize(1);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  /** Sockets whose first connect times out as the JDK reports it when nothing answers; later ones connect. */
  private static SocketFactory firstConnectTimesOut() {
    AtomicInteger connects = new AtomicInteger();
    return new SocketFactory() {
      @Override
      public Socket createSocket() {
        return new Socket() {
          @Override
          public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (connects.getAndIncrement() == 0) {
              throw new SocketTimeoutException("Connect timed out");
            }
            super.connect(endpoint, timeout);
          }
        };
      }

      @Override
      public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Socket createSocket(InetAddress host, int port) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void submitRefusedOnceThenAcceptedIsSentExactlyOnce() throws Exception {
    int port = closedPort();
    AtomicReference<IOException> startFailure = new AtomicReference<>();
    lateServer = new MockWebServer();
    lateServer.enqueue(submitted(TASK_ID));
    // The server comes up while the client backs off after the refused connection.
    io.github.ailabkit.internal.Sleeper startServerOnFirstSleep = duration -> {
      sleeper.sleep(duration);
      if (!lateServer.getStarted()) {
        try {
          lateServer.start(java.net.InetAddress.getByName("127.0.0.1"), port);
        } catch (IOException e) {
          startFailure.set(e);
        }
      }
    };
    client = builder().baseUrl("http://127.0.0.1:" + port + "/").sleeper(startServerOnFirstSleep).build();

    AsyncTask task = client.submit(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm());

    assertThat(startFailure.get()).isNull();
    assertThat(task.taskId()).isEqualTo(TASK_ID);
    assertThat(sleeper.sleeps()).hasSize(1);
    assertThat(lateServer.getRequestCount()).isEqualTo(1);
    RecordedRequest request = lateServer.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo(HAIRSTYLE_PATH);
    assertThat(MultipartParts.parse(request)).extracting(Part::name).containsExactlyInAnyOrder("image", "hair_style");
  }

  @Test
  void submitAsyncIsNotRetriedAfterA503() throws Exception {
    server.enqueue(error(503, "AI_SERVICE_FLOW_RESTRICTION"));
    server.enqueue(submitted("second-task"));
    client = builder().build();

    CompletableFuture<AsyncTask> future = client.submitAsync(Endpoints.HAIRSTYLE_EDITOR_PRO, hairstyleForm());

    assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(AILabApiException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  /** A local port where nothing listens: a server's port, after it stopped. */
  private static int closedPort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
