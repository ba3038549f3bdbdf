package io.github.ailabkit.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.internal.Json;

/**
 * The {@code data} of a completed task. The API's shapes vary by endpoint; the simulator varies them by
 * endpoint family, so clients meet each documented shape:
 *
 * <ul>
 *   <li>{@code /api/portrait/effects/…}: {@code data.images[]}
 *   <li>{@code /api/portrait/editing/…}: {@code data.image}
 *   <li>{@code /api/cutout/…}: {@code data.image_url}
 *   <li>{@code /api/image/…}: {@code data.result_urls[]}
 *   <li>any other path: {@code data.result_url}
 * </ul>
 */
final class ResultShapes {
  private ResultShapes() {
  }

  /** The completed task's {@code data}, naming {@code fileUrl} in its endpoint family's shape. */
  static ObjectNode taskData(String path, String fileUrl) {
    ObjectNode data = Json.mapper().createObjectNode();
    if (path.startsWith("/api/portrait/effects/")) {
      data.putArray("images").add(fileUrl);
    } else if (path.startsWith("/api/portrait/editing/")) {
      data.put("image", fileUrl);
    } else if (path.startsWith("/api/cutout/")) {
      data.put("image_url", fileUrl);
    } else if (path.startsWith("/api/image/")) {
      data.putArray("result_urls").add(fileUrl);
    } else {
      data.put("result_url", fileUrl);
    }
    return data;
  }
}
