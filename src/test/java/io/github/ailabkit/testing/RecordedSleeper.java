package io.github.ailabkit.testing;

import io.github.ailabkit.internal.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Sleeper} that records each wait and returns at once, with a {@link #clock() clock} that
 * stands still except that every recorded sleep moves it forward. Tests see the waits a real client
 * would make without spending them. Thread-safe.
 */
public final class RecordedSleeper implements Sleeper {
  /** The instant the clock starts at: {@code Wed, 21 Oct 2015 07:28:00 GMT}. */
  public static final Instant START = Instant.parse("2015-10-21T07:28:00Z");

  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private Instant now = START;

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    synchronized (lock) {
      now = now.plus(duration);
    }
  }

  /** Every wait so far, in order. */
  public List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** The wall clock as the code under test sees it: {@link #START} plus the recorded sleeps. */
  public Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        synchronized (lock) {
          return now;
        }
      }
    };
  }
}
