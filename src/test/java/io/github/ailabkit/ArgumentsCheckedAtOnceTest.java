package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ailabkit.testing.PollScript;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public setter and method rejects a value it cannot honour with {@link IllegalArgumentException}
 * where it is given, never later ({@code build()} failing with {@code ArithmeticException}) nor as another
 * type ({@code DateTimeException} from a wait).
 */
class ArgumentsCheckedAtOnceTest {
  private static final String TASK_ID = "1714743372764.fb8fd68b-7f0e-1485-d003-32ee0f854a92";

  @StartStop final MockWebServer server = PollScript.newServer();

  static Stream<Arguments> timeoutSetters() {
    return Stream.of(
        Arguments.of("connectTimeout", (BiConsumer<AILabClient.Builder, Duration>) AILabClient.Builder::connectTimeout),
        Arguments.of("readTimeout", (BiConsumer<AILabClient.Builder, Duration>) AILabClient.Builder::readTimeout),
        Arguments.of("writeTimeout", (BiConsumer<AILabClient.Builder, Duration>) AILabClient.Builder::writeTimeout),
        Arguments.of("callTimeout", (BiConsumer<AILabClient.Builder, Duration>) AILabClient.Builder::callTimeout));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("timeoutSetters")
  void aTimeoutOkHttpCannotHonourIsRefusedByItsSetter(String name, BiConsumer<AILabClient.Builder, Duration> setter) {
    for (Duration bad : new Duration[] {Duration.ofSeconds(Long.MAX_VALUE), Duration.ofDays(25),
        AILabClient.Builder.MAX_TIMEOUT.plusMillis(1), Duration.ofNanos(1), Duration.ofNanos(999_999),
        Duration.ofSeconds(-1)}) {
      AILabClient.Builder builder = AILabClient.builder().apiKey("sk-args").baseUrl(server.url("/").toString());
      assertThatThrownBy(() -> setter.accept(builder, bad)).as(name + "(" + bad + ")")
          .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("timeoutSetters")
  void theLongestAndShortestTimeoutsBuild(String name, BiConsumer<AILabClient.Builder, Duration> setter) {
    for (Duration good : new Duration[] {AILabClient.Builder.MAX_TIMEOUT, Duration.ofMillis(1), Duration.ZERO}) {
      AILabClient.Builder builder = AILabClient.builder().apiKey("sk-args").baseUrl(server.url("/").toString());
      setter.accept(builder, good);
      builder.build().close();
    }
  }

  @Test
  void aDownloadTimeoutMustBePositiveAndHonourable() {
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofNanos(999_999),
        AILabClient.Builder.MAX_TIMEOUT.plusMillis(1), Duration.ofSeconds(Long.MAX_VALUE)}) {
      AILabClient.Builder builder = AILabClient.builder().apiKey("sk-args").baseUrl(server.url("/").toString());
      assertThatThrownBy(() -> builder.downloadTimeout(bad)).as("downloadTimeout(" + bad + ")")
          .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("downloadTimeout");
    }
    for (Duration good : new Duration[] {AILabClient.Builder.MAX_TIMEOUT, Duration.ofMillis(1)}) {
      AILabClient.builder().apiKey("sk-args").baseUrl(server.url("/").toString()).downloadTimeout(good).build()
          .close();
    }
  }

  @Test
  void aSubmissionInstantBeyondAnyDeadlineIsRefusedAtOnce() {
    try (AILabClient client = AILabClient.builder().apiKey("sk-args").baseUrl(server.url("/").toString()).build()) {
      TaskPoller poller = client.taskPoller();
      Instant farFuture = Instant.now().plus(2, ChronoUnit.DAYS);
      for (Instant bad : new Instant[] {Instant.MAX, farFuture}) {
        assertThatThrownBy(() -> poller.awaitCompletion(TASK_ID, bad))
            .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("submittedAt");
        assertThatThrownBy(() -> poller.awaitCompletionAsync(TASK_ID, bad))
            .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("submittedAt");
      }
      assertThat(server.getRequestCount()).isZero();
    }
  }

  @Test
  void aSubmissionLongAgoEndsAtOnceAsExpiredWithoutAPoll() {
    try (AILabClient client = AILabClient.builder().apiKey("sk-args").baseUrl(server.url("/").toString()).build()) {
      Throwable thrown = catchThrowable(() -> client.taskPoller().awaitCompletion(TASK_ID, Instant.MIN));

      assertThat(thrown).isInstanceOf(TaskTimeoutException.class).hasMessageContaining("expired");
      assertThat(server.getRequestCount()).isZero();
    }
  }
}
