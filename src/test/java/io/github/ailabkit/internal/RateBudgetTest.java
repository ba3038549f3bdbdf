package io.github.ailabkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared poll budget: permits no closer together than {@code 1 / rate}, on a fake clock. */
class RateBudgetTest {
  static final long MS = 1_000_000L;

  final AtomicLong now = new AtomicLong(1_000 * MS);

  RateBudget budget(double perSecond) {
    return new RateBudget(perSecond, now::get);
  }

  @Test
  void theFirstPermitIsFreeAtOnce() {
    assertThat(budget(10).tryAcquire()).isZero();
  }

  @Test
  void theNextPermitIsFreeOneSpacingLater() {
    RateBudget budget = budget(10); // 100 ms apart
    assertThat(budget.tryAcquire()).isZero();

    assertThat(budget.tryAcquire()).isEqualTo(100 * MS);
    now.addAndGet(40 * MS);
    assertThat(budget.tryAcquire()).isEqualTo(60 * MS);
    now.addAndGet(60 * MS);
    assertThat(budget.tryAcquire()).isZero();
    assertThat(budget.tryAcquire()).isEqualTo(100 * MS);
  }

  @Test
  void aRefusedRequestTakesNothing() {
    RateBudget budget = budget(10);
    budget.tryAcquire();
    for (int i = 0; i < 100; i++) {
      assertThat(budget.tryAcquire()).isEqualTo(100 * MS);
    }
    now.addAndGet(100 * MS);
    assertThat(budget.tryAcquire()).isZero();
  }

  @Test
  void idleTimeDoesNotBuildUpABurst() {
    RateBudget budget = budget(10);
    budget.tryAcquire();
    now.addAndGet(10_000 * MS);

    assertThat(budget.tryAcquire()).isZero();
    assertThat(budget.tryAcquire()).as("a second permit at the same instant").isEqualTo(100 * MS);
  }

  @Test
  void aBudgetUnusedSinceCreationDoesNotBurstEither() {
    RateBudget budget = budget(10);
    now.addAndGet(5_000 * MS);

    assertThat(budget.tryAcquire()).isZero();
    assertThat(budget.tryAcquire()).isPositive();
  }

  @Test
  void permitsAreNeverCloserThanTheSpacingWhateverTheCallPattern() {
    RateBudget budget = budget(50); // 20 ms apart
    Random random = new Random(42);
    List<Long> granted = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      now.addAndGet(random.nextInt(4) == 0 ? random.nextInt(60) * MS : random.nextInt(3_000_000));
      if (budget.tryAcquire() == 0) {
        granted.add(now.get());
      }
    }
    assertThat(granted).hasSizeGreaterThan(100);
    for (int i = 1; i < granted.size(); i++) {
      assertThat(granted.get(i) - granted.get(i - 1)).isGreaterThanOrEqualTo(20 * MS);
    }
  }

  @Test
  void waitingExactlyTheAnswerIsEnough() {
    RateBudget budget = budget(3);
    Random random = new Random(7);
    int granted = 0;
    for (int i = 0; i < 1_000; i++) {
      now.addAndGet(random.nextInt(1000) * MS);
      long wait = budget.tryAcquire();
      if (wait > 0) {
        now.addAndGet(wait);
        assertThat(budget.tryAcquire()).isZero();
      }
      granted++;
    }
    assertThat(granted).isEqualTo(1_000);
  }

  @ParameterizedTest
  @ValueSource(longs = {0L, -5_000_000_000L, Long.MIN_VALUE + 1, Long.MAX_VALUE - 150_000_000L})
  void worksForAnyNanoTimeOriginIncludingOverflow(long origin) {
    now.set(origin);
    RateBudget budget = budget(10);

    int granted = 0;
    for (int i = 0; i < 10; i++) { // crosses Long.MAX_VALUE for the last origin
      if (budget.tryAcquire() == 0) {
        granted++;
      }
      assertThat(budget.tryAcquire()).isBetween(1L, 100 * MS);
      now.addAndGet(50 * MS);
    }
    assertThat(granted).isEqualTo(5);
  }

  @Test
  void aVerySlowRateDoesNotOverflow() {
    RateBudget budget = budget(1e-12); // one permit per ~31,700 years
    assertThat(budget.tryAcquire()).isZero();
    now.addAndGet(1_000_000 * MS);
    assertThat(budget.tryAcquire()).isPositive();
    now.addAndGet(Long.MAX_VALUE / 4);
    assertThat(budget.tryAcquire()).isPositive();
  }

  @Test
  void aVeryFastRateSpacesPermitsOneNanosecondApart() {
    RateBudget budget = budget(1e12);
    assertThat(budget.tryAcquire()).isZero();
    assertThat(budget.tryAcquire()).isEqualTo(1);
    now.incrementAndGet();
    assertThat(budget.tryAcquire()).isZero();
  }

  @Test
  void fractionalRatesAreHonoured() {
    RateBudget budget = budget(0.5); // one every 2 s
    assertThat(budget.tryAcquire()).isZero();
    assertThat(budget.tryAcquire()).isEqualTo(2_000 * MS);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void nonsenseRatesAreRefused(double rate) {
    assertThatThrownBy(() -> budget(rate)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void manyThreadsAtOneInstantGetExactlyOnePermit() throws Exception {
    RateBudget budget = budget(100);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          results.add(pool.submit(() -> {
            start.await();
            int mine = 0;
            for (int i = 0; i < 2_000; i++) {
              if (budget.tryAcquire() == 0) {
                mine++;
              }
            }
            return mine;
          }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> r : results) {
          total += r.get(10, TimeUnit.SECONDS);
        }
        assertThat(total).as("permits in round %d", round).isEqualTo(1);
        now.addAndGet(10 * MS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
