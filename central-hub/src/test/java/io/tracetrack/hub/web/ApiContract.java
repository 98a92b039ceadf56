package io.tracetrack.hub.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The hub's API document as a contract the tests hold every answer to (issue #16 item 6): each
 * answer {@link io.tracetrack.hub.HubTestServer} receives is matched to its documented operation
 * and checked with a JSON Schema validator (networknt, draft 2020-12, the dialect of OpenAPI 3.1):
 * a 2xx JSON body against the operation's schema for that status, a problem body against
 * {@code Problem}, any other body against the media types the operation lists. A mismatch is an
 * {@link AssertionError} in the test that received it.
 *
 * <p>Statuses any route may answer whatever it documents (401, 403, 404 for an unknown id, 405,
 * 413, 415, 429, 503) are checked as problems; a status an operation does not list otherwise is a
 * mismatch too. With {@code -Dtracetrack.api-capture=FILE} every exchange is also appended to
 * {@code FILE.<pid>} as a JSON line ({@code scripts/openapi-from-answers.py} draws the document's
 * schemas from them); {@code -Dtracetrack.api-contract=false} turns the check off for that run.
 */
public final class ApiContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Integer> ANY_ROUTE = Set.of(400, 401, 403, 404, 405, 406, 408, 413, 414, 415, 429, 431, 503);
  private static final ApiContract INSTANCE = load();

  private final JsonNode document;
  private final List<Op> operations;
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private record Op(String method, String template, Pattern regex, int literals, JsonNode node, String pointer) {}

  private ApiContract(JsonNode document) {
    this.document = document;
    List<Op> ops = new ArrayList<>();
    document.get("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
      String template = p.getKey();
      String regex = "\\Q" + template.replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
      int literals = (int) java.util.Arrays.stream(template.split("/")).filter(s -> !s.startsWith("{")).count();
      ops.add(new Op(m.getKey().toUpperCase(Locale.ROOT), template, Pattern.compile(regex), literals, m.getValue(),
          "/paths/" + escape(template) + "/" + m.getKey()));
    }));
    // the most literal template wins: GET /api/v1/eod/mail is not GET /api/v1/eod/{day}
    ops.sort(Comparator.comparingInt((Op o) -> -o.literals()));
    this.operations = List.copyOf(ops);
  }

  private static ApiContract load() {
    try (InputStream in = ApiContract.class.getResourceAsStream("/openapi.yaml")) {
      return new ApiContract(new ObjectMapper(new YAMLFactory()).readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String escape(String template) {
    return template.replace("~", "~0").replace("/", "~1");
  }

  /** The contract of the document on the class path. */
  static ApiContract instance() {
    return INSTANCE;
  }

  /** Checks one exchange (and captures it when asked); throws {@link AssertionError} on a mismatch. */
  public static void observe(String method, String pathAndQuery, String requestBody, int status, String contentType,
      String body) {
    capture(method, pathAndQuery, requestBody, status, contentType, body);
    if (!Boolean.parseBoolean(System.getProperty("tracetrack.api-contract", "true"))) {
      return;
    }
    INSTANCE.check(method, pathAndQuery, status, contentType, body)
        .ifPresent(problem -> {
          throw new AssertionError("the answer does not match /openapi: " + method + " " + pathAndQuery + " → " + status
              + ": " + problem + "\nbody: " + (body == null ? "" : body.length() > 600 ? body.substring(0, 600) + "…" : body));
        });
  }

  /** Every request example the document gives that its own request schema refuses: none, or they mislead. */
  List<String> badRequestExamples() {
    List<String> bad = new ArrayList<>();
    for (Op op : operations) {
      JsonNode media = op.node().path("requestBody").path("content").path("application/json");
      if (media.has("example") && media.has("schema")) {
        validate(media.get("example").toString(), op.pointer() + "/requestBody/content/application~1json/schema")
            .ifPresent(problem -> bad.add(op.method() + " " + op.template() + ": " + problem));
      }
    }
    return bad;
  }

  /** What is wrong with the answer, or empty when the document describes it. */
  Optional<String> check(String method, String pathAndQuery, int status, String contentType, String body) {
    String path = pathAndQuery.replaceFirst("\\?.*$", "");
    Optional<Op> found = operations.stream().filter(o -> o.method().equals(method) && o.regex().matcher(path).matches()).findFirst();
    if (found.isEmpty()) {
      return Optional.empty(); // not a documented route: OpenApiTest keeps the routes and the document equal
    }
    Op op = found.get();
    String type = contentType == null ? "" : contentType.replaceFirst(";.*$", "").strip().toLowerCase(Locale.ROOT);
    JsonNode responses = op.node().path("responses");
    String code = Integer.toString(status);
    JsonNode response = responses.get(code);
    if (response == null && !ANY_ROUTE.contains(status) && status != 500) {
      return Optional.of("status " + status + " is not among the operation's responses " + fieldNames(responses));
    }
    if (body == null || body.isEmpty() || status == 204 || status / 100 == 3) {
      return Optional.empty();
    }
    if (type.equals("application/problem+json")) {
      return validate(body, "/components/schemas/Problem");
    }
    if (response == null) {
      return Optional.of("status " + status + " answered " + type + ", not problem+json");
    }
    response = resolve(response);
    JsonNode content = response.path("content");
    if (type.equals("application/json")) {
      if (!content.has("application/json") || !content.get("application/json").has("schema")) {
        return Optional.of("answers JSON the operation's " + code + " does not describe");
      }
      return validate(body, op.pointer() + "/responses/" + code + "/content/application~1json/schema");
    }
    for (String listed : fieldNames(content)) {
      if (listed.equals(type) || listed.endsWith("/*") && type.startsWith(listed.substring(0, listed.length() - 1))) {
        return Optional.empty();
      }
    }
    return Optional.of("answers " + type + ", which the operation's " + code + " does not list " + fieldNames(content));
  }

  private JsonNode resolve(JsonNode node) {
    JsonNode ref = node.get("$ref");
    return ref == null ? node : document.at(ref.asText().substring(1));
  }

  private Optional<String> validate(String body, String pointer) {
    JsonNode instance;
    try {
      instance = JSON.readTree(body);
    } catch (IOException e) {
      return Optional.of("the body is not JSON: " + e.getMessage());
    }
    Schema schema = schemas.computeIfAbsent(pointer, p -> {
      ObjectNode root = document.deepCopy();
      root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
      root.put("$ref", "#" + p);
      return registry.getSchema(root.toString());
    });
    List<com.networknt.schema.Error> errors = schema.validate(instance);
    return errors.isEmpty() ? Optional.empty()
        : Optional.of(errors.stream().limit(5).map(Object::toString).toList() + " (schema " + pointer + ")");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static synchronized void capture(String method, String pathAndQuery, String requestBody, int status,
      String contentType, String body) {
    String file = System.getProperty("tracetrack.api-capture");
    if (file == null) {
      return;
    }
    ObjectNode line = JSON.createObjectNode().put("method", method).put("path", pathAndQuery).put("status", status)
        .put("contentType", contentType).put("request", requestBody).put("body", body);
    try {
      // one file per test JVM (FILE.<pid>): two forks never interleave a line
      Files.writeString(Path.of(file + "." + ProcessHandle.current().pid()), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
