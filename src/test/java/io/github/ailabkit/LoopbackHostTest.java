package io.github.ailabkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain http is allowed only where the key cannot leave the machine: {@code localhost}, an IPv4 literal in
 * {@code 127.0.0.0/8} in canonical dotted form, and {@code ::1}. Anything that only looks like one is a host
 * name that a resolver may send anywhere.
 */
class LoopbackHostTest {
  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.256", "http://127.000.000.001", "http://127.0.0.01", "http://127.1",
      "http://127.0.1", "http://0177.0.0.1", "http://127.0.0.1.nip.io", "http://localhost.example.com",
      "http://[::2]", "http://127.0.0.1000", "http://128.0.0.1"})
  void plainHttpToAHostThatOnlyLooksLikeLoopbackIsRefused(String url) {
    assertThatThrownBy(() -> AILabClient.builder().baseUrl(url))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain http");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:8080", "http://127.0.0.1", "http://127.255.255.254:1",
      "http://127.10.0.1/prefix/", "http://[::1]:9000", "http://[0:0:0:0:0:0:0:1]"})
  void plainHttpToLoopbackIsAccepted(String url) {
    assertThat(AILabClient.builder().baseUrl(url)).isNotNull();
  }
}
