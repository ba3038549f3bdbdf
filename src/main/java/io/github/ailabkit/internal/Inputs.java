package io.github.ailabkit.internal;

import java.util.Objects;
import okhttp3.HttpUrl;

/** Checks of user input made before any network I/O; messages never repeat a secret. */
public final class Inputs {
  /** Longest task id accepted; real ids are about 50 characters. */
  public static final int MAX_TASK_ID_LENGTH = 1024;

  private Inputs() {
  }

  /** Checks an API key: present, not blank, printable ASCII only (so it cannot inject a header). */
  public static String apiKey(String apiKey) {
    Objects.requireNonNull(apiKey, "apiKey == null");
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey is blank");
    }
    for (int i = 0; i < apiKey.length(); i++) {
      char c = apiKey.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException(
            "apiKey contains a space, control or non-ASCII character at index " + i + "; check how it was loaded");
      }
    }
    return apiKey;
  }

  /** Checks a task id: present, not blank, no control characters, not absurdly long. */
  public static String taskId(String taskId) {
    Objects.requireNonNull(taskId, "taskId == null");
    if (taskId.isBlank()) {
      throw new IllegalArgumentException("taskId is blank");
    }
    if (taskId.length() > MAX_TASK_ID_LENGTH) {
      throw new IllegalArgumentException(
          "taskId is " + taskId.length() + " characters long; the limit is " + MAX_TASK_ID_LENGTH);
    }
    for (int i = 0; i < taskId.length(); i++) {
      char c = taskId.charAt(i);
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException("taskId contains a control character at index " + i);
      }
      if (Character.isHighSurrogate(c) && i + 1 < taskId.length() && Character.isLowSurrogate(taskId.charAt(i + 1))) {
        i++; // a well-formed pair: one astral character
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("taskId contains an unpaired surrogate at index " + i
            + "; it cannot be sent as UTF-8");
      }
    }
    return taskId;
  }

  /**
   * Parses a base URL: http(s) only, plain http only for loopback hosts, no credentials, query or
   * fragment. The result always ends with {@code /} so API paths resolve under it.
   */
  public static HttpUrl baseUrl(String baseUrl) {
    Objects.requireNonNull(baseUrl, "baseUrl == null");
    HttpUrl url = HttpUrl.parse(baseUrl.trim());
    if (url == null) {
      throw new IllegalArgumentException("baseUrl is not an http or https URL: " + baseUrl);
    }
    if (!url.username().isEmpty() || !url.password().isEmpty()) {
      throw new IllegalArgumentException("baseUrl must not contain credentials; use apiKey(...)");
    }
    if (url.query() != null || url.fragment() != null) {
      throw new IllegalArgumentException("baseUrl must not have a query or fragment: " + url);
    }
    if (!url.isHttps() && !isLoopback(url.host())) {
      throw new IllegalArgumentException("baseUrl uses plain http for a non-loopback host (" + url.host()
          + "); the API key would travel unencrypted. Use https, or http only for localhost.");
    }
    String path = url.encodedPath();
    return path.endsWith("/") ? url : url.newBuilder().encodedPath(path + "/").build();
  }

  /**
   * Whether a host is the local machine: {@code localhost}, an IPv4 literal in {@code 127.0.0.0/8} written in
   * canonical dotted form (four decimal octets 0-255 without leading zeros), or {@code ::1}. Other spellings
   * ({@code 127.000.000.001}, {@code 127.1}, {@code 127.0.0.256}) are host names a resolver may send anywhere.
   */
  public static boolean isLoopback(String host) {
    return host.equals("localhost") || host.equals("::1") || isCanonicalLoopbackIpv4(host);
  }

  private static boolean isCanonicalLoopbackIpv4(String host) {
    String[] octets = host.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String octet : octets) {
      if (!octet.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }
}
