package io.github.ailabkit;

/**
 * An image format an endpoint's file field accepts, as listed in the API documentation, or that the SDK
 * recognises in order to name it when a field does not accept it ({@link #GIF}).
 *
 * <p>The documentation writes {@code JPG} and {@code JPEG} side by side; both are {@link #JPEG} here.
 * Use {@link #mediaType()} for a multipart part's {@code Content-Type} and {@link #extension()} for its
 * file name: some endpoints check the name's extension rather than the bytes.
 */
public enum ImageFormat {
  /** JPEG ({@code .jpg}); the documentation's {@code JPG} and {@code JPEG}. */
  JPEG("image/jpeg", "jpg"),
  /** PNG ({@code .png}). */
  PNG("image/png", "png"),
  /** Windows bitmap ({@code .bmp}). */
  BMP("image/bmp", "bmp"),
  /** WebP ({@code .webp}). */
  WEBP("image/webp", "webp"),
  /** GIF ({@code .gif}): accepted by no documented field, recognised so a refusal can name it. */
  GIF("image/gif", "gif");

  private final String mediaType;
  private final String extension;

  ImageFormat(String mediaType, String extension) {
    this.mediaType = mediaType;
    this.extension = extension;
  }

  /** The IANA media type, such as {@code image/jpeg}: the {@code Content-Type} of an uploaded part. */
  public String mediaType() {
    return mediaType;
  }

  /** The usual file name extension without the dot, such as {@code jpg}. */
  public String extension() {
    return extension;
  }
}
