package io.github.ailabkit.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP answer, complete in memory: every body the simulator sends is small. */
record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
  Answer {
    headers = Map.copyOf(headers);
  }

  Answer(int status, String contentType, byte[] body) {
    this(status, contentType, body, Map.of());
  }

  /** The same answer with one more header. */
  Answer withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Answer(status, contentType, body, copy);
  }
}
