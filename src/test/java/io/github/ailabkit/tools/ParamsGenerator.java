package io.github.ailabkit.tools;

import static io.github.ailabkit.tools.JavaText.code;
import static io.github.ailabkit.tools.JavaText.javaString;
import static io.github.ailabkit.tools.JavaText.javadoc;
import static io.github.ailabkit.tools.JavaText.lowerCamel;
import static io.github.ailabkit.tools.JavaText.prose;
import static io.github.ailabkit.tools.JavaText.upperCamel;

import io.github.ailabkit.tools.EndpointCatalogGenerator.EndpointSpec;
import io.github.ailabkit.tools.EndpointCatalogGenerator.FieldSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes the package {@code io.github.ailabkit.params}: one immutable params class per POST endpoint with
 * its builder, a value type per field with documented allowed values, and the two shared types
 * {@code EndpointParams} and {@code ParamValue}.
 */
final class ParamsGenerator {
  static final String PACKAGE = "io.github.ailabkit.params";
  static final String DIRECTORY = "io/github/ailabkit/params";
  /** The field the method called decides; params have no setter for it. */
  static final String TASK_TYPE = "task_type";
  /** Allowed values listed in a setter's Javadoc; beyond this, it points to the value type. */
  private static final int MAX_LISTED_VALUES = 12;

  private ParamsGenerator() {}

  /** The params class of the endpoint constant {@code AI_FACE_SWAP}: {@code AiFaceSwapParams}. */
  static String className(String constant) {
    return upperCamel(constant) + "Params";
  }

