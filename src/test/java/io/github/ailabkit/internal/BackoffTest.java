package io.github.ailabkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one backoff description: its growth, cap, jitter that only lengthens, and the two uses of Retry-After. */
class BackoffTest {
  private static final int SAMPLES = 200;

  @Test
  void callsGrowFromABaseToACapAndJitterOnlyLengthens() {
    for (int retry = 1; retry <= 12; retry++) {
      long floor = Math.min(6_400, 400L << (retry - 1));
      for (int i = 0; i < SAMPLES; i++) {
        assertThat(Backoff.CALLS.delay(retry, null).toMillis()).as("retry %d", retry)
            .isBetween(floor, floor * 5 / 4);
      }
    }
  }

  @Test
  void callsWaitARetryAfterExactlyClampedToItsCap() {
    assertThat(Backoff.CALLS.delay(3, Duration.ofMillis(1500))).isEqualTo(Duration.ofMillis(1500));
    assertThat(Backoff.CALLS.delay(1, Duration.ZERO)).isEqualTo(Duration.ZERO);
    assertThat(Backoff.CALLS.delay(1, Duration.ofHours(1))).isEqualTo(RetryAfter.CAP);
  }

  @Test
  void pollsDoubleTheIntervalUpToAMinuteAndTakeRetryAfterAsAFloor() {
    Backoff polls = Backoff.polls(Duration.ofSeconds(5));
    for (int i = 0; i < SAMPLES; i++) {
      assertThat(polls.delay(1, null)).isBetween(Duration.ofSeconds(5), Duration.ofMillis(5_500));
      assertThat(polls.delay(3, null)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(22));
      assertThat(polls.delay(30, null)).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(66));
      assertThat(polls.delay(1, Duration.ofSeconds(30))).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(33));
      assertThat(polls.delay(3, Duration.ofSeconds(1))).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(22));
    }
  }

  @Test
  void anIntervalLongerThanTheCapIsItsOwnCap() {
    Backoff polls = Backoff.polls(Duration.ofMinutes(5));
    assertThat(polls.delay(4, null)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(5).plusSeconds(30));
  }
}
