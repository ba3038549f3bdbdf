package io.github.ailabkit.tools;

import static io.github.ailabkit.tools.JavaText.javadoc;

import io.github.ailabkit.tools.EndpointCatalogGenerator.EndpointSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes one service class per top-level tag of the document ({@code AI PORTRAIT} to
 * {@code PortraitService}), with one method per endpoint taking its params class, plus {@code ...Async}.
 */
final class ServiceGenerator {
  /** Service class and client accessor of each top-level tag. */
  private static final Map<String, String[]> SERVICES = Map.of(
      "AI PORTRAIT", new String[] {"PortraitService", "portrait"},
      "AI IMAGE", new String[] {"ImageService", "image"},
      "AI BACKGROUND REMOVAL", new String[] {"BackgroundRemovalService", "backgroundRemoval"});

  /**
   * What a method of a synchronous endpoint returns, and how: the ONE place that decides it. {@code type}
   * is the return type, {@code call} and {@code callAsync} the expressions, with {@code %s} for the params.
   */
  record SyncAnswer(String type, String call, String callAsync, List<String> imports) {}

  private ServiceGenerator() {}

  static SyncAnswer syncAnswer(String constant) {
    String type = ResponseTypesGenerator.typeName(constant);
    return new SyncAnswer(type, type + ".from(client.call(%1$s.endpoint(), %1$s.toForm()))",
        "client.callAsync(%1$s.endpoint(), %1$s.toForm()).thenApply(" + type + "::from)",
        List.of(ParamsGenerator.PACKAGE + "." + type));
  }

  static Map<String, String> generate(List<EndpointSpec> posts, Map<String, String> constants) {
    Map<String, String> files = new LinkedHashMap<>();
    for (Map.Entry<String, String[]> service : new java.util.TreeMap<>(SERVICES).entrySet()) {
      List<EndpointSpec> endpoints = posts.stream().filter(e -> e.tag().equals(service.getKey())).toList();
      files.put("io/github/ailabkit/" + service.getValue()[0] + ".java",
          service(service.getKey(), service.getValue(), endpoints, constants));
    }
    for (EndpointSpec endpoint : posts) {
      if (!SERVICES.containsKey(endpoint.tag())) {
        throw new IllegalStateException(endpoint.path() + ": no service for tag " + endpoint.tag());
      }
    }
    return files;
  }

  private static String service(String tag, String[] names, List<EndpointSpec> endpoints,
      Map<String, String> constants) {
    String name = names[0];
    TreeSet<String> imports = new TreeSet<>(List.of("java.util.Objects", "java.util.concurrent.CompletableFuture"));
    for (EndpointSpec endpoint : endpoints) {
      String constant = constants.get(endpoint.path());
      imports.add(ParamsGenerator.PACKAGE + "." + ParamsGenerator.className(constant));
      if (endpoint.sync()) imports.addAll(syncAnswer(constant).imports());
    }
    StringBuilder out = new StringBuilder(EndpointCatalogGenerator.GENERATED_HEADER)
        .append("package io.github.ailabkit;\n\n");
    for (String type : imports) out.append("import ").append(type).append(";\n");
    out.append("\n");
    javadoc(out, 0, "The " + endpoints.size() + " endpoints of the API's {@code " + tag + "} group, one method"
        + " per endpoint taking its generated params; get it from {@link AILabClient#" + names[1] + "()}.\n"
        + "<p>Asynchronous endpoints answer with an {@link AsyncTask} to wait for, synchronous ones with the"
        + " result. Each method validates and sends exactly as {@link AILabClient#submit(Endpoint, Form)} or"
        + " {@link AILabClient#call(Endpoint, Form)} would, and has an {@code ...Async} twin that does not block."
        + " Thread-safe.");
    out.append("public final class ").append(name).append(" {\n")
        .append("  private final AILabClient client;\n\n")
        .append("  ").append(name).append("(AILabClient client) {\n")
        .append("    this.client = client;\n")
        .append("  }\n");
    for (EndpointSpec endpoint : endpoints) methods(out, endpoint, constants.get(endpoint.path()));
    return out.append("}\n").toString();
  }

  private static void methods(StringBuilder out, EndpointSpec endpoint, String constant) {
    String method = JavaText.lowerCamel(constant);
    String params = ParamsGenerator.className(constant);
    String summary = JavaText.escapeHtml(endpoint.summary());
    if (endpoint.async()) {
      method(out, summary + ": submits the task; see {@link AILabClient#submit(Endpoint, Form)}.", "AsyncTask",
          method, params, "client.submit(%1$s.endpoint(), %1$s.toForm())");
      method(out, summary + ": submits the task without blocking; input errors are thrown at once.",
          "CompletableFuture<AsyncTask>", method + "Async", params,
          "client.submitAsync(%1$s.endpoint(), %1$s.toForm())");
    }
    if (endpoint.sync()) {
      SyncAnswer answer = syncAnswer(constant);
      String syncName = endpoint.async() ? method + "Sync" : method;
      method(out, summary + ": answers with the result; see {@link AILabClient#call(Endpoint, Form)}.",
          answer.type(), syncName, params, answer.call());
      method(out, summary + ": answers with the result without blocking; input errors are thrown at once.",
          "CompletableFuture<" + answer.type() + ">", syncName + "Async", params, answer.callAsync());
    }
  }

  private static void method(StringBuilder out, String doc, String returnType, String name, String params,
      String call) {
    out.append("\n");
    javadoc(out, 2, doc);
    out.append("  public ").append(returnType).append(' ').append(name).append('(').append(params)
        .append(" params) {\n")
        .append("    Objects.requireNonNull(params, \"params == null\");\n")
        .append("    return ").append(String.format(call, "params")).append(";\n")
        .append("  }\n");
  }
}
