package io.github.ailabkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Additive increase, multiplicative decrease of the submit rate, on a clock the test moves. */
class SubmitPacerTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SubmitPacer pacer = new SubmitPacer(now::get);

  @Test
  void unlimitedUntilThrottled() {
    for (int i = 0; i < 100; i++) {
      assertThat(pacer.reserve()).isZero();
    }
    assertThat(pacer.rate()).isInfinite();
  }

  @Test
  void aThrottleHalvesTheRateSeenJustBeforeAndEachFurtherThrottleHalvesItAgain() {
    for (int i = 0; i < 20; i++) { // 20 submits over one second
      pacer.reserve();
      now.addAndGet(50_000_000L);
    }
    pacer.onThrottled(null);
    assertThat(pacer.rate()).isBetween(9.0, 11.0);
    pacer.onThrottled(null);
    assertThat(pacer.rate()).isBetween(4.5, 5.5);
    for (int i = 0; i < 10; i++) {
      pacer.onThrottled(null);
    }
    assertThat(pacer.rate()).isEqualTo(SubmitPacer.MIN_RATE);
  }

  @Test
  void pacedSubmitsAreSpacedAndARetryAfterIsHonoured() {
    pacer.reserve();
    now.addAndGet(1_000_000_000L);
    pacer.onThrottled(Duration.ofSeconds(3)); // one submit seen: half of one a second, after a 3 s pause
    assertThat(pacer.rate()).isEqualTo(0.5);
    assertThat(pacer.reserve()).isEqualTo(Duration.ofSeconds(3));
    assertThat(pacer.reserve()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void acceptedSubmitsRaiseTheRateByAboutOnePerSecondOfSubmitsUntilUnlimited() {
    for (int i = 0; i < 20; i++) {
      pacer.reserve();
      now.addAndGet(50_000_000L);
    }
    pacer.onThrottled(null);
    double before = pacer.rate();
    for (int i = 0; i < (int) Math.ceil(before); i++) {
      pacer.onAccepted();
    }
    assertThat(pacer.rate()).isBetween(before + 0.5, before + 1.5);
    for (int i = 0; i < 1_000_000 && !Double.isInfinite(pacer.rate()); i++) {
      pacer.onAccepted();
    }
    assertThat(pacer.rate()).isInfinite();
  }
}
