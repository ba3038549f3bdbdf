package io.github.ailabkit.typed;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;
import okio.ByteString;

/**
 * A network interceptor that keeps a copy of every request body exactly as it goes on the wire, so a
 * test can read the multipart an endpoint received while the simulator still answers it.
 */
final class CapturedBodies implements Interceptor {
  /** One request as sent: its path, its body's content type and bytes. */
  record Captured(String path, String contentType, ByteString body) {
  }

  private final List<Captured> bodies = new CopyOnWriteArrayList<>();

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    RequestBody original = request.body();
    if (original == null) {
      return chain.proceed(request);
    }
    RequestBody tee = new RequestBody() {
      @Override
      public MediaType contentType() {
        return original.contentType();
      }

      @Override
      public long contentLength() throws IOException {
        return original.contentLength();
      }

      @Override
      public boolean isOneShot() {
        return original.isOneShot();
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        Buffer copy = new Buffer();
        original.writeTo(copy);
        bodies.add(new Captured(request.url().encodedPath(), String.valueOf(original.contentType()), copy.snapshot()));
        sink.writeAll(copy);
      }
    };
    return chain.proceed(request.newBuilder().method(request.method(), tee).build());
  }

  /** The last body sent, and forgets every body. */
  Captured takeLast() {
    Captured last = bodies.get(bodies.size() - 1);
    bodies.clear();
    return last;
  }
}
