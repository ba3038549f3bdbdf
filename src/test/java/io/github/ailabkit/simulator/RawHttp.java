package io.github.ailabkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ailabkit.internal.Json;
import io.github.ailabkit.testing.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Plain HTTP to the simulator, for what the SDK would refuse to send or hides (raw bodies, headers). */
final class RawHttp implements AutoCloseable {
  static final MediaType PNG = MediaType.get("image/png");

  private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  private final String baseUrl;

  /** One answer, read whole. */
  record Reply(int status, Headers headers, String body) {
    JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  RawHttp(AILabSimulator sim) {
    this.baseUrl = sim.baseUrl();
  }

  Reply get(String pathAndQuery, String apiKey) {
    return send(request(pathAndQuery, apiKey).get().build());
  }

  Reply post(String path, RequestBody body, String apiKey) {
    return send(request(path, apiKey).post(body).build());
  }

  /** A multipart builder holding a PNG as {@code image}. */
  static MultipartBody.Builder formWithImage() {
    return new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("image", "face.png", RequestBody.create(Pngs.onePixel(), PNG));
  }

  private Request.Builder request(String pathAndQuery, String apiKey) {
    Request.Builder builder = new Request.Builder().url(baseUrl + pathAndQuery);
    if (apiKey != null) {
      builder.header("ailabapi-api-key", apiKey);
    }
    return builder;
  }

  private Reply send(Request request) {
    try (Response response = http.newCall(request).execute()) {
      return new Reply(response.code(), response.headers(), response.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    TestServers.shutDown(http);
  }
}
