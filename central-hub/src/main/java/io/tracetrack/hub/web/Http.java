package io.tracetrack.hub.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reading requests and writing answers, defensively: JSON bodies only, capped in size, nesting,
 * string and number length; every refusal is problem+json with a stable {@code code}. A handler
 * that gets an empty Optional back has already been answered.
 */
public final class Http {

  /** Largest request body accepted. */
  public static final int MAX_BODY = 64 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(32).maxStringLength(MAX_BODY).maxNumberLength(32).build())
          .build())
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final io.helidon.http.HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-Id");

  private Http() {}

  /**
   * The request's id: the client's {@code X-Request-Id} when it is a sane token, else one made up
   * here (and kept on the request, so the same request always gets the same id).
   */
  public static String requestId(ServerRequest req) {
    return req.context().get("tracetrack.request-id", String.class).orElseGet(() -> {
      String id = req.headers().value(X_REQUEST_ID).filter(v -> REQUEST_ID.matcher(v).matches())
          .orElseGet(() -> java.util.UUID.randomUUID().toString());
      req.context().register("tracetrack.request-id", id);
      return id;
    });
  }

  public static void json(ServerResponse res, int status, Object body) {
    try {
      byte[] bytes = MAPPER.writeValueAsBytes(body);
      res.status(status);
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      res.send(bytes);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
    }
  }

  public static void problem(ServerResponse res, int status, String code, String detail) {
    problem(res, status, code, detail, Map.of());
  }

  /** Problem details with extra members (the other bag of a refused link, say). */
  public static void problem(ServerResponse res, int status, String code, String detail, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", Status.create(status).reasonPhrase());
    body.put("status", status);
    body.put("code", code);
    body.put("detail", detail);
    body.putAll(extra);
    try {
      res.status(status);
      res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
      res.send(MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a problem", e);
    }
  }

  /** The request's JSON object body, or empty after a 4xx answer. */
  public static Optional<JsonNode> body(ServerRequest req, ServerResponse res) {
    String type = req.headers().value(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/json")) {
      problem(res, 415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
      return Optional.empty();
    }
    if (req.headers().contentLength().orElse(0) > MAX_BODY) {
      problem(res, 413, "BODY_TOO_LARGE", "the body is larger than " + MAX_BODY + " bytes");
      return Optional.empty();
    }
    byte[] bytes;
    try (InputStream in = req.content().inputStream()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    } catch (IOException e) {
      problem(res, 400, "UNREADABLE_BODY", "the body could not be read");
      return Optional.empty();
    }
    if (bytes.length > MAX_BODY) {
      problem(res, 413, "BODY_TOO_LARGE", "the body is larger than " + MAX_BODY + " bytes");
      return Optional.empty();
    }
    if (bytes.length == 0) {
      problem(res, 400, "MALFORMED_JSON", "the body is empty");
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (StreamConstraintsException e) {
      problem(res, 400, "JSON_LIMIT_EXCEEDED", "the JSON exceeds a limit: " + e.getOriginalMessage());
      return Optional.empty();
    } catch (IOException e) {
      problem(res, 400, "MALFORMED_JSON", "the body is not valid JSON");
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      problem(res, 400, "INVALID_REQUEST", "the body must be a JSON object");
      return Optional.empty();
    }
    return Optional.of(node);
  }

  /** A required string field of at most {@code max} characters, or empty after a 400. */
  public static Optional<String> text(JsonNode body, String field, int max, ServerResponse res) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      problem(res, 400, "INVALID_REQUEST", "missing field: " + field);
      return Optional.empty();
    }
    if (value.getNodeType() != JsonNodeType.STRING) {
      problem(res, 400, "INVALID_REQUEST", field + " must be a string");
      return Optional.empty();
    }
    if (value.textValue().length() > max) {
      problem(res, 400, "INVALID_REQUEST", field + " is longer than " + max + " characters");
      return Optional.empty();
    }
    return Optional.of(value.textValue());
  }
}
