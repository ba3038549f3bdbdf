package io.github.ailabkit.simulator;

import io.github.ailabkit.Endpoint;
import java.util.Set;

/**
 * The two forms of the API's public response fields. The new form has {@code error_detail} with
 * {@code code}, {@code code_message} and {@code message}; the old form adds {@code error_code} (0 or
 * the HTTP status), {@code error_code_str}, {@code error_msg} and {@code error_detail.status_code}.
 *
 * <p>As in the vendor's document: the two {@code GET} endpoints, unknown paths and most asynchronous
 * endpoints answer in the new form; synchronous endpoints and the asynchronous endpoints listed here
 * answer in the old form, errors included.
 */
enum WireForm {
  NEW,
  OLD;

  /** Asynchronous endpoints whose documented answers are in the old form. */
  static final Set<String> OLD_FORM_ASYNC_PATHS = Set.of(
      "/api/portrait/effects/smart-beauty",
      "/api/portrait/effects/face-beauty-pro",
      "/api/portrait/editing/try-on-clothes",
      "/api/portrait/editing/try-on-clothes-pro",
      "/api/portrait/editing/try-on-clothes-premium",
      "/api/portrait/editing/ai-face-swap",
      "/api/portrait/enhance/try-on-clothes-refiner",
      "/api/image/generation/ai-flower-wallpaper",
      "/api/image/effects/ai-anime-generator",
      "/api/image/effects/photo-to-line-art",
      "/api/image/effects/photo-to-emoji-grid",
      "/api/image/effects/ai-photography",
      "/api/image/editing/ai-nail-art",
      "/api/image/editing/ai-nail-art-pro");

  /** The form an endpoint answers in; {@link #NEW} when {@code endpoint} is null (a GET or unknown path). */
  static WireForm of(Endpoint endpoint) {
    if (endpoint == null) {
      return NEW;
    }
    return endpoint.mode() == Endpoint.Mode.SYNC || OLD_FORM_ASYNC_PATHS.contains(endpoint.path()) ? OLD : NEW;
  }
}
