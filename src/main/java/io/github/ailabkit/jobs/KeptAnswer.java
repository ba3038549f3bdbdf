package io.github.ailabkit.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ailabkit.ResultFiles;
import io.github.ailabkit.TaskResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The answer of a completed task as a job records it: the answer's JSON with every base64 image replaced by
 * the name of the file it was kept in ({@code result-2.png}). Images can be megabytes each; the journal or
 * the table keeps only the small rest of the answer, and the image itself lives in its file.
 */
final class KeptAnswer {
  private KeptAnswer() {
  }

  /**
   * The JSON to record for {@code result}, whose files {@link ResultKeeper#keep} kept as {@code kept} (the URL
   * downloads first, then the base64 images, each in the answer's order).
   */
  static String json(TaskResult result, List<Path> kept) {
    List<byte[]> images = ResultFiles.base64Images(result);
    if (images.isEmpty()) {
      return result.body().toString();
    }
    List<Path> imageFiles = kept.subList(kept.size() - images.size(), kept.size());
    return replaceImages(result.body().deepCopy(), images, imageFiles).toString();
  }

  private static JsonNode replaceImages(JsonNode node, List<byte[]> images, List<Path> files) {
    if (node.isTextual()) {
      int index = indexOf(images, node.textValue());
      return index < 0 ? node : JsonNodeFactory.instance.textNode(files.get(index).getFileName().toString());
    }
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      object.properties().forEach(member -> member.setValue(replaceImages(member.getValue(), images, files)));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        ((ArrayNode) node).set(i, replaceImages(node.get(i), images, files));
      }
    }
    return node;
  }

  /** The index of the image {@code text} encodes among {@code images}, or -1 if it is not one of them. */
  private static int indexOf(List<byte[]> images, String text) {
    ObjectNode alone = JsonNodeFactory.instance.objectNode();
    alone.put("data", text);
    List<byte[]> decoded = ResultFiles.base64Images(alone);
    if (decoded.size() != 1) {
      return -1;
    }
    for (int i = 0; i < images.size(); i++) {
      if (Arrays.equals(images.get(i), decoded.get(0))) {
        return i;
      }
    }
    return -1;
  }
}
