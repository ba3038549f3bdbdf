package io.github.ailabkit.internal;

import static io.github.ailabkit.testing.RecordedResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ailabkit.testing.TestServers;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiKeyInterceptor} on its own: the key goes to the base URL's origin (same scheme, host and port)
 * and nowhere else, even when a redirect is followed. How the client uses it is
 * {@code io.github.ailabkit.SecretsTest}.
 */
class ApiKeyInterceptorTest {
  private static final String KEY = "sk-SECRET-0123456789abcdef";

  @StartStop final MockWebServer server = new MockWebServer();
  @StartStop final MockWebServer otherHost = new MockWebServer();

  private OkHttpClient suppliedHttp;

  @BeforeEach
  void failFastWhenNothingIsEnqueued() {
    TestServers.failFast(server, otherHost);
  }

  @AfterEach
  void tearDown() {
    TestServers.shutDown(suppliedHttp);
  }

  @Test
  void keyIsNotSentToAnotherOriginEvenWhenARedirectIsFollowed() throws Exception {
    // The SDK never follows redirects; this checks the second line of defence on its own.
    HttpUrl base = server.url("/");
    suppliedHttp = new OkHttpClient.Builder().addNetworkInterceptor(new ApiKeyInterceptor(base, KEY)).build();
    server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", otherHost.url("/elsewhere")).build());
    otherHost.enqueue(json("{}"));

    try (Response response = suppliedHttp.newCall(new Request.Builder().url(server.url("/start"))
        .header(ApiKeyInterceptor.HEADER, "caller-set").build()).execute()) {
      assertThat(response.request().url().port()).isEqualTo(otherHost.getPort());
    }

    assertThat(server.takeRequest().getHeaders().get(ApiKeyInterceptor.HEADER)).isEqualTo(KEY);
    RecordedRequest redirected = otherHost.takeRequest();
    assertThat(redirected.getUrl().encodedPath()).isEqualTo("/elsewhere");
    assertThat(redirected.getHeaders().get(ApiKeyInterceptor.HEADER)).isNull();
  }

  @Test
  void sameOriginMeansSameSchemeHostAndPort() {
    HttpUrl base = HttpUrl.get("https://www.ailabapi.com/");

    assertThat(ApiKeyInterceptor.sameOrigin(HttpUrl.get("https://www.ailabapi.com/api/x?y=1"), base)).isTrue();
    assertThat(ApiKeyInterceptor.sameOrigin(HttpUrl.get("https://www.ailabapi.com:443/"), base)).isTrue();
    assertThat(ApiKeyInterceptor.sameOrigin(HttpUrl.get("http://www.ailabapi.com/"), base)).isFalse();
    assertThat(ApiKeyInterceptor.sameOrigin(HttpUrl.get("https://www.ailabapi.com:8443/"), base)).isFalse();
    assertThat(ApiKeyInterceptor.sameOrigin(HttpUrl.get("https://cdn.ailabapi.com/"), base)).isFalse();
    assertThat(ApiKeyInterceptor.sameOrigin(HttpUrl.get("https://www.ailabapi.com.evil.com/"), base)).isFalse();
  }
}
