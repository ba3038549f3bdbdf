package io.github.ailabkit.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a class's {@code main} in a child JVM on this test's class path, for real process kills. */
final class ChildJvm {
  private ChildJvm() {
  }

  static Process start(Class<?> main, String... args) throws IOException {
    return start(List.of(), main, args);
  }

  /**
   * Starts {@code main} with extra JVM options, such as {@code -XX:ArchiveClassesAtExit=<file>} on a first run and
   * {@code -XX:SharedArchiveFile=<file>} on the next ones: a class-data archive of the loaded classes roughly
   * halves the start-up time of a child that is started many times.
   */
  static Process start(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Reads the child's output until a line equals {@code wanted}; false if the output ended first. */
  static boolean awaitLine(Process process, String wanted) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = reader.readLine()) != null; ) {
      if (line.equals(wanted)) {
        return true;
      }
    }
    return false;
  }
}
