package io.github.ailabkit;

import static io.github.ailabkit.Endpoint.FieldKind.FILE;
import static io.github.ailabkit.Endpoint.FieldKind.TEXT;
import static io.github.ailabkit.ImageFormat.BMP;
import static io.github.ailabkit.ImageFormat.JPEG;
import static io.github.ailabkit.ImageFormat.PNG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ailabkit.Endpoint.Field;
import io.github.ailabkit.Endpoint.ValueType;
import io.github.ailabkit.tools.EndpointCatalogGenerator;
import io.github.ailabkit.tools.ResponseTypesGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog in {@link Endpoints} says exactly what the vendor's OpenAPI document says.
 *
 * <p>The expectations are derived here from the document, independently of the generator, so a
 * hand edit of {@code Endpoints.java}, a generator bug or a changed document all fail a test.
 */
class EndpointCatalogTest {
  private static final String SPEC = "/ailabapi-openapi.json";
  private static final Path SOURCES = Path.of("src/main/java");
  private static final long MB = 1024 * 1024;

  private static JsonNode spec;
  /** The document's POST operations by path, in document order. */
  private static final Map<String, JsonNode> posts = new LinkedHashMap<>();
  private static final Map<String, JsonNode> gets = new LinkedHashMap<>();

  @BeforeAll
  static void readSpec() throws IOException {
    try (InputStream in = EndpointCatalogTest.class.getResourceAsStream(SPEC)) {
      assertThat(in).as(SPEC + " on the test classpath").isNotNull();
      spec = new ObjectMapper().readTree(in);
    }
    for (Map.Entry<String, JsonNode> path : spec.get("paths").properties()) {
      if (path.getValue().has("post")) posts.put(path.getKey(), path.getValue().get("post"));
      if (path.getValue().has("get")) gets.put(path.getKey(), path.getValue().get("get"));
    }
  }

  // -----------------------------------------------------------------------------------------------
  // The whole catalog against the document

  @Test
  void catalogHasOneEndpointPerPostPathInDocumentOrder() {
    List<String> paths = Endpoints.all().stream().map(Endpoint::path).toList();

    assertThat(paths).hasSize(85).containsExactlyElementsOf(posts.keySet());
  }

  @Test
  void summariesAreTheDocumentSummaries() {
    for (Endpoint endpoint : Endpoints.all()) {
      assertThat(endpoint.summary()).as(endpoint.path())
          .isEqualTo(posts.get(endpoint.path()).get("summary").asText());
    }
  }

  @Test
  void endpointIsAsyncWhenItsSuccessResponseMentionsTaskId() {
    for (Endpoint endpoint : Endpoints.all()) {
      JsonNode ok = posts.get(endpoint.path()).get("responses").get("200");
      assertThat(endpoint.mode().answersWithTask()).as(endpoint.path()).isEqualTo(mentionsTaskId(ok));
    }
    assertThat(Endpoints.all()).filteredOn(e -> e.mode().answersWithTask()).hasSize(38);
  }

  @Test
  void endpointSupportsSyncWhenItIsSyncOrASuccessExampleSaysTaskTypeSync() {
    for (Endpoint endpoint : Endpoints.all()) {
      JsonNode ok = posts.get(endpoint.path()).get("responses").get("200");
      boolean syncExample = ok.findValues("task_type").stream().anyMatch(v -> v.asText().equals("sync"));
      assertThat(endpoint.mode().answersDirectly()).as(endpoint.path())
          .isEqualTo(!endpoint.mode().answersWithTask() || syncExample);
    }
    assertThat(Endpoints.all()).filteredOn(e -> e.mode() == Endpoint.Mode.SYNC_OR_ASYNC)
        .containsExactlyInAnyOrder(Endpoints.SMART_BEAUTY, Endpoints.FACE_BEAUTY_PRO);
  }

  @Test
  void fieldsMatchTheDocumentExactly() {
    for (Endpoint endpoint : Endpoints.all()) {
      assertThat(endpoint.fields()).as(endpoint.path())
          .containsExactlyElementsOf(expectedFields(posts.get(endpoint.path())));
    }
  }

  @Test
  void anyOfGroupsMatchTheDocument() {
    for (Endpoint endpoint : Endpoints.all()) {
      assertThat(endpoint.anyOfGroups()).as(endpoint.path())
          .isEqualTo(expectedAnyOfGroups(posts.get(endpoint.path())));
    }
    assertThat(Endpoints.all()).filteredOn(e -> !e.anyOfGroups().isEmpty()).hasSize(4);
  }

