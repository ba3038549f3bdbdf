package io.github.ailabkit.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures what slf4j-simple prints for one logger, at TRACE, for the duration of a try-with-resources block.
 *
 * <p>slf4j-simple reads its levels once, when a logger is created, and prints to whatever {@code System.err}
 * is at the time of each call. Since another test may have created the logger first (at the build's default
 * level), the level is set on the logger instance itself; {@code System.err} is swapped for a buffer. Both are
 * restored on {@link #close()}. Not for parallel test execution.
 */
public final class LogCapture implements AutoCloseable {
  private static final int TRACE = 0;

  private final Logger logger;
  private final Field levelField;
  private final int previousLevel;
  private final PrintStream previousErr;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  private LogCapture(String loggerName) {
    this.logger = LoggerFactory.getLogger(loggerName);
    try {
      this.levelField = findLevelField(logger.getClass());
      this.levelField.setAccessible(true);
      this.previousLevel = levelField.getInt(logger);
      levelField.setInt(logger, TRACE);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("LogCapture needs slf4j-simple, found " + logger.getClass(), e);
    }
    if (!logger.isTraceEnabled()) {
      throw new IllegalStateException("could not enable TRACE on " + loggerName);
    }
    this.previousErr = System.err;
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
  }

  /** Starts capturing {@code loggerName} at TRACE. */
  public static LogCapture capture(String loggerName) {
    return new LogCapture(loggerName);
  }

  /** The lines printed so far. */
  public List<String> lines() {
    System.err.flush();
    String text = buffer.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\R"));
  }

  /** Everything printed so far. */
  public String text() {
    return String.join("\n", lines());
  }

  @Override
  public void close() {
    System.setErr(previousErr);
    try {
      levelField.setInt(logger, previousLevel);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Field findLevelField(Class<?> type) throws NoSuchFieldException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField("currentLogLevel");
      } catch (NoSuchFieldException next) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException("currentLogLevel");
  }
}
