package io.tracetrack.edge.station;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads a small JSON object body defensively: JSON content type only (which also keeps other web
 * pages from posting here without a CORS preflight), a size cap, nesting and string limits. Any
 * failure has already been answered with problem+json when this returns empty.
 */
final class RequestBody {

  /** Large enough for a 100,000-character scan (so it gets the same answer as on the terminal). */
  static final int MAX_BYTES = 256 * 1024;

  private RequestBody() {}

  static Optional<JsonNode> object(ServerRequest req, ServerResponse res) {
    String type = req.headers().value(HeaderNames.CONTENT_TYPE).orElse("");
    if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      Problem.send(res, 415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
      return Optional.empty();
    }
    if (req.headers().contentLength().orElse(0) > MAX_BYTES) {
      Problem.send(res, 413, "BODY_TOO_LARGE", "the body is larger than " + MAX_BYTES + " bytes");
      return Optional.empty();
    }
    byte[] body;
    try (InputStream in = req.content().inputStream()) {
      body = in.readNBytes(MAX_BYTES + 1);
      if (body.length > MAX_BYTES) {
        Problem.send(res, 413, "BODY_TOO_LARGE", "the body is larger than " + MAX_BYTES + " bytes");
        return Optional.empty();
      }
    } catch (IOException e) {
      Problem.send(res, 400, "UNREADABLE_BODY", "the body could not be read");
      return Optional.empty();
    }
    if (body.length == 0) {
      Problem.send(res, 400, "MALFORMED_JSON", "the body is empty");
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = Json.parse(body);
    } catch (StreamConstraintsException e) {
      Problem.send(res, 400, "JSON_LIMIT_EXCEEDED", "the JSON exceeds a limit: " + e.getOriginalMessage());
      return Optional.empty();
    } catch (JsonProcessingException e) {
      Problem.send(res, 400, "MALFORMED_JSON", "the body is not valid JSON: " + e.getOriginalMessage());
      return Optional.empty();
    } catch (IOException e) {
      Problem.send(res, 400, "MALFORMED_JSON", "the body is not valid JSON");
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      Problem.send(res, 400, "INVALID_REQUEST", "the body must be a JSON object");
      return Optional.empty();
    }
    return Optional.of(node);
  }

  /** A required string field, or empty after answering 400. */
  static Optional<String> text(JsonNode body, String field, ServerResponse res) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      Problem.send(res, 400, "INVALID_REQUEST", "missing field: " + field);
      return Optional.empty();
    }
    if (value.getNodeType() != JsonNodeType.STRING) {
      Problem.send(res, 400, "INVALID_REQUEST", field + " must be a string");
      return Optional.empty();
    }
    return Optional.of(value.textValue());
  }
}