  @Test
  void requiredFieldsAreTheDocumentsRequiredList() {
    for (Endpoint endpoint : Endpoints.all()) {
      List<String> required = new ArrayList<>();
      schema(posts.get(endpoint.path())).path("required").forEach(n -> required.add(n.asText()));
      assertThat(endpoint.requiredFields()).extracting(Field::name).as(endpoint.path())
          .containsExactlyInAnyOrderElementsOf(required);
    }
  }

  @Test
  void documentUsesOnlyShapesTheCatalogCanExpress() {
    // A new keyword (minimum, pattern, an array of files, ...) must be modelled before it is dropped.
    Set<String> schemaKeywords = Set.of("type", "properties", "required", "anyOf");
    Set<String> fieldKeywords =
        Set.of("type", "format", "description", "example", "enum", "default", "maxLength");
    for (Map.Entry<String, JsonNode> post : posts.entrySet()) {
      JsonNode content = post.getValue().get("requestBody").get("content");
      assertThat(names(content)).as(post.getKey()).containsExactly("multipart/form-data");
      JsonNode schema = schema(post.getValue());
      assertThat(names(schema)).as(post.getKey()).isSubsetOf(schemaKeywords);
      for (JsonNode alternative : schema.path("anyOf")) {
        assertThat(names(alternative)).as(post.getKey()).containsExactly("required");
        assertThat(alternative.get("required")).as(post.getKey()).hasSize(1);
      }
      for (Map.Entry<String, JsonNode> field : schema.get("properties").properties()) {
        String where = post.getKey() + " " + field.getKey();
        assertThat(names(field.getValue())).as(where).isSubsetOf(fieldKeywords);
        assertThat(field.getValue().get("type").asText()).as(where)
            .isIn("string", "integer", "number", "boolean");
        assertThat(field.getValue().path("format").asText("binary")).as(where).isEqualTo("binary");
      }
    }
  }

  @Test
  void constantsAreNamedAfterTheLastPathSegment() throws IllegalAccessException {
    Map<String, Endpoint> constants = new LinkedHashMap<>();
    for (java.lang.reflect.Field field : Endpoints.class.getFields()) {
      if (field.getType() == Endpoint.class && Modifier.isStatic(field.getModifiers())) {
        constants.put(field.getName(), (Endpoint) field.get(null));
      }
    }

    assertThat(constants.values()).containsExactlyElementsOf(Endpoints.all());
    constants.forEach((name, endpoint) -> assertThat(name).as(endpoint.path())
        .isEqualTo(upperSnakeOfLastSegment(endpoint.path())));
  }

  @Test
  void getPathConstantsAreTheDocumentsGetPaths() {
    assertThat(gets.keySet()).containsExactlyInAnyOrder(
        Endpoints.QUERY_CREDITS_PATH, Endpoints.QUERY_ASYNC_TASK_RESULT_PATH);
    assertThat(Endpoints.QUERY_CREDITS_PATH).isEqualTo("/api/common/query-credits");
    assertThat(Endpoints.QUERY_ASYNC_TASK_RESULT_PATH)
        .isEqualTo("/api/common/query-async-task-result");
  }

  @Test
  void everyCheckedInGeneratedFileIsWhatTheGeneratorWrites() throws IOException {
    Map<String, String> files = EndpointCatalogGenerator.generateAll(spec);
    assertThat(files).containsKey("io/github/ailabkit/Endpoints.java")
        .containsKey("io/github/ailabkit/params/HairstyleEditorProParams.java")
        .containsKey("io/github/ailabkit/PortraitService.java")
        .containsKey("io/github/ailabkit/params/FaceAnalyzerResponse.java")
        .containsKey(ResponseTypesGenerator.ANSWERS_FILE);
    for (Map.Entry<String, String> file : files.entrySet()) {
      List<String> checkedIn = Files.readString(SOURCES.resolve(file.getKey()), StandardCharsets.UTF_8).lines().toList();
      List<String> generated = file.getValue().lines().toList();
      String hint = file.getKey() + " was edited by hand or is out of date: rerun EndpointCatalogGenerator."
          + " First difference at line %d";
      for (int i = 0; i < Math.min(checkedIn.size(), generated.size()); i++) {
        assertThat(checkedIn.get(i)).as(hint, i + 1).isEqualTo(generated.get(i));
      }
      assertThat(checkedIn).as(hint, generated.size() + 1).hasSameSizeAs(generated);
      assertThat(checkedIn.get(0)).as(file.getKey()).startsWith("// Generated by EndpointCatalogGenerator");
    }
    try (Stream<Path> params = Files.list(SOURCES.resolve("io/github/ailabkit/params"))) {
      assertThat(params.map(p -> SOURCES.relativize(p).toString().replace('\\', '/')))
          .as("files in the params package that the generator no longer writes").allMatch(files::containsKey);
    }
    try (Stream<Path> sources = Files.walk(SOURCES)) {
      assertThat(sources.filter(EndpointCatalogTest::markedGenerated)
          .map(p -> SOURCES.relativize(p).toString().replace('\\', '/')))
          .as("files marked generated that the generator no longer writes").allMatch(files::containsKey);
    }
  }