  static Map<String, String> generate(List<EndpointSpec> posts, Map<String, String> constants) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(DIRECTORY + "/package-info.java", packageInfo());
    files.put(DIRECTORY + "/EndpointParams.java", endpointParams());
    files.put(DIRECTORY + "/ParamValue.java", paramValue());
    for (EndpointSpec endpoint : posts) {
      String name = className(constants.get(endpoint.path()));
      files.put(DIRECTORY + "/" + name + ".java", params(endpoint, constants.get(endpoint.path()), name));
    }
    return files;
  }

  private static String packageInfo() {
    return EndpointCatalogGenerator.GENERATED_HEADER + """
        /**
         * Typed parameters for every endpoint of the AILab API, generated from the vendor's OpenAPI document:
         * one immutable {@code XxxParams} class per endpoint, built with {@code XxxParams.builder()}, one setter
         * per documented field, and a value type for each field with documented allowed values.
         *
         * <pre>{@code
         * AsyncTask task = client.portrait().hairstyleEditorPro(HairstyleEditorProParams.builder()
         *     .image(Path.of("me.jpg"))
         *     .hairStyle(HairstyleEditorProParams.HairStyle.BUZZ_CUT)
         *     .build());
         * }</pre>
         */
        package io.github.ailabkit.params;
        """;
  }

  private static String endpointParams() {
    return EndpointCatalogGenerator.GENERATED_HEADER + """
        package io.github.ailabkit.params;

        import io.github.ailabkit.Endpoint;
        import io.github.ailabkit.Form;

        /**
         * The parameters of one request to one endpoint, as every generated {@code XxxParams} class holds them.
         * They go through the same validation and the same multipart writer as a {@link Form} given to
         * {@code AILabClient.submit} or {@code call}: {@link #toForm()} is that form.
         */
        public interface EndpointParams {
          /** The endpoint these parameters are for. */
          Endpoint endpoint();

          /**
           * The parameters as a read-only form ({@link Form#freeze()}), checked when it is sent like any
           * form; to change it, change a {@link Form#copy()}.
           */
          Form toForm();
        }
        """;
  }

  private static String paramValue() {
    return EndpointCatalogGenerator.GENERATED_HEADER + """
        package io.github.ailabkit.params;

        import java.util.Objects;

        /**
         * A value of a field with documented allowed values, such as {@code HairStyle.BUZZ_CUT}. Each such
         * field has its own subclass with a constant per documented value; {@code of(String)} takes any text,
         * so a value the vendor added after this SDK was released can be sent too (with
         * {@code AILabClient.Builder.strictValidation(false)}). Two values are equal when they are of the
         * same type and have the same text.
         */
        public abstract class ParamValue {
          private final String value;

          /** A value with this text, as sent in the form. */
          protected ParamValue(String value) {
            this.value = Objects.requireNonNull(value, "value == null");
          }

          /** The text sent in the form, such as {@code BuzzCut}. */
          public final String value() {
            return value;
          }

          @Override
          public final boolean equals(Object other) {
            return other != null && other.getClass() == getClass() && ((ParamValue) other).value.equals(value);
          }

          @Override
          public final int hashCode() {
            return value.hashCode();
          }

          /** The text sent in the form. */
          @Override
          public final String toString() {
            return value;
          }
        }
        """;
  }

  private static String params(EndpointSpec endpoint, String constant, String name) {
    List<FieldSpec> fields = endpoint.fields().stream().filter(f -> !f.name().equals(TASK_TYPE)).toList();
    checkNames(endpoint, fields);
    StringBuilder out = new StringBuilder(EndpointCatalogGenerator.GENERATED_HEADER)
        .append("package ").append(PACKAGE).append(";\n\n")
        .append("import io.github.ailabkit.Endpoint;\n")
        .append("import io.github.ailabkit.Endpoints;\n")
        .append("import io.github.ailabkit.Form;\n");
    boolean files = fields.stream().anyMatch(FieldSpec::file);
    if (files) out.append("import io.github.ailabkit.UploadSource;\n");
    out.append("import io.github.ailabkit.internal.ParamsSupport;\n");
    if (files) out.append("import java.nio.file.Path;\n");
    out.append("\n");
    javadoc(out, 0, classDoc(endpoint, constant, name, fields));
    out.append("public final class ").append(name).append(" implements EndpointParams {\n")
        .append("  private final Form form;\n\n")
        .append("  private ").append(name).append("(Form form) {\n")
        .append("    this.form = form;\n")
        .append("  }\n\n");
    javadoc(out, 2, "A builder with no field set.");
    out.append("  public static Builder builder() {\n")
        .append("    return new Builder();\n")
        .append("  }\n\n");
    javadoc(out, 2, "{@link Endpoints#" + constant + "}.");
    out.append("  @Override\n")
        .append("  public Endpoint endpoint() {\n")
        .append("    return Endpoints.").append(constant).append(";\n")
        .append("  }\n\n")
        .append("  @Override\n")
        .append("  public Form toForm() {\n")
        .append("    return form;\n")
        .append("  }\n\n");
    javadoc(out, 2, "The class name and the form's field names and files.");
    out.append("  @Override\n")
        .append("  public String toString() {\n")
        .append("    return \"").append(name).append("\" + form;\n")
        .append("  }\n\n");
    for (FieldSpec field : fields) {
      if (!field.allowedValues().isEmpty()) valueType(out, field);
    }
    builder(out, endpoint, constant, name, fields);
    return out.append("}\n").toString();
  }

  private static String classDoc(EndpointSpec endpoint, String constant, String name, List<FieldSpec> fields) {
    StringBuilder text = new StringBuilder("The parameters of {@link Endpoints#").append(constant).append("}, ")
        .append(JavaText.escapeHtml(endpoint.summary())).append(" (").append(mode(endpoint)).append(").\n")
        .append("<pre>{@code\n")
        .append(name).append(" params = ").append(name).append(".builder()\n");
    for (FieldSpec field : example(endpoint, fields)) {
      text.append("    .").append(lowerCamel(field.name())).append("(").append(exampleValue(name, field))
          .append(")\n");
    }
    return text.append("    .build();\n}</pre>\n")
        .append("<p>Immutable and thread-safe; the builder is not. Byte arrays and upload sources are held, not")
        .append(" copied.").toString();
  }

  private static String mode(EndpointSpec endpoint) {
    return endpoint.async() && endpoint.sync() ? "asynchronous, or synchronous on request"
        : endpoint.async() ? "asynchronous" : "synchronous";
  }

  /** The fields a minimal request sets: the required ones, else the first field of each any-of group. */
  private static List<FieldSpec> example(EndpointSpec endpoint, List<FieldSpec> fields) {
    List<FieldSpec> result = new ArrayList<>(fields.stream().filter(FieldSpec::required).toList());
    for (List<String> group : endpoint.anyOfGroups()) {
      if (result.stream().noneMatch(f -> group.contains(f.name()))) {
        fields.stream().filter(f -> f.name().equals(group.get(0))).findFirst().ifPresent(result::add);
      }
    }
    if (result.stream().noneMatch(FieldSpec::file)) {
      fields.stream().filter(FieldSpec::file).findFirst().ifPresent(f -> result.add(0, f));
    }
    return result;
  }

  private static String exampleValue(String className, FieldSpec field) {
    if (field.file()) return "Path.of(\"photo.jpg\")";
    if (!field.allowedValues().isEmpty()) {
      return className + "." + upperCamel(field.name()) + "."
          + JavaText.valueConstant(field.allowedValues().get(0));
    }
    return switch (field.type()) {
      case "integer" -> "1";
      case "number" -> "0.5";
      case "boolean" -> "true";
      default -> "\"text\"";
    };
  }

  private static void valueType(StringBuilder out, FieldSpec field) {
    String type = upperCamel(field.name());
    javadoc(out, 2, "The documented values of {@code " + field.name() + "}; {@link #of(String)} takes others too.");
    out.append("  public static final class ").append(type).append(" extends ParamValue {\n");
    Set<String> taken = new HashSet<>();
    for (String value : field.allowedValues()) {
      String constant = JavaText.valueConstant(value);
      if (!taken.add(constant)) {
        throw new IllegalStateException(field.name() + ": two values named " + constant);
      }
      String meaning = field.meanings().get(value);
      javadoc(out, 4, code(value) + (meaning == null || meaning.isBlank() ? "." : ": " + sentence(prose(meaning))));
      out.append("    public static final ").append(type).append(' ').append(constant).append(" = new ")
          .append(type).append('(').append(javaString(value)).append(");\n\n");
    }
    out.append("    private ").append(type).append("(String value) {\n")
        .append("      super(value);\n")
        .append("    }\n\n");
    javadoc(out, 4, "The value with this text: a documented one, or one the vendor added after this SDK.");
    out.append("    public static ").append(type).append(" of(String value) {\n")
        .append("      return new ").append(type).append("(value);\n")
        .append("    }\n")
        .append("  }\n\n");
  }

  private static void builder(StringBuilder out, EndpointSpec endpoint, String constant, String name,
      List<FieldSpec> fields) {
    javadoc(out, 2, "Builds a {@link " + name + "}; setting a field twice keeps the last value. Not thread-safe.");
    out.append("  public static final class Builder {\n")
        .append("    private Form form = Form.create();\n\n")
        .append("    private Builder() {\n")
        .append("    }\n\n");
    for (FieldSpec field : fields) setters(out, endpoint, field);
    javadoc(out, 4, "The parameters, once every required field (and one field of each any-of group) is set;"
        + " files are read and checked when the request is sent.\n"
        + "@throws io.github.ailabkit.ValidationException listing every missing field");
    out.append("    public ").append(name).append(" build() {\n")
        .append("      return new ").append(name).append("(ParamsSupport.checked(Endpoints.").append(constant)
        .append(", form));\n")
        .append("    }\n")
        .append("  }\n");
  }

  private static void setters(StringBuilder out, EndpointSpec endpoint, FieldSpec field) {
    String method = lowerCamel(field.name());
    String doc = setterDoc(endpoint, field);
    String key = javaString(field.name());
    if (field.file()) {
      setter(out, doc, method, "Path", "form.file(" + key + ", value)");
      setter(out, doc + "\n<p>The bytes are used in place, not copied.", method, "byte[]",
          "form.file(" + key + ", value)");
      setter(out, doc + "\n<p>See {@link UploadSource} for streams.", method, "UploadSource",
          "form.file(" + key + ", value)");
      return;
    }
    if (!field.allowedValues().isEmpty()) {
      setter(out, doc, method, upperCamel(field.name()), "form.field(" + key + ", value.value())");
      return;
    }
    switch (field.type()) {
      case "integer" -> setter(out, doc, method, "long", "form.field(" + key + ", value)");
      case "number" -> setter(out, doc, method, "double", "form.field(" + key + ", ParamsSupport.number(value))");
      case "boolean" -> setter(out, doc, method, "boolean", "form.field(" + key + ", value)");
      default -> setter(out, doc, method, "String", "form.field(" + key + ", value)");
    }
  }

  private static void setter(StringBuilder out, String doc, String method, String type, String body) {
    javadoc(out, 4, doc);
    out.append("    public Builder ").append(method).append('(').append(type).append(" value) {\n")
        .append("      form = ParamsSupport.writable(form);\n")
        .append("      ").append(body).append(";\n")
        .append("      return this;\n")
        .append("    }\n\n");
  }

  /** The setter's Javadoc: the description, then the documented rules, each a sentence. */
  private static String setterDoc(EndpointSpec endpoint, FieldSpec field) {
    String description = prose(beforeList(field.description()));
    StringBuilder text = new StringBuilder("Sets {@code ").append(field.name()).append("}")
        .append(description.isEmpty() ? "." : ": " + sentence(description));
    if (field.required()) text.append(" Required.");
    for (List<String> group : endpoint.anyOfGroups()) {
      if (group.contains(field.name())) {
        text.append(" At least one of ").append(group.stream().map(n -> "{@code " + n + "}")
            .collect(Collectors.joining(", "))).append(" is required.");
      }
    }
    if (field.allowedValues().size() > MAX_LISTED_VALUES) {
      text.append(" Allowed: the ").append(field.allowedValues().size()).append(" constants of {@link ")
          .append(upperCamel(field.name())).append("}.");
    } else if (!field.allowedValues().isEmpty()) {
      text.append(" Allowed: ").append(field.allowedValues().stream().map(JavaText::code)
          .collect(Collectors.joining(", "))).append('.');
    }
    if (field.defaultValue() != null) text.append(" Default: ").append(code(field.defaultValue())).append('.');
    if (field.maxLength() != null) text.append(" At most ").append(field.maxLength()).append(" characters.");
    if (field.maxFileBytes() != null) {
      text.append(" At most ").append(field.maxFileBytes()).append(" bytes.");
    }
    if (!field.formats().isEmpty()) text.append(" Formats: ").append(String.join(", ", field.formats())).append('.');
    if (field.minResolution() != null) {
      text.append(" At least ").append(size(field.minResolution())).append(" pixels.");
    }
    if (field.maxResolution() != null) {
      text.append(" At most ").append(size(field.maxResolution())).append(" pixels.");
    }
    return text.toString();
  }

  /** The description up to its list of values (which the value type documents). */
  private static String beforeList(String description) {
    int list = description.indexOf("<li>");
    int markdown = description.indexOf(" - `");
    int end = list < 0 ? markdown : markdown < 0 ? list : Math.min(list, markdown);
    return end < 0 ? description : description.substring(0, end);
  }

  private static String sentence(String text) {
    String trimmed = text.trim();
    return trimmed.endsWith(".") || trimmed.endsWith("?") || trimmed.endsWith("!") ? trimmed : trimmed + ".";
  }

  private static String size(int[] size) {
    return size[0] + "x" + size[1];
  }

  /** Fails on setter or type names that would clash or not compile. */
  private static void checkNames(EndpointSpec endpoint, List<FieldSpec> fields) {
    Set<String> methods = new HashSet<>(Set.of("build"));
    Set<String> types = new HashSet<>(Set.of("Builder", "Endpoint", "Endpoints", "Form", "UploadSource",
        "ParamsSupport", "Path", "ParamValue", "EndpointParams"));
    for (FieldSpec field : fields) {
      if (!methods.add(lowerCamel(field.name()))) {
        throw new IllegalStateException(endpoint.path() + ": setter name clash for " + field.name());
      }
      if (!field.allowedValues().isEmpty() && !types.add(upperCamel(field.name()))) {
        throw new IllegalStateException(endpoint.path() + ": type name clash for " + field.name());
      }
    }
  }
}
