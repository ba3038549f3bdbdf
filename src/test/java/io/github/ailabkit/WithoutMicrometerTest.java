package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency: a user who does not add it gets no class-loading error. The SDK,
 * its tests and their other dependencies are loaded in a fresh class loader whose class path lacks
 * micrometer-core and its own dependencies (HdrHistogram, LatencyUtils, micrometer-commons and
 * -observation), and a client makes real calls there.
 */
class WithoutMicrometerTest {
  @Test
  void aClientWithAListenerWorksWithoutMicrometerOnTheClassPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    int dropped = 0;
    for (String entry : testClassPath()) {
      String normalized = entry.replace(File.separatorChar, '/');
      if (normalized.contains("/io/micrometer/") || normalized.contains("/org/hdrhistogram/")
          || normalized.contains("/org/latencyutils/")) {
        dropped++;
        continue;
      }
      urls.add(Path.of(entry).toUri().toURL());
    }
    assertThat(dropped).as("micrometer jars found on the test class path").isGreaterThanOrEqualTo(1);

    try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> probeClass = isolated.loadClass("io.github.ailabkit.testing.WithoutMicrometerProbe");
      assertThat(probeClass.getClassLoader()).isSameAs(isolated);
      @SuppressWarnings("unchecked")
      Callable<String> probe = (Callable<String>) probeClass.getDeclaredConstructor().newInstance();
      Thread current = Thread.currentThread();
      ClassLoader previous = current.getContextClassLoader();
      current.setContextClassLoader(isolated);
      try {
        assertThat(probe.call()).isEqualTo("micrometerVisible=false first=PROCESSING waited=COMPLETED exchanges=2");
      } finally {
        current.setContextClassLoader(previous);
      }
    }
  }

  /** Surefire passes the real class path in this property (java.class.path may be a manifest-only jar). */
  private static String[] testClassPath() {
    String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return path.split(File.pathSeparator);
  }
}
