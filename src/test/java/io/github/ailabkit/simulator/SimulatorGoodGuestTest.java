package io.github.ailabkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The simulator is a good guest in its application's JVM: loading, starting and closing it changes no
 * system property. (Statically, {@code ArchitectureRules.NO_JVM_WIDE_SETTING_CHANGED} forbids the calls.)
 */
class SimulatorGoodGuestTest {
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  @Test
  void loadingStartingAndClosingASimulatorChangesNoSystemProperty() throws Exception {
    String configured = System.clearProperty(NO_DELAY); // the build sets it; the old simulator set it if unset
    try (URLClassLoader fresh = new URLClassLoader(classPath(), ClassLoader.getPlatformClassLoader())) {
      Map<Object, Object> before = new HashMap<>(System.getProperties());

      Class<?> simulatorClass = Class.forName(AILabSimulator.class.getName(), true, fresh);
      assertThat(simulatorClass).isNotSameAs(AILabSimulator.class);
      try (AutoCloseable simulator = (AutoCloseable) simulatorClass.getMethod("start").invoke(null)) {
        assertThat(simulator.toString()).contains("http://127.0.0.1:");
      }

      assertThat(changedKeys(before, new HashMap<>(System.getProperties()))).as("system properties changed").isEmpty();
    } finally {
      if (configured != null) {
        System.setProperty(NO_DELAY, configured);
      }
    }
  }

  private static Set<Object> changedKeys(Map<Object, Object> before, Map<Object, Object> after) {
    Set<Object> keys = new TreeSet<>(Comparator.comparing(String::valueOf));
    keys.addAll(before.keySet());
    keys.addAll(after.keySet());
    keys.removeIf(key -> Objects.equals(before.get(key), after.get(key)));
    return keys;
  }

  /** The test JVM's class path, for a loader that loads the SDK's classes anew (its class initializers run again). */
  private static URL[] classPath() throws MalformedURLException {
    String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
    URL[] urls = new URL[entries.length];
    for (int i = 0; i < entries.length; i++) {
      urls[i] = Path.of(entries[i]).toUri().toURL();
    }
    return urls;
  }
}
