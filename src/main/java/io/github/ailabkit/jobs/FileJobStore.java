package io.github.ailabkit.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs of one process, kept in memory and recorded in a {@link Journal} in a directory that an OS-level
 * lock on {@code <directory>/lock} reserves to this store. The lock dies with its process, so a killed
 * holder never blocks the next start; a second live holder gets a clear error.
 */
final class FileJobStore extends MemoryJobStore {
  static final String LOCK_FILE = "lock";
  /** Compact once the journal passes 4 MiB and three times its compacted size. */
  static final long COMPACT_ABOVE = 4L << 20;

  private final Path directory;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Journal journal;

  private FileJobStore(Path directory, FileChannel lockChannel, FileLock lock, long compactAbove) throws IOException {
    this.directory = directory;
    this.lockChannel = lockChannel;
    this.lock = lock;
    List<String> payloads = new ArrayList<>();
    this.journal = Journal.open(directory, compactAbove, payloads);
    for (String payload : payloads) {
      load(RecordCodec.decode(payload));
    }
  }

  static FileJobStore open(Path directory) {
    return open(directory, COMPACT_ABOVE);
  }

  /** Opens the store, compacting its journal above {@code compactAbove} bytes (small in tests). */
  static FileJobStore open(Path directory, long compactAbove) {
    Path dir = directory.toAbsolutePath().normalize();
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IllegalStateException("job store " + dir + " is in use by another live process (or another "
            + "store in this one): it holds the lock on " + dir.resolve(LOCK_FILE) + ". One process at a time; "
            + "use JobStore.jdbc to share a batch.");
      }
      return new FileJobStore(dir, channel, lock, compactAbove);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot open the job store in " + dir, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  @Override
  long append(JobRecord job) {
    long ticket = journal.append(RecordCodec.encode(job));
    if (journal.shouldCompact()) {
      List<String> live = new ArrayList<>();
      records().forEach(record -> live.add(RecordCodec.encode(record)));
      journal.compact(live);
    }
    return ticket;
  }

  @Override
  void awaitDurable(long ticket) {
    journal.awaitDurable(ticket);
  }

  /** Bytes written to the journal since opening. */
  long journalBytes() {
    return journal.bytesWritten();
  }

  /** Forces to disk since opening. */
  long fsyncs() {
    return journal.fsyncs();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (isClosed()) {
        return;
      }
      super.close();
    }
    try {
      journal.close();
      lock.release();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the job store in " + directory, e);
    } finally {
      closeQuietly(lockChannel);
    }
  }

  @Override
  public String toString() {
    return "JobStore.file(" + directory + ")";
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }
}
