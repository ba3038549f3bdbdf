package io.github.ailabkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.ApiResponse;
import io.github.ailabkit.AsyncTask;
import io.github.ailabkit.AuthenticationException;
import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.Form;
import io.github.ailabkit.RateLimitException;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.testing.Images;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the simulated API answers to submits, calls and queries: the key check, validation, credits, routing. */
class SimulatorRequestsTest {
  private static final String QUERY = Endpoints.QUERY_ASYNC_TASK_RESULT_PATH;
  private static final String SKIN = Endpoints.SMART_SKIN_ADVANCED.path();

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock();
  private AILabSimulator sim;
  private AILabClient client;
  private RawHttp raw;

  @BeforeEach
  void start() {
    sim = Fixtures.simulator(clock).start();
    client = Fixtures.client(sim);
    raw = new RawHttp(sim);
  }

  @AfterEach
  void stop() {
    raw.close();
    client.close();
    sim.close();
  }

  // ---- the API key ----

  @Test
  void aWrongKeyIsRefusedWithAuthenticationExceptionOnEveryKindOfCall() {
    try (AILabClient stranger = AILabClient.builder().apiKey("not-the-key").baseUrl(sim.baseUrl())
        .maxRetries(0).build()) {
      assertThatThrownBy(stranger::credits).isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("ERROR_USER_NOT_EXISTS");
      assertThatThrownBy(() -> stranger.getTaskResult("1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92"))
          .isInstanceOf(AuthenticationException.class);
      assertThatThrownBy(() -> stranger.submit(Endpoints.HAIRSTYLE_EDITOR_PRO,
          Fixtures.imageForm(dir).field("hair_style", "BuzzCut")))
          .isInstanceOf(AuthenticationException.class);
      assertThatThrownBy(() -> stranger.call(Endpoints.PORTRAIT_BACKGROUND_REMOVAL, Fixtures.imageForm(dir)))
          .isInstanceOf(AuthenticationException.class)
          .satisfies(e -> assertThat(((AuthenticationException) e).httpStatus()).isEqualTo(401));
    }
    assertThat(client.credits().totalBalance()).isEqualTo(1_000_000);
  }

  @Test
  void aMissingKeyIsAnsweredInTheNewFormOnQueries() {
    RawHttp.Reply reply = raw.get(Endpoints.QUERY_CREDITS_PATH, null);

    assertThat(reply.status()).isEqualTo(401);
    JsonNode body = reply.json();
    assertThat(body.has("request_id")).isTrue();
    assertThat(body.has("log_id")).isTrue();
    assertThat(body.has("error_code")).isFalse();
    assertThat(body.path("error_detail").path("code").asText()).isEqualTo("ERROR_USER_NOT_EXISTS");
    assertThat(body.path("error_detail").path("code_message").asText()).isEqualTo("The user does not exist.");
    assertThat(body.path("error_detail").has("status_code")).isFalse();
  }

  @Test
  void aMissingKeyIsAnsweredInTheOldFormOnSyncEndpoints() {
    RawHttp.Reply reply = raw.post(Endpoints.PORTRAIT_BACKGROUND_REMOVAL.path(),
        RawHttp.formWithImage().build(), "wrong-key");

    assertThat(reply.status()).isEqualTo(401);
    JsonNode body = reply.json();
    assertThat(body.path("error_code").asInt()).isEqualTo(401);
    assertThat(body.path("error_code_str").asText()).isEqualTo("ERROR_USER_NOT_EXISTS");
    assertThat(body.path("error_msg").asText()).isNotEmpty();
    assertThat(body.path("error_detail").path("status_code").asInt()).isEqualTo(401);
    assertThat(body.path("error_detail").path("code").asText()).isEqualTo("ERROR_USER_NOT_EXISTS");
  }

  // ---- submits ----

  @Test
  void anAsyncSubmitAnswersATaskIdInTheApiFormat() {
    AsyncTask task = client.submit(Endpoints.SMART_SKIN_ADVANCED, Fixtures.imageForm(dir));

    assertThat(task.taskId()).matches("\\d{13}\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(task.taskId()).startsWith(Long.toString(clock.millis()));
    assertThat(task.requestId()).isNotEmpty();
    assertThat(sim.stats().submits(SKIN)).isEqualTo(1);
  }

  @Test
  void oldFormAsyncEndpointsAlsoAnswerTaskTypeAsync() {
    RawHttp.Reply reply = raw.post(Endpoints.AI_ANIME_GENERATOR.path(), RawHttp.formWithImage()
        .addFormDataPart("task_type", "async")
        .addFormDataPart("index", "0")
        .build(), sim.apiKey());

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().path("error_code").asInt(-1)).isZero();
    assertThat(reply.json().path("task_type").asText()).isEqualTo("async");
    assertThat(reply.json().path("task_id").asText()).isNotEmpty();
  }

