package io.github.ailabkit.typed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ailabkit.AILabClient;
import io.github.ailabkit.AsyncTask;
import io.github.ailabkit.Endpoint;
import io.github.ailabkit.Endpoints;
import io.github.ailabkit.ImageFormat;
import io.github.ailabkit.PublicResponseFields;
import io.github.ailabkit.UploadSource;
import io.github.ailabkit.params.EndpointParams;
import io.github.ailabkit.params.ParamValue;
import io.github.ailabkit.simulator.AILabSimulator;
import io.github.ailabkit.testing.Images;
import io.github.ailabkit.testing.MultipartParts;
import io.github.ailabkit.testing.MultipartParts.Part;
import io.github.ailabkit.testing.RecordJson;
import io.github.ailabkit.testing.TestServers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.OkHttpClient;
import okio.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks the vendor's document and calls EVERY POST endpoint through the typed face (service method,
 * generated params, every documented field set) against the embedded simulator, then checks the multipart
 * that went over the wire: part names, text values, file names and content types, file bytes. Files go in
 * as paths, byte arrays and upload sources in turn. A synchronous answer must be the endpoint's typed
 * response, holding every value of the answer.
 */
class EveryEndpointTypedTest {
  private static final Map<String, String> SERVICES = Map.of(
      "AI PORTRAIT", "portrait", "AI IMAGE", "image", "AI BACKGROUND REMOVAL", "backgroundRemoval");

  @TempDir
  static Path dir;

  private static AILabSimulator simulator;
  private static OkHttpClient http;
  private static AILabClient client;
  private static final CapturedBodies captured = new CapturedBodies();
  private static JsonNode spec;

  @BeforeAll
  static void start() throws Exception {
    try (InputStream in = EveryEndpointTypedTest.class.getResourceAsStream("/ailabapi-openapi.json")) {
      spec = new ObjectMapper().readTree(in);
    }
    simulator = AILabSimulator.builder().processingFor(java.time.Duration.ZERO).start();
    http = new OkHttpClient.Builder().addNetworkInterceptor(captured).build();
    client = AILabClient.builder().apiKey(simulator.apiKey()).baseUrl(simulator.baseUrl()).okHttpClient(http).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    simulator.close();
    TestServers.shutDown(http);
  }

  @Test
  void everyPostEndpointIsCalledThroughItsServiceWithEveryDocumentedField() throws Exception {
    Map<String, String> constants = constantsByPath();
    int calls = 0;
    int index = 0;
    for (Map.Entry<String, JsonNode> path : spec.get("paths").properties()) {
      JsonNode post = path.getValue().get("post");
      if (post == null) {
        continue;
      }
      String constant = constants.get(path.getKey());
      assertThat(constant).as("constant for %s", path.getKey()).isNotNull();
      Endpoint endpoint = Endpoints.forPath(path.getKey()).orElseThrow();
      Object service = AILabClient.class.getMethod(SERVICES.get(topTag(post))).invoke(client);
      InputKind kind = InputKind.values()[index++ % InputKind.values().length];
      Map<String, Object> expected = new LinkedHashMap<>();
      EndpointParams params = build(endpoint, constant, kind, expected);
      assertThat(params.endpoint()).isEqualTo(endpoint);

      String method = lowerCamel(constant);
      if (endpoint.mode().answersWithTask()) {
        AsyncTask task = (AsyncTask) service.getClass().getMethod(method, params.getClass()).invoke(service, params);
        assertThat(task.taskId()).as(constant).isNotBlank();
        checkWire(endpoint, expected, "async");
        calls++;
      }
      if (endpoint.mode().answersDirectly()) {
        String syncMethod = endpoint.mode() == Endpoint.Mode.SYNC_OR_ASYNC ? method + "Sync" : method;
        Object answer = service.getClass().getMethod(syncMethod, params.getClass()).invoke(service, params);
        checkTypedAnswer(constant, answer);
        checkWire(endpoint, expected, endpoint.mode() == Endpoint.Mode.SYNC_OR_ASYNC ? "sync" : null);
        calls++;
      }
    }
    assertThat(calls).isEqualTo(Endpoints.all().size() + 2); // the two that answer either way, twice
  }

