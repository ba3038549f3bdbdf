package io.github.ailabkit.internal;

import io.github.ailabkit.Form;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/**
 * Builds {@code multipart/form-data} bodies whose file parts stream from disk while being sent, so an
 * upload never sits whole in memory. The body is one-shot: OkHttp itself never replays it, which keeps
 * a submit from being sent twice.
 */
public final class MultipartBodies {
  private MultipartBodies() {
  }

  /** The body for a validated form; file parts carry sniffed file names and media types. */
  public static RequestBody create(Form form, List<PreparedFile> files) {
    MultipartBody.Builder builder = new MultipartBody.Builder().setType(MultipartBody.FORM);
    for (Map.Entry<String, String> field : form.fields().entrySet()) {
      builder.addFormDataPart(field.getKey(), field.getValue());
    }
    for (PreparedFile file : files) {
      builder.addFormDataPart(file.field(), file.partFileName(), new FileBody(file));
    }
    return new OneShot(builder.build());
  }

  /** A file part read from disk at write time. */
  private static final class FileBody extends RequestBody {
    private final PreparedFile file;

    FileBody(PreparedFile file) {
      this.file = file;
    }

    @Override
    public MediaType contentType() {
      return MediaType.get(file.mediaType());
    }

    @Override
    public long contentLength() {
      return file.size();
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      try (Source source = Okio.source(file.path())) {
        long written = sink.writeAll(source);
        if (written != file.size()) {
          throw new IOException("file " + file.path() + " changed size while uploading (" + file.size()
              + " bytes checked, " + written + " sent)");
        }
      }
    }
  }

  /** Marks a body as not replayable, so no layer may send it twice. */
  private static final class OneShot extends RequestBody {
    private final RequestBody delegate;

    OneShot(RequestBody delegate) {
      this.delegate = delegate;
    }

    @Override
    public MediaType contentType() {
      return delegate.contentType();
    }

    @Override
    public long contentLength() throws IOException {
      return delegate.contentLength();
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      delegate.writeTo(sink);
    }

    @Override
    public boolean isOneShot() {
      return true;
    }
  }
}