  @Test
  void everyOldFormAsyncPathIsAnAsyncEndpointOfTheCatalog() {
    for (String path : WireForm.OLD_FORM_ASYNC_PATHS) {
      Endpoint endpoint = Endpoints.forPath(path).orElseThrow(() -> new AssertionError("not in the catalog: " + path));
      assertThat(endpoint.mode().answersWithTask()).as(path).isTrue();
      assertThat(WireForm.of(endpoint)).isEqualTo(WireForm.OLD);
    }
    assertThat(WireForm.of(Endpoints.HAIRSTYLE_EDITOR_PRO)).isEqualTo(WireForm.NEW);
    assertThat(WireForm.of(Endpoints.PORTRAIT_BACKGROUND_REMOVAL)).isEqualTo(WireForm.OLD);
  }

  @Test
  void anEndpointThatAnswersEitherWayAnswersAsItIsAsked() {
    ApiResponse direct = client.call(Endpoints.SMART_BEAUTY, Form.create().file("image_target", Fixtures.png(dir)));
    AsyncTask task = client.submit(Endpoints.SMART_BEAUTY, Form.create().file("image_target", Fixtures.png(dir)));

    assertThat(ResultFiles.urls(direct)).singleElement().asString().startsWith(sim.baseUrl() + "/files/");
    assertThat(task.taskId()).isNotBlank();
    assertThat(sim.stats().submits(Endpoints.SMART_BEAUTY.path())).isEqualTo(2);
  }

