package io.github.ailabkit.testing;

import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Endpoint.Field;
import io.github.ailabkit.Form;
import io.github.ailabkit.ImageFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The smallest form an endpoint accepts, read from its catalog entry: every required field, the first
 * field of each any-of group, and the first file field if none of those is a file; an image in the first documented format, sized between the documented
 * resolution bounds; a text value that is the default, else the first allowed value, else one of the
 * documented type.
 */
public final class ValidForms {
  private ValidForms() {
  }

  /** The smallest valid form of {@code endpoint}, its files written under {@code dir}. */
  public static Form minimal(Endpoint endpoint, Path dir) throws IOException {
    Set<String> names = new LinkedHashSet<>();
    endpoint.requiredFields().forEach(field -> names.add(field.name()));
    endpoint.anyOfGroups().forEach(group -> names.add(group.iterator().next()));
    if (names.stream().noneMatch(name -> endpoint.field(name).orElseThrow().kind() == Endpoint.FieldKind.FILE)) {
      endpoint.fields().stream().filter(field -> field.kind() == Endpoint.FieldKind.FILE).findFirst()
          .ifPresent(file -> names.add(file.name())); // the SDK sends no form without a file
    }
    Form form = Form.create();
    for (String name : names) {
      Field field = endpoint.field(name).orElseThrow();
      if (field.kind() == Endpoint.FieldKind.FILE) {
        form.file(name, image(field, dir));
      } else {
        form.field(name, text(field));
      }
    }
    return form;
  }

  private static Path image(Field field, Path dir) throws IOException {
    ImageFormat format = field.formats().isEmpty() ? ImageFormat.PNG : field.formats().iterator().next();
    int side = Images.SIDE;
    if (field.minResolution() != null) {
      side = Math.max(side, Math.max(field.minResolution().width(), field.minResolution().height()) + 1);
    }
    if (field.maxResolution() != null) {
      side = Math.min(side, Math.min(field.maxResolution().width(), field.maxResolution().height()) - 1);
    }
    return Images.ofSize(dir, field.name() + "." + format.extension(), format, side, side);
  }

  private static String text(Field field) {
    if (field.defaultValue() != null) return field.defaultValue();
    if (!field.allowedValues().isEmpty()) return field.allowedValues().get(0);
    return switch (field.valueType()) {
      case INTEGER, NUMBER -> "1";
      case BOOLEAN -> "true";
      case STRING -> field.maxLength() == null || field.maxLength() >= 4 ? "text" : "t";
    };
  }
}
