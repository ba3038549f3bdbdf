package io.github.ailabkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AILabException;
import io.github.ailabkit.ApiResponse;
import io.github.ailabkit.ClientSeams;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.ErrorDetail;
import io.github.ailabkit.Form;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.TaskOutcome;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.TaskResult;
import io.github.ailabkit.TaskStatus;
import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.PollScript;
import io.github.ailabkit.testing.RecordedSleeper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: whatever the server answers, the only exceptions that reach the caller are the SDK's own
 * ({@link AILabException} and its subtypes), never Jackson's, {@code NumberFormatException},
 * {@code ClassCastException}, {@code NullPointerException}, {@code StackOverflowError} and the like; and
 * {@link ResultFiles} never throws on any JSON tree.
 *
 * <p>Answers come from {@link FuzzJson}: random bytes, truncated and mutated answers, deep nesting, huge
 * numbers, every known field with a value of the wrong type, odd statuses and headers. Every case has its own
 * seed, printed on failure; rerun one case with {@code -Dailab.fuzz.case=<seed>} (see
 * {@link #replayOneCase()}), or explore new cases with {@code -Dailab.fuzz.seed=<any number>}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParserFuzzTest {
  /** The first round's seed; fixed so that the build is deterministic, overridable to explore. */
  static final long BASE_SEED = Long.getLong("ailab.fuzz.seed", 20_240_503L);
  static final int ROUNDS = 6;
  static final int CASES_PER_ROUND = 120;
  private static final String KEY = "fuzz-key-0123456789";
  private static final int[] STATUSES = {200, 200, 200, 200, 200, 200, 201, 204, 206, 301, 302, 304, 400, 401, 403,
      404, 408, 410, 413, 422, 429, 500, 501, 502, 503, 504, 599};
  private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
      "text/html", "text/plain; charset=iso-8859-1", "application/octet-stream", ""};
  /** Retry-After values, the valid and the absurd (OkHttp itself once threw on numbers past an int). */
  private static final String[] RETRY_AFTERS = {"1", "0", "-1", "1.5", "1e9", "NaN", "Wed, 21 Oct 2015 07:28:00 GMT",
      "Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "soon", "2147483647",
      "99999999999999999999", "", "\u00ff"};

  @StartStop final MockWebServer server = PollScript.newServer();
  @TempDir Path dir;

  private final RandomAnswers answers = new RandomAnswers();
  private AILabClient client;
  private AILabClient waitClient;
  private Path image;

  /** Answers each request with a random answer drawn from the current case's generator, and remembers them. */
  static final class RandomAnswers extends Dispatcher {
    private Random random = new Random(0);
    private final List<String> served = new ArrayList<>();

    synchronized void startCase(Random caseRandom) {
      random = caseRandom;
      served.clear();
    }

    /** The answers of the current case so far, for a failure message. */
    synchronized String served() {
      return String.join(" | then ", served);
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
      MockResponse answer = answer(random);
      served.add(answer.getStatus() + " " + answer.getHeaders().toString().replace('\n', ' ') + excerpt(
          String.valueOf(answer.getBody() == null ? "" : bodyText(answer))));
      return answer;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    server.setDispatcher(answers);
    image = Images.write(dir, "face.png", ImageFormat.PNG, 2048);
    // One retry, with recorded waits: the retry layer's own reading of error bodies is fuzzed too.
    client = ClientSeams.recorded(AILabClient.builder().apiKey(KEY).baseUrl(server.url("/").toString())
        .readTimeout(Duration.ofSeconds(5)).maxRetries(1), new RecordedSleeper()).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
    if (waitClient != null) {
      waitClient.close();
    }
  }

  static LongStream rounds() {
    return LongStream.range(0, ROUNDS).map(i -> BASE_SEED + i);
  }

  // ---- the property, over many seeds ----

  @ParameterizedTest(name = "round seed {0}")
  @MethodSource("rounds")
  void randomAnswersToEveryKindOfCall_failOnlyWithTheSdksExceptions(long roundSeed) {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int i = 0; i < CASES_PER_ROUND; i++) {
        runCase(roundSeed * 1_000_003L + i);
      }
    });
  }

  /** Reruns one case: {@code mvn test -Dtest=ParserFuzzTest#replayOneCase -Dailab.fuzz.case=<seed>}. */
  @Test
  void replayOneCase() {
    String seed = System.getProperty("ailab.fuzz.case");
    org.junit.jupiter.api.Assumptions.assumeTrue(seed != null, "set -Dailab.fuzz.case=<seed> to replay a case");
    runCase(Long.parseLong(seed));
  }

  @ParameterizedTest(name = "round seed {0}")
  @MethodSource("rounds")
  void waitsOnRandomAnswers_endWithAResultOrTheSdksExceptions(long roundSeed) throws Exception {
    Map<String, Random> perTask = new ConcurrentHashMap<>();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        Random random = perTask.get(String.valueOf(request.getUrl().queryParameter("task_id")));
        if (random == null) {
          return PollScript.error(404, "UNKNOWN", "req-unknown");
        }
        synchronized (random) {
          return answer(random);
        }
      }
    });
    // The wall clock here: the recorded one of the other tests stands still, so no wait could time out.
    waitClient = AILabClient.builder().apiKey(KEY).baseUrl(server.url("/").toString())
        .readTimeout(Duration.ofSeconds(5)).build();
    TaskPoller poller = TaskPoller.builder(waitClient).interval(Duration.ofMillis(5)).initialDelay(Duration.ZERO)
        .timeout(Duration.ofMillis(300)).maxPollsPerSecond(100_000).maxPollsInFlight(16).build();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = "fuzz-" + roundSeed + "-" + i;
      perTask.put(id, new Random(roundSeed * 1_000_003L + i));
      ids.add(id);
    }

    Map<String, TaskOutcome> outcomes = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> poller.awaitAll(ids));

    assertThat(outcomes).hasSize(ids.size());
    outcomes.forEach((id, outcome) -> {
      if (!outcome.isSuccess()) {
        assertSdkException(outcome.error(), "wait for " + id + " (round seed " + roundSeed + ")");
      } else {
        assertThat(outcome.result().isCompleted()).isTrue();
      }
    });
  }

  // ---- ResultFiles ----

  @ParameterizedTest(name = "round seed {0}")
  @MethodSource("rounds")
  void resultFilesNeverThrowOnAnyTree(long roundSeed) {
    for (int i = 0; i < 400; i++) {
      long seed = roundSeed * 1_000_003L + i;
      Random random = new Random(seed);
      JsonNode tree = FuzzJson.resultTree(random, 1 + random.nextInt(6));
      JsonNode body = random.nextBoolean() ? tree : new ObjectMapper().createObjectNode().set("data", tree);
      try {
        List<URI> urls = ResultFiles.urls(body);
        List<byte[]> images = ResultFiles.base64Images(body);
        TaskResult result = new TaskResult("", "", ErrorDetail.NONE, TaskStatus.COMPLETED, 2, body.get("data"), body);
        assertThat(ResultFiles.urls(result)).isEqualTo(urls);
        assertThat(ResultFiles.base64Images(result)).hasSameSizeAs(images);
        assertThat(ResultFiles.urls(new ApiResponse("", "", ErrorDetail.NONE, body))).isEqualTo(urls);
        assertThat(urls).doesNotHaveDuplicates().allSatisfy(uri -> {
          assertThat(uri.getScheme()).isIn("http", "https");
          assertThat(uri.getHost()).isNotBlank();
        });
        assertThat(images).allSatisfy(bytes -> assertThat(bytes).isNotEmpty());
      } catch (Throwable t) {
        throw new AssertionError("ResultFiles threw on case seed " + seed + " (tree: "
            + excerpt(body.toString()) + ")", t);
      }
    }
  }

  /** Found by {@link #resultFilesNeverThrowOnAnyTree} (the host-less ones with {@code -Dailab.fuzz.seed=99}). */
  @Test
  void oddResultUrls_areFoundOrSkipped_neverThrownNorReturnedWithoutAHost() {
    for (String odd : List.of("https://files.example/x.png#a\u00a0b", "https://files.example/x.png#a\u2007b",
        "https://files.example/x.png#a\u202fb", "https://$/a b", "https://$/x%zz")) {
      JsonNode body = new ObjectMapper().createObjectNode().set("data", new ObjectMapper().createObjectNode()
          .put("image", odd).put("image_url", "https://files.example/y.png"));

      List<URI> urls = ResultFiles.urls(body);

      assertThat(urls).as(odd).extracting(URI::toString).contains("https://files.example/y.png");
      assertThat(urls).as(odd).allSatisfy(uri -> assertThat(uri.getHost()).isNotBlank());
    }
  }

  @Test
  void resultFilesCopeWithTheDeepestTreeTheParserAccepts() throws Exception {
    String deep = "{\"data\":" + "[".repeat(990) + "\"https://files.example/deep.png\"" + "]".repeat(990) + "}";
    JsonNode body = new ObjectMapper().readTree(deep);

    assertThat(ResultFiles.urls(body)).extracting(URI::toString).containsExactly("https://files.example/deep.png");
    assertThat(ResultFiles.base64Images(body)).isEmpty();
  }

  // ---- one case ----

  private enum Call { QUERY, QUERY_ASYNC, CREDITS, SUBMIT, SYNC_CALL }

  private void runCase(long seed) {
    Random random = new Random(seed);
    Call call = Call.values()[random.nextInt(Call.values().length)];
    answers.startCase(new Random(random.nextLong()));
    Object outcome;
    try {
      outcome = perform(call);
    } catch (Throwable t) {
      outcome = t;
    }
    if (outcome instanceof Throwable) {
      assertSdkException((Throwable) outcome, "case seed " + seed + " (" + call + ", rerun with -Dailab.fuzz.case="
          + seed + "; answers: " + answers.served() + ")");
    } else {
      assertThat(outcome).as("case seed %d (%s)", seed, call).isNotNull();
    }
  }

  private Object perform(Call call) throws Exception {
    switch (call) {
      case QUERY:
        return client.getTaskResult("fuzz-task");
      case QUERY_ASYNC: {
        CompletableFuture<TaskResult> future = client.getTaskResultAsync("fuzz-task");
        try {
          return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          return e.getCause();
        }
      }
      case CREDITS:
        return client.credits();
      case SUBMIT:
        return client.submit(Endpoints.AI_BALD, Form.create().file("image", image));
      default:
        return client.call(Endpoints.PORTRAIT_ANIMATION, Form.create().file("image", image));
    }
  }

  private static void assertSdkException(Throwable thrown, String context) {
    if (!(thrown instanceof AILabException)) {
      throw new AssertionError("A " + thrown.getClass().getName() + " escaped the SDK for " + context
          + "; only AILabException and its subtypes may", thrown);
    }
    assertThat(thrown.getMessage()).as("message of %s for %s", thrown.getClass().getSimpleName(), context)
        .isNotBlank();
    StringWriter printed = new StringWriter();
    thrown.printStackTrace(new PrintWriter(printed));
    assertThat(printed.toString()).as("printed %s for %s", thrown.getClass().getSimpleName(), context)
        .doesNotContain(KEY);
  }

  /** The random answer a generator seeded like the case's would give first. */
  static MockResponse answer(Random random) {
    byte[] body = FuzzJson.body(random);
    MockResponse.Builder response = new MockResponse.Builder().code(STATUSES[random.nextInt(STATUSES.length)]);
    String type = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
    if (!type.isEmpty()) {
      response.setHeader("Content-Type", type);
    }
    if (random.nextInt(4) == 0) {
      response.addHeaderLenient("Retry-After", RETRY_AFTERS[random.nextInt(RETRY_AFTERS.length)]);
    }
    if (random.nextInt(20) == 0) {
      response.setHeader("Content-Encoding", "gzip"); // a body that is not gzip at all
    }
    if (random.nextInt(30) == 0) {
      response.setHeader("Location", random.nextBoolean() ? "http://127.0.0.1:1/elsewhere" : "::not a url::");
    }
    return response.body(new Buffer().write(body)).build();
  }

  private static String bodyText(MockResponse answer) {
    try {
      Buffer buffer = new Buffer();
      answer.getBody().writeTo(buffer);
      return buffer.readString(StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** At most 300 characters of {@code text}, anything but printable ASCII escaped, so reports stay readable. */
  static String excerpt(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 300; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return out.length() < 300 ? out.toString() : out + "... (" + text.length() + " chars)";
  }
}
