package io.github.ailabkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ailabkit.AILabClient;
import io.github.ailabkit.TaskPoller;
import io.github.ailabkit.testing.PollScript;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Task ids are user input that ends up in a URL. Property: any id the SDK accepts reaches the server as
 * exactly one {@code task_id} query parameter equal to the input, on the query path, with nothing else in
 * the query; any id it refuses (null, blank, a control character, over 1024 characters) is refused by every
 * entry point before a single byte is sent.
 *
 * <p>Ids are random: printable ASCII with every URL delimiter ({@code & = # % / ? +}, spaces), Unicode from
 * every plane (astral characters as surrogate pairs), format and separator characters, up to the limit. Seeds
 * are fixed for a deterministic build; pick others with {@code -Dailab.fuzz.seed=<n>}. A failure names the id.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskIdFuzzTest {
  static final long BASE_SEED = Long.getLong("ailab.fuzz.seed", 77L);
  static final int ROUNDS = 4;
  static final int IDS_PER_ROUND = 150;
  private static final String QUERY_PATH = "/api/common/query-async-task-result";
  private static final String DELIMITERS = "&=#%/?+ ;,:@$!'()*[]{}<>\"\\|^`~";

  @StartStop final MockWebServer server = PollScript.newServer();
  private final List<HttpUrl> received = new CopyOnWriteArrayList<>();
  private AILabClient client;
  private TaskPoller poller;

  @BeforeEach
  void setUp() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        received.add(request.getUrl());
        return PollScript.status("any", 2);
      }
    });
    client = AILabClient.builder().apiKey("task-id-key").baseUrl(server.url("/").toString()).build();
    poller = TaskPoller.builder(client).interval(Duration.ofMillis(5)).initialDelay(Duration.ZERO)
        .maxPollsPerSecond(100_000).timeout(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  static LongStream rounds() {
    return LongStream.range(0, ROUNDS).map(i -> BASE_SEED + i);
  }

  @ParameterizedTest(name = "round seed {0}")
  @MethodSource("rounds")
  void anAcceptedIdArrivesAsExactlyOneEqualTaskIdParameter(long roundSeed) throws Exception {
    Random random = new Random(roundSeed);
    for (int i = 0; i < IDS_PER_ROUND; i++) {
      String id = validId(random);
      boolean viaPoller = i % 3 == 0;
      received.clear();

      if (viaPoller) {
        poller.awaitCompletionAsync(id).get(10, TimeUnit.SECONDS);
      } else {
        client.getTaskResult(id);
      }

      assertThat(received).as("requests for id %s (%s, round seed %d)", describe(id),
          viaPoller ? "poller" : "getTaskResult", roundSeed).singleElement().satisfies(url -> {
            assertThat(url.encodedPath()).isEqualTo(QUERY_PATH);
            assertThat(url.queryParameterNames()).containsExactly("task_id");
            assertThat(url.queryParameterValues("task_id")).containsExactly(id);
            assertThat(url.fragment()).isNull();
          });
    }
  }

  @Test
  void theLongestAcceptedIdOfAstralCharactersArrivesIntact() throws Exception {
    String id = "\uD83D\uDE00&=#%/?+ ".repeat(1024 / 10) + "\uD83D\uDE00\uD83D\uDE00";
    assertThat(id).hasSize(1024);

    client.getTaskResult(id);

    assertThat(received).singleElement()
        .satisfies(url -> assertThat(url.queryParameterValues("task_id")).containsExactly(id));
  }

  @ParameterizedTest(name = "round seed {0}")
  @MethodSource("rounds")
  void aRefusedIdIsRefusedByEveryEntryPointBeforeAnythingIsSent(long roundSeed) throws Exception {
    Random random = new Random(roundSeed);
    for (int i = 0; i < IDS_PER_ROUND; i++) {
      String id = invalidId(random);

      assertRefusedEverywhere(id, "id " + describe(id) + " (round seed " + roundSeed + ")");
    }
    assertRefusedEverywhere(null, "null");
    Thread.sleep(50); // a poll sent by mistake would have arrived by now

    assertThat(server.getRequestCount()).as("requests sent").isZero();
  }

  /** An unpaired surrogate cannot be encoded in UTF-8: sending it would query another task id ("?"). */
  @Test
  void anIdWithAnUnpairedSurrogateIsRefusedBeforeAnythingIsSent() throws Exception {
    for (String id : List.of("abc\uD800def", "abc\uDC00", "\uDBFF", "ok\uDE00\uD83D")) {
      assertRefusedEverywhere(id, describe(id));
    }
    Thread.sleep(50);

    assertThat(server.getRequestCount()).isZero();
  }

  private void assertRefusedEverywhere(String id, String what) {
    List<Consumer<String>> entryPoints = List.of(
        client::getTaskResult,
        client::getTaskResultAsync,
        poller::awaitCompletion,
        poller::awaitCompletionAsync,
        taskId -> poller.awaitCompletion(taskId, Instant.now()),
        taskId -> poller.awaitCompletionAsync(taskId, Instant.now()),
        taskId -> poller.awaitAll(taskId == null ? java.util.Arrays.asList("valid-id", null)
            : List.of("valid-id", taskId)));
    for (int i = 0; i < entryPoints.size(); i++) {
      Consumer<String> entryPoint = entryPoints.get(i);
      Throwable thrown = catchThrowable(() -> entryPoint.accept(id));
      assertThat(thrown).as("entry point #%d with %s", i, what)
          .isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class);
    }
  }

  // ---- ids ----

  /** An id the SDK must accept: not blank, no control character, at most 1024 UTF-16 units, well-formed. */
  static String validId(Random random) {
    int length = random.nextInt(10) == 0 ? 1000 + random.nextInt(25) : 1 + random.nextInt(80);
    StringBuilder id = new StringBuilder(length);
    while (id.length() < length) {
      int codePoint = validCodePoint(random);
      if (id.length() + Character.charCount(codePoint) <= length) {
        id.appendCodePoint(codePoint);
      } else {
        id.append('x');
      }
    }
    if (id.toString().isBlank()) {
      id.setCharAt(0, 'x');
    }
    return id.toString();
  }

  private static int validCodePoint(Random random) {
    switch (random.nextInt(8)) {
      case 0:
        return DELIMITERS.charAt(random.nextInt(DELIMITERS.length()));
      case 1:
        return 0x10000 + random.nextInt(0x10FFFF - 0x10000 + 1); // astral: a surrogate pair
      case 2: {
        int[] odd = {0x00A0, 0x2028, 0x2029, 0x200B, 0x202E, 0xFEFF, 0xFFFD, 0xFFFF, 0x3000, '\u00e9', 0x0301};
        return odd[random.nextInt(odd.length)];
      }
      case 3: {
        int c;
        do {
          c = 0xA0 + random.nextInt(0xFFFF - 0xA0);
        } while (Character.isSurrogate((char) c));
        return c;
      }
      default:
        return 0x21 + random.nextInt(0x5E);
    }
  }

  /** An id the SDK must refuse: blank, with a control character somewhere, or over 1024 characters. */
  static String invalidId(Random random) {
    switch (random.nextInt(3)) {
      case 0: {
        String[] blanks = {" ", "\t", "\u2003", "\u3000", "\u2028", "\n", "\u000b", "\u001c"};
        StringBuilder id = new StringBuilder();
        for (int i = random.nextInt(20); i >= 0; i--) {
          id.append(blanks[random.nextInt(blanks.length)]);
        }
        return random.nextBoolean() ? id.toString() : "";
      }
      case 1: {
        StringBuilder id = new StringBuilder(validId(random));
        int[] controls = {0x00, 0x01, '\r', '\n', '\t', 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9F};
        int at = random.nextInt(id.length() + 1);
        id.insert(at, (char) controls[random.nextInt(controls.length)]);
        return id.length() > 1024 ? id.substring(0, 1024 - 1) + (char) 0 : id.toString();
      }
      default: {
        StringBuilder id = new StringBuilder();
        int length = 1025 + random.nextInt(10 * 1024);
        while (id.length() < length) {
          id.appendCodePoint(validCodePoint(random));
        }
        return id.toString();
      }
    }
  }

  private static String describe(String id) {
    if (id == null) {
      return "null";
    }
    String shown = ParserFuzzTest.excerpt(id);
    return "\"" + shown + "\" (" + id.length() + " chars)";
  }
}