  @Test
  void asyncTwinsAnswerLikeTheirBlockingMethods() throws Exception {
    Map<String, Object> expected = new LinkedHashMap<>();
    EndpointParams params = build(Endpoints.SMART_BEAUTY, "SMART_BEAUTY", InputKind.BYTES, expected);
    Object service = client.portrait();
    Object task = ((java.util.concurrent.CompletableFuture<?>) service.getClass()
        .getMethod("smartBeautyAsync", params.getClass()).invoke(service, params)).get();
    assertThat(((AsyncTask) task).taskId()).isNotBlank();
    checkWire(Endpoints.SMART_BEAUTY, expected, "async");
    Object answer = ((java.util.concurrent.CompletableFuture<?>) service.getClass()
        .getMethod("smartBeautySyncAsync", params.getClass()).invoke(service, params)).get();
    checkTypedAnswer("SMART_BEAUTY", answer);
    checkWire(Endpoints.SMART_BEAUTY, expected, "sync");
  }

  /** A synchronous answer is the endpoint's typed response, holding every value the simulator sent. */
  private static void checkTypedAnswer(String constant, Object answer) throws Exception {
    assertThat(answer.getClass().getName()).isEqualTo("io.github.ailabkit.params." + upperCamel(constant) + "Response");
    JsonNode body = (JsonNode) answer.getClass().getMethod("body").invoke(answer);
    RecordJson.assertTypedAnswer((PublicResponseFields) answer, body, constant);
  }

  /** How the test hands a file to a params builder. */
  private enum InputKind { PATH, BYTES, SOURCE }

  /**
   * Builds the endpoint's params with every documented field set (but {@code task_type}), through the
   * generated setters; {@code expected} receives each field's wire value (a String, or the file's bytes).
   */
  private static EndpointParams build(Endpoint endpoint, String constant, InputKind kind, Map<String, Object> expected)
      throws Exception {
    Class<?> paramsClass = Class.forName("io.github.ailabkit.params." + upperCamel(constant) + "Params");
    Object builder = paramsClass.getMethod("builder").invoke(null);
    for (Endpoint.Field field : endpoint.fields()) {
      if (field.name().equals("task_type")) {
        assertThat(setters(builder, lowerCamel(field.name()))).as("no task_type setter").isEmpty();
        continue;
      }
      String setter = lowerCamel(field.name());
      if (field.kind() == Endpoint.FieldKind.FILE) {
        ImageFormat format = field.formats().isEmpty() ? ImageFormat.PNG : field.formats().iterator().next();
        Path file = image(field, format);
        byte[] bytes = Files.readAllBytes(file);
        String fileName = (kind == InputKind.PATH ? field.name() : "upload") + "." + format.extension();
        expected.put(field.name(), new ExpectedFile(fileName, format.mediaType(), ByteString.of(bytes)));
        switch (kind) {
          case PATH -> builder.getClass().getMethod(setter, Path.class).invoke(builder, file);
          case BYTES -> builder.getClass().getMethod(setter, byte[].class).invoke(builder, bytes);
          case SOURCE -> builder.getClass().getMethod(setter, UploadSource.class).invoke(builder,
              UploadSource.of(bytes.length, () -> new ByteArrayInputStream(bytes)));
        }
      } else if (!field.allowedValues().isEmpty()) {
        Class<?> type = Class.forName(paramsClass.getName() + "$" + upperCamel(field.name()));
        checkConstants(type, field.allowedValues());
        Object value = type.getMethod("of", String.class).invoke(null, field.allowedValues().get(0));
        builder.getClass().getMethod(setter, type).invoke(builder, value);
        expected.put(field.name(), field.allowedValues().get(0));
      } else {
        switch (field.valueType()) {
          case INTEGER -> builder.getClass().getMethod(setter, long.class).invoke(builder, 7L);
          case NUMBER -> builder.getClass().getMethod(setter, double.class).invoke(builder, 0.5);
          case BOOLEAN -> builder.getClass().getMethod(setter, boolean.class).invoke(builder, true);
          case STRING -> builder.getClass().getMethod(setter, String.class).invoke(builder, "v");
        }
        expected.put(field.name(), switch (field.valueType()) {
          case INTEGER -> "7";
          case NUMBER -> "0.5";
          case BOOLEAN -> "true";
          case STRING -> "v";
        });
      }
    }
    return (EndpointParams) builder.getClass().getMethod("build").invoke(builder);
  }