  private static boolean markedGenerated(Path file) {
    try {
      return file.toString().endsWith(".java")
          && Files.readString(file, StandardCharsets.UTF_8).startsWith("// Generated by EndpointCatalogGenerator");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Spot checks a reader can follow

  @Test
  void hairstyleEditorProIsAsyncAndNeedsImageAndHairStyle() {
    Endpoint endpoint = Endpoints.HAIRSTYLE_EDITOR_PRO;

    assertThat(endpoint.path()).isEqualTo("/api/portrait/effects/hairstyle-editor-pro");
    assertThat(endpoint.mode()).isEqualTo(Endpoint.Mode.ASYNC);
    assertThat(endpoint.requiredFields()).extracting(Field::name).containsExactly("image", "hair_style");
    assertThat(endpoint.field("hair_style").orElseThrow().allowedValues()).contains("BuzzCut");
    assertThat(endpoint.field("color").orElseThrow().defaultValue()).isEqualTo("blonde");
    Field image = endpoint.field("image").orElseThrow();
    assertThat(image.kind()).isEqualTo(FILE);
    assertThat(image.maxFileBytes()).isEqualTo(5 * MB);
    assertThat(image.formats()).containsExactlyInAnyOrder(JPEG, PNG);
    assertThat(endpoint).hasToString("Endpoint[POST /api/portrait/effects/hairstyle-editor-pro async]");
  }

  @Test
  void hairstyleEditorPremiumNeedsHairStyleOrTemplateImage() {
    Endpoint endpoint = Endpoints.HAIRSTYLE_EDITOR_PREMIUM;

    assertThat(endpoint.requiredFields()).extracting(Field::name).containsExactly("image");
    assertThat(endpoint.anyOfGroups()).containsExactly(Set.of("hair_style", "image_template"));
    assertThat(endpoint.field("image_template").orElseThrow().kind()).isEqualTo(FILE);
  }

  @Test
  void universalBackgroundRemovalIsSyncWithOneImage() {
    Endpoint endpoint = Endpoints.UNIVERSAL_BACKGROUND_REMOVAL;

    assertThat(endpoint.mode()).isEqualTo(Endpoint.Mode.SYNC);
    assertThat(endpoint.fields()).extracting(Field::name, Field::kind)
        .containsExactly(
            tuple("image", FILE),
            tuple("return_form", TEXT));
    assertThat(endpoint)
        .hasToString("Endpoint[POST /api/cutout/general/universal-background-removal sync]");
  }

  @Test
  void tryOnClothesProTakesAPersonAndTwoGarmentFiles() {
    Endpoint endpoint = Endpoints.TRY_ON_CLOTHES_PRO;

    assertThat(endpoint.mode()).isEqualTo(Endpoint.Mode.ASYNC);
    assertThat(endpoint.fields()).filteredOn(f -> f.kind() == FILE).extracting(Field::name)
        .containsExactly("person_image", "top_garment", "bottom_garment");
    assertThat(endpoint.field("restore_face").orElseThrow().kind()).isEqualTo(TEXT);
  }

  @Test
  void hdUniversalBackgroundRemovalAcceptsBmpUpTo40Megabytes() {
    Field image = Endpoints.HD_UNIVERSAL_BACKGROUND_REMOVAL.field("image").orElseThrow();

    assertThat(image.formats()).containsExactly(JPEG, PNG, BMP);
    assertThat(image.maxFileBytes()).isEqualTo(40 * MB);
  }

  @Test
  void integerEnumsAndDefaultsAreKeptAsText() {
    Field smartSkin = Endpoints.SMART_SKIN_ADVANCED.field("smart_skin").orElseThrow();
    Field gridCount = Endpoints.AI_LIP_BITE_EXPRESSIONS.field("grid_count").orElseThrow();

    assertThat(smartSkin.allowedValues()).containsExactly("0", "1");
    assertThat(smartSkin.defaultValue()).isEqualTo("0");
    assertThat(gridCount.allowedValues()).containsExactly("1", "4", "6", "9");
  }

  @Test
  void textFieldsCarryTheirMaximumLength() {
    assertThat(Endpoints.PHOTO_TO_EMOJI_GRID.field("filler").orElseThrow().maxLength()).isEqualTo(20);
    assertThat(Endpoints.AI_NAIL_ART.field("nail_desc").orElseThrow().maxLength()).isEqualTo(1000);
  }

  @Test
  void forPathFindsPostEndpointsOnly() {
    assertThat(Endpoints.forPath("/api/portrait/effects/hairstyle-editor-pro"))
        .containsSame(Endpoints.HAIRSTYLE_EDITOR_PRO);
    assertThat(Endpoints.forPath(Endpoints.QUERY_CREDITS_PATH)).isEmpty();
    assertThat(Endpoints.forPath("/api/nope")).isEmpty();
  }

  @Test
  void unknownFieldIsEmpty() {
    assertThat(Endpoints.HAIRSTYLE_EDITOR_PRO.field("nope")).isEmpty();
  }

  @Test
  void catalogCannotBeModified() {
    assertThatThrownBy(() -> Endpoints.all().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> Endpoints.AI_FACE_SWAP.fields().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> Endpoints.HAIRSTYLE_EDITOR_PREMIUM.anyOfGroups().get(0).clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void endpointsAreEqualByPath() {
    Endpoint copy = Endpoint.sync(Endpoints.AI_FACE_SWAP.path(), "Other").build();

    assertThat(copy).isEqualTo(Endpoints.AI_FACE_SWAP).hasSameHashCodeAs(Endpoints.AI_FACE_SWAP);
    assertThat(copy).isNotEqualTo(Endpoints.AI_BALD);
  }

  // -----------------------------------------------------------------------------------------------
  // Expectations derived from the document

  private static List<Field> expectedFields(JsonNode post) {
    JsonNode schema = schema(post);
    Set<String> required = new LinkedHashSet<>();
    schema.path("required").forEach(name -> required.add(name.asText()));
    List<Field> result = new ArrayList<>();
    for (Map.Entry<String, JsonNode> property : schema.get("properties").properties()) {
      result.add(expectedField(property.getKey(), property.getValue(), required.contains(property.getKey())));
    }
    return result;
  }

  private static Field expectedField(String name, JsonNode property, boolean required) {
    if ("binary".equals(property.path("format").asText())) {
      String description = property.path("description").asText("");
      Endpoint.Size[] bounds = resolution(description);
      return new Field(name, FILE, null, required, List.of(), null, null,
          sizeLimit(description), formats(description), bounds[0], bounds[1]);
    }
    List<String> allowed = new ArrayList<>();
    property.path("enum").forEach(value -> allowed.add(value.asText()));
    if (allowed.isEmpty() && !property.get("type").asText().equals("boolean")) {
      allowed.addAll(proseValues(property.path("description").asText("")));
    }
    String defaultValue = property.has("default") ? property.get("default").asText() : null;
    Integer maxLength = property.has("maxLength") ? property.get("maxLength").asInt() : null;
    ValueType type = ValueType.valueOf(property.get("type").asText().toUpperCase(Locale.ROOT));
    return new Field(name, TEXT, type, required, allowed, defaultValue, maxLength, null, Set.of(), null, null);
  }

  /**
   * The values of a description that lists them only in prose, as {@code <li>`value`: meaning</li>} items
   * (items saying what happens when the field is not set may stand among them), unless it speaks of
   * several values separated by commas.
   */
  private static List<String> proseValues(String description) {
    List<String> values = new ArrayList<>();
    Matcher item = Pattern.compile("<li>(.*?)(</li>|$)").matcher(description);
    while (item.find()) {
      Matcher value = Pattern.compile("^\\s*`([^`]+)`\\s*:").matcher(item.group(1));
      if (value.find()) {
        values.add(value.group(1));
      } else if (!item.group(1).trim().startsWith("If no")) {
        return List.of();
      }
    }
    return description.toLowerCase(Locale.ROOT).contains("comma") ? List.of() : values;
  }

  @Test
  void enumerationsStatedOnlyInProseAreRead() {
    assertThat(Endpoints.UNIVERSAL_BACKGROUND_REMOVAL.field("return_form").orElseThrow().allowedValues())
        .containsExactly("mask", "whiteBK", "crop");
    assertThat(Endpoints.APPAREL_BACKGROUND_REMOVAL.field("cloth_class").orElseThrow().allowedValues())
        .as("several values separated by commas: no enumeration").isEmpty();
    assertThat(Endpoints.TRY_ON_CLOTHES_PRO.field("restore_face").orElseThrow().allowedValues())
        .as("a boolean").isEmpty();
  }

  /**
   * The bounds of "- Image resolution: Larger than 200x200px, smaller than 4090x4090px." (or "Less than
   * 4096x4096px."), smallest first; {null, null} if the description states none.
   */
  private static Endpoint.Size[] resolution(String description) {
    for (String line : description.split("\n")) {
      if (!line.contains("Image resolution:")) continue;
      List<Endpoint.Size> sizes = new ArrayList<>();
      Matcher size = Pattern.compile("(\\d+)x(\\d+)px").matcher(line);
      while (size.find()) sizes.add(new Endpoint.Size(Integer.parseInt(size.group(1)), Integer.parseInt(size.group(2))));
      assertThat(sizes).as("resolution in '%s'", line).isNotEmpty().hasSizeLessThanOrEqualTo(2);
      boolean hasMinimum = line.contains("Larger than");
      return hasMinimum ? new Endpoint.Size[] {sizes.get(0), sizes.size() > 1 ? sizes.get(1) : null}
          : new Endpoint.Size[] {null, sizes.get(0)};
    }
    return new Endpoint.Size[2];
  }

  private static List<Set<String>> expectedAnyOfGroups(JsonNode post) {
    JsonNode anyOf = schema(post).path("anyOf");
    if (anyOf.isMissingNode()) return List.of();
    Set<String> group = new LinkedHashSet<>();
    anyOf.forEach(alternative -> alternative.get("required").forEach(n -> group.add(n.asText())));
    return List.of(group);
  }

  /** "- Image size: No more than 5 MB." is 5 MiB; a size line we cannot read fails the test. */
  private static Long sizeLimit(String description) {
    for (String line : description.split("\n")) {
      if (!line.contains("Image size:")) continue;
      Matcher limit = Pattern.compile("(\\d+)\\s*([KM])B").matcher(line);
      assertThat(limit.find()).as("size limit in '%s'", line).isTrue();
      long amount = Long.parseLong(limit.group(1));
      return limit.group(2).equals("M") ? amount * MB : amount * 1024;
    }
    return null;
  }

  /** "- Image format: `JPEG` `JPG` `PNG`" is JPEG and PNG. */
  private static Set<ImageFormat> formats(String description) {
    Set<ImageFormat> result = EnumSet.noneOf(ImageFormat.class);
    for (String line : description.split("\n")) {
      if (!line.contains("Image format:")) continue;
      String[] parts = line.split("`");
      for (int i = 1; i < parts.length; i += 2) {
        String name = parts[i].trim().toUpperCase(Locale.ROOT);
        result.add(ImageFormat.valueOf(name.equals("JPG") ? "JPEG" : name));
      }
    }
    return result;
  }

  /** Whether any key or text value in the response (schema, example or examples) names task_id. */
  private static boolean mentionsTaskId(JsonNode node) {
    if (node.isTextual()) return node.asText().contains("task_id");
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (entry.getKey().contains("task_id") || mentionsTaskId(entry.getValue())) return true;
    }
    for (JsonNode element : node.isArray() ? node : List.<JsonNode>of()) {
      if (mentionsTaskId(element)) return true;
    }
    return false;
  }

  private static String upperSnakeOfLastSegment(String path) {
    return path.substring(path.lastIndexOf('/') + 1).replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static JsonNode schema(JsonNode post) {
    return post.get("requestBody").get("content").get("multipart/form-data").get("schema");
  }

  private static List<String> names(JsonNode node) {
    List<String> result = new ArrayList<>();
    node.properties().forEach(entry -> result.add(entry.getKey()));
    return result;
  }
}
