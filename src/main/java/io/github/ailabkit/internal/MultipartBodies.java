package io.github.ailabkit.internal;

import io.github.ailabkit.Form;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/**
 * Builds {@code multipart/form-data} bodies whose file parts stream from disk (or from the caller's
 * bytes or stream) while being sent, so an upload never sits whole in memory. The body is one-shot:
 * OkHttp itself never replays it, which keeps a submit from being sent twice.
 *
 * <p>Before the first byte of the body, every file is checked again (still a regular file, same size
 * and modification time); a file that fails, or an input that ends early or runs long while being
 * copied, stops the request with a {@link LocalInputFailure}: it was never sent in full.
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
    return new OneShot(builder.build(), files);
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
      try (InputStream in = file.input().openForSending(file.size()); Source source = Okio.source(in)) {
        long remaining = file.size();
        while (remaining > 0) {
          long read = source.read(sink.getBuffer(), remaining);
          if (read == -1) {
            throw changedSize(file.size() - remaining + " bytes");
          }
          remaining -= read;
          sink.emitCompleteSegments();
        }
        if (in.read() != -1) {
          throw changedSize("more bytes");
        }
      }
    }

    private LocalInputFailure changedSize(String found) {
      return new LocalInputFailure("the " + file.input().describe() + " changed size while uploading ("
          + file.size() + " bytes checked, " + found + " found); nothing was sent", null);
    }
  }

  /** Marks a body as not replayable, so no layer may send it twice. */
  private static final class OneShot extends RequestBody {
    private final RequestBody delegate;
    private final List<PreparedFile> files;

    OneShot(RequestBody delegate, List<PreparedFile> files) {
      this.delegate = delegate;
      this.files = files;
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
      for (PreparedFile file : files) {
        file.input().recheck(file.size());
      }
      delegate.writeTo(sink);
    }

    @Override
    public boolean isOneShot() {
      return true;
    }
  }
}
