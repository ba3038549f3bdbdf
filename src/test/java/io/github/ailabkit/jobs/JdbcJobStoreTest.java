package io.github.ailabkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDBC store on a real PostgreSQL: idempotent adds, claims that never overlap, leases that expire. */
class JdbcJobStoreTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  private DataSource database;

  @BeforeEach
  void freshDatabase() throws Exception {
    database = Postgres.freshDatabase("jobs_store_test");
  }

  private static JobRecord job(String key) {
    return JobRecord.pending(key, "/api/x", Map.of("a", "b"), Map.of("image", Path.of("/in/" + key)), T0);
  }

  @Test
  void addingAKnownKeyReturnsTheStoredRecord() {
    JobStore store = JobStore.jdbc(database);
    store.add(job("a"));
    JobRecord submitted = job("a").submitting(T0).submitted("task-1", T0, "req-1", T0);
    store.claim(10, true);
    store.save(submitted);

    assertThat(JobStore.jdbc(database).add(job("a"))).isEqualTo(submitted);
    assertThat(store.find("a")).isEqualTo(submitted);
    assertThat(store.find("b")).isNull();
    assertThat(store.counts()).containsExactly(Map.entry(JobState.SUBMITTED, 1L));
  }

  @Test
  void twoRunnersNeverClaimTheSameJob() {
    JobStore first = JobStore.jdbc(database);
    JobStore second = JobStore.jdbc(database);
    for (int i = 0; i < 10; i++) {
      first.add(job("k" + i));
    }
    List<JobRecord> a = first.claim(6, true);
    List<JobRecord> b = second.claim(6, true);

    assertThat(a).hasSize(6);
    assertThat(b).hasSize(4).extracting(JobRecord::key).doesNotContainAnyElementsOf(a.stream().map(JobRecord::key)
        .toList());
    assertThat(first.claim(6, true)).isEmpty();
    assertThat(second.othersHoldWork()).isTrue();
    assertThatThrownBy(() -> second.save(a.get(0).submitting(T0))).isInstanceOf(LostClaimException.class);

    first.releaseClaims();
    assertThat(second.othersHoldWork()).isFalse();
    assertThat(second.claim(10, true)).hasSize(6);
  }

  @Test
  void anExpiredLeaseHandsTheJobsToAnotherRunnerAndTheOldHolderCanNoLongerChangeThem() throws Exception {
    JobStore dying = JdbcJobStore.open(database, Duration.ofSeconds(1));
    JobStore survivor = JdbcJobStore.open(database, Duration.ofSeconds(1));
    dying.add(job("a"));
    dying.claim(1, true);
    dying.save(job("a").submitting(T0));
    assertThat(survivor.claim(1, true)).isEmpty();

    List<JobRecord> taken = awaitClaim(survivor);

    assertThat(taken).singleElement().extracting(JobRecord::state).isEqualTo(JobState.SUBMITTING);
    assertThatThrownBy(() -> dying.save(job("a").submitting(T0).submitted("t", T0, "r", T0)))
        .isInstanceOf(LostClaimException.class);
  }

  @Test
  void aTaskIdIsRecordedEvenAfterTheLeaseWasLostAndTheJobGoesToTheNextClaimant() throws Exception {
    Takeover takeover = takeOverMidSubmit();
    JobStore slow = takeover.slow();
    JobStore other = takeover.other();
    JobRecord sending = takeover.sending();
    JobRecord takenOver = takeover.takenOver();

    JobRecord submitted = sending.submitted("task-1", T0, "req-1", T0);
    slow.replace(sending, submitted); // its answer still gets recorded
    assertThatThrownBy(() -> other.replace(takenOver, takenOver.ended(JobState.UNCERTAIN, null, T0)))
        .isInstanceOf(LostClaimException.class); // the taker's compare-and-set sees the task id won

    assertThat(other.find("a").taskId()).isEqualTo("task-1");
    assertThat(other.claim(1, true)).extracting(JobRecord::taskId).containsExactly("task-1");
  }

  @Test
  void aLateTaskIdReplacesTheUncertainMarkOfTheRunnerThatTookTheJobOverButNotALaterAttempt() throws Exception {
    Takeover takeover = takeOverMidSubmit();
    JobStore slow = takeover.slow();
    JobStore other = takeover.other();
    JobRecord sending = takeover.sending();
    JobRecord takenOver = takeover.takenOver();
    other.replace(takenOver, takenOver.ended(JobState.UNCERTAIN, null, T0)); // abandoned, as it looked
    other.releaseClaims();

    slow.replace(sending, sending.submitted("task-1", T0, "req-1", T0)); // the task id is the truth

    assertThat(other.find("a").state()).isEqualTo(JobState.SUBMITTED);
    assertThat(other.claim(1, true)).extracting(JobRecord::taskId).containsExactly("task-1");

    JobRecord resent = other.find("a").ended(JobState.UNCERTAIN, null, T0).reset(T0).submitting(T0);
    other.save(resent); // the user resubmitted: a later attempt owns the row now
    assertThatThrownBy(() -> slow.replace(sending, sending.submitted("task-0", T0, "req-0", T0)))
        .isInstanceOf(LostClaimException.class);
    assertThat(other.find("a").attempts()).isEqualTo(2);
  }

  @Test
  void submitsStoppedClaimsOnlySubmittedWork() {
    JobStore store = JobStore.jdbc(database);
    store.add(job("pending"));
    store.add(job("waiting"));
    store.claim(10, true);
    store.save(job("waiting").submitting(T0).submitted("t", T0, "r", T0));
    store.releaseClaims();

    assertThat(store.claim(10, false)).extracting(JobRecord::key).containsExactly("waiting");
  }

  /** Two runners on job "a": {@code slow} marked it SUBMITTING, then its lease expired and {@code other} claimed it. */
  private record Takeover(JobStore slow, JobStore other, JobRecord sending, JobRecord takenOver) {
  }

  private Takeover takeOverMidSubmit() throws InterruptedException {
    JobStore slow = JdbcJobStore.open(database, Duration.ofSeconds(1));
    JobStore other = JdbcJobStore.open(database, Duration.ofSeconds(1));
    slow.add(job("a"));
    slow.claim(1, true);
    JobRecord sending = job("a").submitting(T0);
    slow.replace(job("a"), sending);
    return new Takeover(slow, other, sending, awaitClaim(other).get(0)); // the slow runner's lease expired
  }

  private static List<JobRecord> awaitClaim(JobStore store) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      List<JobRecord> taken = store.claim(1, true);
      if (!taken.isEmpty()) {
        return taken;
      }
      Thread.sleep(50); // polling a condition, bounded by a generous deadline
    }
    throw new AssertionError("the lease never expired");
  }
}