  @Test
  void aValueOfTheWrongTypeIsAnswered400() {
    RawHttp.Reply reply = raw.post(Endpoints.AI_IMAGE_EXTENDER.path(), new MultipartBody.Builder()
        .setType(MultipartBody.FORM).addFormDataPart("steps", "many")
        .addFormDataPart("image", "face.png", RequestBody.create(Images.png(), RawHttp.PNG)).build(), sim.apiKey());

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().path("error_detail").path("message").asText()).contains("'steps' = 'many' is not a whole number");
  }

  @Test
  void aMissingRequiredFieldIsAnswered400() {
    RawHttp.Reply reply = raw.post(SKIN, new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("smart_skin", "1").build(), sim.apiKey());

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().path("error_detail").path("code").asText()).isEqualTo("MISSING_PARAMETERS");
    assertThat(reply.json().path("error_detail").path("message").asText()).contains("missing parameter 'image'");
    assertThat(sim.stats().submits(SKIN)).isEqualTo(1);
  }

  @Test
  void aValueOutsideTheEnumerationIsAnswered400() {
    RawHttp.Reply reply = raw.post(SKIN, RawHttp.formWithImage().addFormDataPart("smart_skin", "2").build(),
        sim.apiKey());

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().path("error_detail").path("code").asText()).isEqualTo("ERROR_INVALID_PARAMETER");
    assertThat(reply.json().path("error_detail").path("message").asText()).contains("smart_skin");
  }

  @Test
  void aFileThatIsNoImageIsAnswered415() {
    RawHttp.Reply reply = raw.post(SKIN, new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("image", "face.png", RequestBody.create("not an image", RawHttp.PNG)).build(), sim.apiKey());

    assertThat(reply.status()).isEqualTo(415);
    assertThat(reply.json().path("error_detail").path("code").asText()).isEqualTo("UNSUPPORTED_FILE_TYPES");
  }

  @Test
  void aFileNameWhoseExtensionBeliesTheBytesIsAnswered415() {
    RawHttp.Reply reply = raw.post(SKIN, new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("image", "face.jpg", RequestBody.create(Pngs.onePixel(), RawHttp.PNG)).build(),
        sim.apiKey());

    assertThat(reply.status()).isEqualTo(415);
    assertThat(reply.json().path("error_detail").path("message").asText()).contains("face.jpg", "PNG");
  }

  @Test
  void aFileOverTheDocumentedSizeIsAnswered413() {
    long limit = Endpoints.SMART_SKIN_ADVANCED.field("image").orElseThrow().maxFileBytes();
    byte[] big = new byte[(int) limit + 1];
    System.arraycopy(Pngs.onePixel(), 0, big, 0, Pngs.onePixel().length);
    RawHttp.Reply reply = raw.post(SKIN, new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("image", "face.png", RequestBody.create(big, RawHttp.PNG)).build(), sim.apiKey());

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.json().path("error_detail").path("code").asText()).isEqualTo("FILE_SIZE_EXCEEDS_LIMIT");
  }

  @Test
  void aBodyThatIsNotMultipartIsAnswered400() {
    RawHttp.Reply reply = raw.post(SKIN, RequestBody.create("{\"image\":\"x\"}", MediaType.get("application/json")),
        sim.apiKey());

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().path("error_detail").path("code").asText()).isEqualTo("ERROR_PARAMETERS");
  }

  @Test
  void validationErrorsOfSyncEndpointsComeInTheOldForm() {
    RawHttp.Reply reply = raw.post(Endpoints.PORTRAIT_BACKGROUND_REMOVAL.path(), new MultipartBody.Builder()
        .setType(MultipartBody.FORM).addFormDataPart("return_form", "whatever").build(), sim.apiKey());

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().path("error_code").asInt()).isEqualTo(400);
    assertThat(reply.json().path("error_detail").path("code").asText()).isEqualTo("MISSING_PARAMETERS");
  }

  // ---- synchronous calls ----

  @Test
  void aSyncCallAnswersAnImageUrlThatDownloadsAsAPngWithoutTheKey() throws Exception {
    ApiResponse response = client.call(Endpoints.PORTRAIT_BACKGROUND_REMOVAL, Form.create().file("image",
        Fixtures.jpeg(dir)));

    String url = response.data().path("image_url").asText();
    assertThat(url).startsWith(sim.baseUrl() + "/files/").endsWith(".png");
    assertThat(response.body().path("error_code").asInt(-1)).isZero();
    Path saved = ResultFiles.download(client, URI.create(url), dir.resolve("out/cutout.png"));
    assertThat(Files.readAllBytes(saved)).isEqualTo(Pngs.onePixel());
    assertThat(sim.stats().filesServed()).isEqualTo(1);
    assertThat(sim.stats().filesRequestedWithKey()).isZero();
  }

  // ---- credits ----

  @Test
  void eachAcceptedSubmitSpendsOneCreditUntilNoneAreLeft() {
    sim.close();
    sim = Fixtures.simulator(clock).credits(2).start();
    client.close();
    client = Fixtures.client(sim);
    assertThat(client.credits().totalBalance()).isEqualTo(2);
    assertThat(client.credits().pools()).singleElement().satisfies(pool -> {
      assertThat(pool.total()).isEqualTo(2);
      assertThat(pool.uniqueSign()).isNotEmpty();
      assertThat(pool.firstBuyTime()).isEqualTo(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    });

    client.submit(Endpoints.SMART_SKIN_ADVANCED, Fixtures.imageForm(dir));
    assertThat(client.credits().totalBalance()).isEqualTo(1);
    client.call(Endpoints.PORTRAIT_BACKGROUND_REMOVAL, Fixtures.imageForm(dir));
    assertThat(client.credits().totalBalance()).isZero();

    assertThatThrownBy(() -> client.submit(Endpoints.SMART_SKIN_ADVANCED, Fixtures.imageForm(dir)))
        .isInstanceOfSatisfying(RateLimitException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("ERROR_NOT_ENOUGH_CREDITS");
          assertThat(e.httpStatus()).isEqualTo(429);
          assertThat(e.isRetryable()).isFalse();
        });
    assertThat(client.credits().totalBalance()).isZero();
  }

  @Test
  void refusedSubmitsCostNothing() {
    raw.post(SKIN, new MultipartBody.Builder().setType(MultipartBody.FORM).addFormDataPart("smart_skin", "1").build(),
        sim.apiKey());

    assertThat(client.credits().totalBalance()).isEqualTo(1_000_000);
  }

  // ---- routing ----

  @Test
  void anUnknownPathIsAnswered404() {
    RawHttp.Reply reply = raw.post("/api/portrait/effects/no-such-thing", RawHttp.formWithImage().build(),
        sim.apiKey());

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().path("error_detail").path("code").asText()).isEqualTo("ERROR_AI_NOT_EXISTS");
  }

  @Test
  void aWrongMethodIsAnswered405WithTheAllowedOne() {
    RawHttp.Reply getOnPost = raw.get(SKIN, sim.apiKey());
    RawHttp.Reply postOnGet = raw.post(Endpoints.QUERY_CREDITS_PATH, RawHttp.formWithImage().build(), sim.apiKey());

    assertThat(getOnPost.status()).isEqualTo(405);
    assertThat(getOnPost.headers().get("Allow")).isEqualTo("POST");
    assertThat(postOnGet.status()).isEqualTo(405);
    assertThat(postOnGet.headers().get("Allow")).isEqualTo("GET");
  }

  @Test
  void aTaskQueryWithoutATaskIdIsAnswered400() {
    RawHttp.Reply reply = raw.get(QUERY, sim.apiKey());

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().path("error_detail").path("message").asText()).contains("task_id");
  }

  @Test
  void statsCountEveryRequestAsItArrives() {
    client.credits();
    raw.get(QUERY + "?task_id=abc", null);
    raw.get(QUERY + "?task_id=abc", sim.apiKey());
    raw.post(SKIN, RawHttp.formWithImage().build(), "wrong-key");

    Stats.Snapshot snapshot = sim.stats().snapshot();
    assertThat(snapshot.totalRequests()).isEqualTo(4);
    assertThat(snapshot.polls("abc")).isEqualTo(2);
    assertThat(snapshot.pollsByTask()).containsOnlyKeys("abc");
    assertThat(snapshot.submits(SKIN)).isEqualTo(1);

    sim.stats().reset();
    assertThat(sim.stats().totalRequests()).isZero();
    assertThat(sim.stats().polls("abc")).isZero();
    assertThat(sim.stats().snapshot().submitsByPath()).isEmpty();
  }
}