  private record ExpectedFile(String fileName, String contentType, ByteString bytes) {
  }

  private static void checkWire(Endpoint endpoint, Map<String, Object> expected, String taskType) throws Exception {
    CapturedBodies.Captured body = captured.takeLast();
    assertThat(body.path()).isEqualTo(endpoint.path());
    Map<String, Part> parts = MultipartParts.byName(MultipartParts.parse(body.contentType(), body.body()));
    Map<String, Object> wanted = new LinkedHashMap<>(expected);
    if (taskType != null && endpoint.field("task_type").isPresent()) {
      wanted.put("task_type", taskType);
    }
    assertThat(parts.keySet()).as(endpoint.path()).containsExactlyInAnyOrderElementsOf(wanted.keySet());
    for (Map.Entry<String, Object> field : wanted.entrySet()) {
      Part part = parts.get(field.getKey());
      String where = endpoint.path() + " " + field.getKey();
      if (field.getValue() instanceof ExpectedFile file) {
        assertThat(part.fileName()).as(where).isEqualTo(file.fileName());
        assertThat(part.contentType()).as(where).isEqualTo(file.contentType());
        assertThat(part.body()).as(where).isEqualTo(file.bytes());
      } else {
        assertThat(part.fileName()).as(where).isNull();
        assertThat(part.text()).as(where).isEqualTo(field.getValue());
      }
    }
  }

  /** Every documented value has a constant whose {@code value()} it is. */
  private static void checkConstants(Class<?> type, List<String> allowed) throws Exception {
    List<String> values = new ArrayList<>();
    for (Field constant : type.getFields()) {
      if (Modifier.isStatic(constant.getModifiers()) && constant.getType() == type) {
        values.add(((ParamValue) constant.get(null)).value());
      }
    }
    assertThat(values).as(type.getName()).containsExactlyElementsOf(allowed);
  }

  /** A small image of {@code format} within the field's documented resolution. */
  private static Path image(Endpoint.Field field, ImageFormat format) throws Exception {
    int width = clamp(512, field.minResolution() == null ? 1 : field.minResolution().width(),
        field.maxResolution() == null ? 4096 : field.maxResolution().width());
    int height = clamp(512, field.minResolution() == null ? 1 : field.minResolution().height(),
        field.maxResolution() == null ? 4096 : field.maxResolution().height());
    return Images.ofSize(Files.createTempDirectory(dir, "in"), field.name() + "." + format.extension(), format,
        width, height);
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }

  private static List<Method> setters(Object builder, String name) {
    return List.of(builder.getClass().getMethods()).stream().filter(m -> m.getName().equals(name)).toList();
  }

  private static Map<String, String> constantsByPath() throws IllegalAccessException {
    Map<String, String> result = new LinkedHashMap<>();
    for (Field field : Endpoints.class.getFields()) {
      if (field.getType() == Endpoint.class) {
        result.put(((Endpoint) field.get(null)).path(), field.getName());
      }
    }
    return result;
  }

  private static String topTag(JsonNode post) {
    return post.get("tags").get(0).asText().split(">")[0].trim();
  }

  private static String upperCamel(String snake) {
    StringBuilder result = new StringBuilder();
    for (String part : snake.toLowerCase(Locale.ROOT).split("_")) {
      result.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return result.toString();
  }

  private static String lowerCamel(String snake) {
    String upper = upperCamel(snake);
    return Character.toLowerCase(upper.charAt(0)) + upper.substring(1);
  }
}
