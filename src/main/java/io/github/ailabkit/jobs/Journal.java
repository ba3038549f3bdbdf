package io.github.ailabkit.jobs;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * An append-only log of text records in a directory, safe against a crash at any moment.
 *
 * <p>Each record is one line, {@code <crc32 of the payload, 8 hex digits> <payload>\n}, in
 * {@code journal-<generation>.log}. {@link #append} writes; {@link #awaitDurable} returns once the record is
 * forced to disk, and one {@code fsync} covers every record appended before it started (group commit).
 * {@link #compact} writes the live records to the next generation's file under a temporary name, forces it,
 * renames it into place, forces the directory and deletes the older generation. On opening, the newest
 * generation is read; a torn or garbled last record (the process died while writing it) is cut off, while
 * a bad record followed by good ones is corruption and refused.
 */
final class Journal implements Closeable {
  private static final String PREFIX = "journal-";
  private static final String SUFFIX = ".log";
  private static final String TEMPORARY = ".tmp";

  private final Path directory;
  private final long compactAbove;
  private final Object syncLock = new Object();
  private FileChannel channel;
  private long generation;
  private long size;
  private long sizeAfterCompaction;
  private long appended;
  private volatile long durable;
  private long bytesWritten;
  private long fsyncs;
  private IOException failure;

  private Journal(Path directory, long compactAbove) {
    this.directory = directory;
    this.compactAbove = compactAbove;
  }

  /**
   * Opens the journal in {@code directory} and returns it with the payloads it holds, oldest first.
   *
   * @param compactAbove the journal is compacted once larger than this and three times its last compacted size
   * @param payloads receives the live payloads
   */
  static Journal open(Path directory, long compactAbove, List<String> payloads) throws IOException {
    Journal journal = new Journal(directory, compactAbove);
    journal.recover(payloads);
    return journal;
  }

  private void recover(List<String> payloads) throws IOException {
    long newest = 0;
    List<Path> stale = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, PREFIX + "*")) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.endsWith(SUFFIX)) {
          long found = Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
          if (found > newest) {
            if (newest > 0) {
              stale.add(file(newest));
            }
            newest = found;
          } else {
            stale.add(entry);
          }
        } else {
          stale.add(entry); // an unfinished compaction
        }
      }
    }
    generation = Math.max(1, newest);
    Path current = file(generation);
    channel = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    size = readRecords(channel, current, payloads);
    channel.truncate(size);
    channel.position(size);
    channel.force(true);
    forceDirectory();
    for (Path path : stale) {
      Files.deleteIfExists(path);
    }
    sizeAfterCompaction = size;
  }

  /**
   * Reads every whole record as a stream, one line at a time (a journal may be larger than any array); returns
   * the offset after the last good record. A bad record is a torn end unless a good record follows it.
   */
  private static long readRecords(FileChannel channel, Path file, List<String> payloads) throws IOException {
    LineReader lines = new LineReader(channel);
    long offset = 0;
    long badAt = -1;
    for (byte[] line; (line = lines.next()) != null; offset += line.length + 1) {
      String payload = payload(line);
      if (payload == null) {
        badAt = badAt < 0 ? offset : badAt;
      } else if (badAt >= 0) {
        throw new IllegalStateException("job journal " + file + " is corrupted at byte " + badAt
            + " (a bad record followed by good ones); restore it from a backup or move it away");
      } else {
        payloads.add(payload);
      }
    }
    return badAt >= 0 ? badAt : offset; // what follows is a torn last record: the process died while writing it
  }

  /** The payload of one line (without its newline), or null if its checksum or form is wrong. */
  private static String payload(byte[] line) {
    if (line.length < 10 || line[8] != ' ') {
      return null;
    }
    long expected;
    try {
      expected = Long.parseLong(new String(line, 0, 8, StandardCharsets.US_ASCII), 16);
    } catch (NumberFormatException e) {
      return null;
    }
    CRC32 crc = new CRC32();
    crc.update(line, 9, line.length - 9);
    return crc.getValue() == expected ? new String(line, 9, line.length - 9, StandardCharsets.UTF_8) : null;
  }

  /** The newline-ended lines of a file from its start, through a fixed buffer. */
  private static final class LineReader {
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();
    private long position;

    LineReader(FileChannel channel) {
      this.channel = channel;
    }

    /** The next line without its newline; null at the end (bytes after the last newline are not a line). */
    byte[] next() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        if (!buffer.hasRemaining()) {
          buffer.clear();
          int read = channel.read(buffer, position);
          buffer.flip();
          if (read < 0) {
            return null;
          }
          position += read;
        }
        int from = buffer.position();
        for (int i = from; i < buffer.limit(); i++) {
          if (buffer.get(i) == '\n') {
            line.write(buffer.array(), from, i - from);
            buffer.position(i + 1);
            return line.toByteArray();
          }
        }
        line.write(buffer.array(), from, buffer.limit() - from);
        buffer.position(buffer.limit());
      }
    }
  }

  /** Appends a record (not yet durable); returns the ticket to pass to {@link #awaitDurable}. */
  synchronized long append(String payload) {
    checkNotFailed();
    byte[] line = line(payload);
    try {
      write(channel, line);
    } catch (IOException e) {
      throw fail("cannot append to the job journal in " + directory, e);
    }
    size += line.length;
    bytesWritten += line.length;
    appended += line.length;
    return appended;
  }

  /** Returns once every record up to {@code ticket} is forced to disk; one fsync serves all waiting writers. */
  void awaitDurable(long ticket) {
    if (durable >= ticket) {
      return;
    }
    synchronized (syncLock) {
      checkNotFailed();
      if (durable >= ticket) {
        return;
      }
      long target;
      FileChannel toForce;
      synchronized (this) {
        target = appended;
        toForce = channel;
      }
      try {
        toForce.force(false);
      } catch (IOException e) {
        throw fail("cannot force the job journal in " + directory + " to disk", e);
      }
      synchronized (this) {
        fsyncs++;
      }
      durable = target;
    }
  }

  /**
   * Remembers the first write or fsync failure: after a failed fsync the kernel may have dropped the dirty
   * pages, so a later "successful" fsync would prove nothing. Every later append and wait fails too, until
   * the store is opened again (which reads back what truly is on disk).
   */
  private UncheckedIOException fail(String message, IOException e) {
    synchronized (this) {
      if (failure == null) {
        failure = e;
      }
    }
    return new UncheckedIOException(message, e);
  }

  private void checkNotFailed() {
    IOException first;
    synchronized (this) {
      first = failure;
    }
    if (first != null) {
      throw new UncheckedIOException("the job journal in " + directory + " failed earlier (" + first.getMessage()
          + "); nothing more is written until the store is opened again", first);
    }
  }

  /** Whether the journal has grown enough to be worth compacting. */
  synchronized boolean shouldCompact() {
    return size > compactAbove && size > 3 * sizeAfterCompaction;
  }

  /** Replaces the journal by one holding only {@code payloads} (the live records); durable on return. */
  void compact(Iterable<String> payloads) {
    synchronized (syncLock) {
      synchronized (this) {
        try {
          long next = generation + 1;
          Path temporary = directory.resolve(PREFIX + next + SUFFIX + TEMPORARY);
          long written = 0;
          try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (String payload : payloads) {
              byte[] line = line(payload);
              write(out, line);
              written += line.length;
            }
            out.force(true);
          }
          Files.move(temporary, file(next), StandardCopyOption.ATOMIC_MOVE);
          forceDirectory();
          channel.close();
          Files.deleteIfExists(file(generation));
          generation = next;
          channel = FileChannel.open(file(next), StandardOpenOption.WRITE);
          channel.position(written);
          size = written;
          sizeAfterCompaction = written;
          bytesWritten += written;
          fsyncs += 2;
          durable = appended;
        } catch (IOException e) {
          throw fail("cannot compact the job journal in " + directory, e);
        }
      }
    }
  }

  /** Bytes written since opening, compactions included. */
  synchronized long bytesWritten() {
    return bytesWritten;
  }

  /** Forces to disk since opening, compactions included. */
  synchronized long fsyncs() {
    return fsyncs;
  }

  /** The current journal file's size. */
  synchronized long size() {
    return size;
  }

  /** Forces what was appended to disk and closes the file. */
  @Override
  public void close() throws IOException {
    synchronized (syncLock) {
      synchronized (this) {
        try {
          if (durable < appended) {
            channel.force(false);
            fsyncs++;
            durable = appended;
          }
        } finally {
          channel.close();
        }
      }
    }
  }

  private Path file(long number) {
    return directory.resolve(PREFIX + number + SUFFIX);
  }

  private void forceDirectory() {
    ResultKeeper.forceDirectory(directory);
  }

  private static byte[] line(String payload) {
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(body);
    byte[] line = new byte[body.length + 10];
    byte[] checksum = String.format("%08x ", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(checksum, 0, line, 0, 9);
    System.arraycopy(body, 0, line, 9, body.length);
    line[line.length - 1] = '\n';
    return line;
  }

  private static void write(FileChannel out, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }
}
