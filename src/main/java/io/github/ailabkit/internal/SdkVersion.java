package io.github.ailabkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The SDK's version, read from the properties file Maven filters at build time. */
public final class SdkVersion {
  private static final String VERSION = load();

  private SdkVersion() {
  }

  /** The User-Agent the SDK sends: {@code ailab-sdk-java/<version>}. */
  public static String userAgent() {
    return "ailab-sdk-java/" + VERSION;
  }

  private static String load() {
    try (InputStream in = SdkVersion.class.getResourceAsStream("/io/github/ailabkit/ailab-sdk.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
