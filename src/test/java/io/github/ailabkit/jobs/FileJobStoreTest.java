package io.github.ailabkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store's journal: durable records, torn tails, corruption, compaction and the directory lock. */
class FileJobStoreTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

  @TempDir Path dir;

  private static JobRecord job(String key) {
    return JobRecord.pending(key, "/api/x", Map.of("a", "b"), Map.of("image", Path.of("/in/" + key + ".png")), T0);
  }

  private Path journal() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".log")).findFirst().orElseThrow();
    }
  }

  @Test
  void everyRecordSurvivesReopeningWithItsLastState() {
    try (FileJobStore store = FileJobStore.open(dir)) {
      store.add(job("a"));
      store.add(job("b"));
      JobRecord a = store.find("a").submitting(T0);
      store.save(a);
      store.save(a.submitted("task-1", T0, "req-1", T0).completed(List.of(Path.of("/r/a.png")), "{\"x\":1}", T0));
    }
    try (FileJobStore store = FileJobStore.open(dir)) {
      JobRecord a = store.find("a");
      assertThat(a.state()).isEqualTo(JobState.COMPLETED);
      assertThat(a.taskId()).isEqualTo("task-1");
      assertThat(a.requestId()).isEqualTo("req-1");
      assertThat(a.answerJson()).isEqualTo("{\"x\":1}");
      assertThat(a.resultFiles()).containsExactly(Path.of("/r/a.png"));
      assertThat(a.attempts()).isOne();
      assertThat(store.find("b")).isEqualTo(job("b"));
      assertThat(store.keysIn(JobState.PENDING)).containsExactly("b");
    }
  }

  @Test
  void recordsLongerThanTheReadBufferAndManySmallOnesAreReadBackWhole() {
    String big = "x".repeat(200_000) + "\u00e9\u4e2d"; // crosses several 64 KiB reads, multi-byte at the end
    try (FileJobStore store = FileJobStore.open(dir)) {
      for (int i = 0; i < 500; i++) {
        store.add(job("small-" + i));
      }
      store.add(JobRecord.pending("big", "/api/x", Map.of("prompt", big), Map.of(), T0));
      store.add(job("last"));
    }
    try (FileJobStore store = FileJobStore.open(dir)) {
      assertThat(store.find("big").fields()).containsEntry("prompt", big);
      assertThat(store.find("last")).isEqualTo(job("last"));
      assertThat(store.counts()).containsEntry(JobState.PENDING, 502L);
    }
  }

  @Test
  void afterOneWriteFailureTheJournalRefusesEveryLaterWriteAndWait() throws Exception {
    Journal journal = Journal.open(dir, FileJobStore.COMPACT_ABOVE, new java.util.ArrayList<>());
    journal.awaitDurable(journal.append("first"));
    journal.close(); // its file is gone from under it: the next write fails with an IOException

    assertThatThrownBy(() -> journal.append("second")).isInstanceOf(java.io.UncheckedIOException.class);
    assertThatThrownBy(() -> journal.append("third")).hasMessageContaining("failed earlier");
    assertThatThrownBy(() -> journal.awaitDurable(Long.MAX_VALUE)).hasMessageContaining("failed earlier");
  }

  @Test
  void aTornLastRecordIsDroppedAndTheJournalGoesOn() throws Exception {
    try (FileJobStore store = FileJobStore.open(dir)) {
      store.add(job("a"));
    }
    Files.write(journal(), "0badc0de {\"key\":\"b\",\"endp".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    try (FileJobStore store = FileJobStore.open(dir)) {
      assertThat(store.find("a")).isNotNull();
      assertThat(store.find("b")).isNull();
      store.add(job("c"));
    }
    try (FileJobStore store = FileJobStore.open(dir)) {
      assertThat(store.counts()).containsEntry(JobState.PENDING, 2L);
    }
  }

  @Test
  void aBadRecordFollowedByGoodOnesIsRefusedAsCorruption() throws Exception {
    try (FileJobStore store = FileJobStore.open(dir)) {
      store.add(job("a"));
      store.add(job("b"));
    }
    byte[] bytes = Files.readAllBytes(journal());
    bytes[20] ^= 0x01; // inside the first record
    Files.write(journal(), bytes);
    assertThatThrownBy(() -> FileJobStore.open(dir)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("corrupted");
  }

  @Test
  void compactionKeepsOnlyTheLiveRecords() throws Exception {
    try (FileJobStore store = FileJobStore.open(dir, 2048)) {
      for (int i = 0; i < 10; i++) {
        store.add(job("k" + i));
      }
      for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 10; i++) {
          store.save(store.find("k" + i).submitting(T0).reset(T0));
        }
      }
      assertThat(Files.size(journal())).isLessThan(3 * 2048 + 4096);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("lock", journal()
          .getFileName().toString());
    }
    try (FileJobStore store = FileJobStore.open(dir)) {
      assertThat(store.counts()).containsEntry(JobState.PENDING, 10L);
      assertThat(store.find("k3").attempts()).isEqualTo(20);
    }
  }

  @Test
  void aSecondStoreOnTheSameDirectoryIsRefusedUntilTheFirstCloses() {
    FileJobStore first = FileJobStore.open(dir);
    assertThatThrownBy(() -> JobStore.file(dir)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("in use by another live process");
    first.close();
    JobStore.file(dir).close();
  }

  @Test
  void aLiveProcessHoldingTheStoreIsRefusedAndItsDeathFreesIt() throws Exception {
    Process holder = ChildJvm.start(StoreHolder.class, dir.toString());
    try {
      assertThat(ChildJvm.awaitLine(holder, "HOLDING")).isTrue();
      assertThatThrownBy(() -> JobStore.file(dir)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another live process");
    } finally {
      holder.destroyForcibly().waitFor();
    }
    JobStore.file(dir).close();
  }

  /** Opens a store and holds it until killed. */
  public static final class StoreHolder {
    public static void main(String[] args) throws Exception {
      JobStore store = JobStore.file(Path.of(args[0]));
      System.out.println("HOLDING");
      System.out.flush();
      System.in.read();
      store.close();
    }
  }
}
