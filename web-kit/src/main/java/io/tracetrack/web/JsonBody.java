package io.tracetrack.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.model.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a small JSON object body strictly: exactly the {@code application/json} media type (which
 * also keeps other web pages from posting here without a CORS preflight), a size cap, nesting and
 * string limits, no key twice, nothing after the value. A handler that gets an empty Optional back
 * has already been answered with problem+json.
 * Immutable and thread-safe: each app keeps one per kind of body.
 */
public final class JsonBody {

  private final int maxBytes;
  private final ObjectMapper mapper;

  /**
   * @param maxBytes the largest body accepted
   * @param maxDepth the deepest nesting accepted
   */
  public JsonBody(int maxBytes, int maxDepth) {
    if (maxBytes < 1 || maxDepth < 1) {
      throw new IllegalArgumentException("maxBytes and maxDepth must be positive, got " + maxBytes + "/" + maxDepth);
    }
    this.maxBytes = maxBytes;
    this.mapper = Json.strict(maxBytes, maxDepth);
  }

  public int maxBytes() {
    return maxBytes;
  }

  /** The request's JSON object, or empty after a 4xx answer. */
  public Optional<JsonNode> object(ServerRequest req, ServerResponse res) {
    if (!isJson(req.headers().value(HeaderNames.CONTENT_TYPE).orElse(""))) {
      Problems.send(res, 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
      return Optional.empty();
    }
    if (req.headers().contentLength().orElse(0) > maxBytes) {
      return tooLarge(res);
    }
    byte[] bytes;
    try (InputStream in = req.content().inputStream()) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (IOException | RuntimeException e) {
      // reading the request stream: an I/O failure there is the client's (gone, or broken framing)
      if (e instanceof RuntimeException r && !WebServers.clientGone(r)) {
        throw r;
      }
      Problems.send(res, 400, ErrorCode.UNREADABLE_BODY, "the body could not be read");
      return Optional.empty();
    }
    if (bytes.length > maxBytes) {
      return tooLarge(res);
    }
    if (bytes.length == 0) {
      Problems.send(res, 400, ErrorCode.MALFORMED_JSON, "the body is empty");
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = parse(bytes);
    } catch (StreamConstraintsException e) {
      Problems.send(res, 400, ErrorCode.JSON_LIMIT_EXCEEDED, "the JSON exceeds a limit: " + e.getOriginalMessage());
      return Optional.empty();
    } catch (JsonProcessingException e) {
      Problems.send(res, 400, ErrorCode.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage());
      return Optional.empty();
    } catch (IOException e) {
      Problems.send(res, 400, ErrorCode.MALFORMED_JSON, "the body is not valid JSON");
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      Problems.send(res, 400, ErrorCode.INVALID_REQUEST, "the body must be a JSON object");
      return Optional.empty();
    }
    return Optional.of(node);
  }

  /**
   * Parses one JSON value that must fill {@code bytes} entirely.
   *
   * @throws JsonProcessingException on anything malformed, duplicated, trailing or past a limit
   */
  public JsonNode parse(byte[] bytes) throws IOException {
    try (JsonParser parser = mapper.createParser(bytes)) {
      JsonNode node = mapper.readTree(parser);
      // FAIL_ON_TRAILING_TOKENS covers readValue; a tree read from a parser is checked here
      if (parser.nextToken() != null) {
        throw new com.fasterxml.jackson.core.JsonParseException(parser, "trailing data after the JSON value");
      }
      return node;
    }
  }

  /**
   * Whether a Content-Type names JSON: {@code application/json} exactly (any case), optionally
   * with parameters; a charset, if given, must be UTF-8. {@code application/jsonx} is not JSON.
   */
  public static boolean isJson(String contentType) {
    String[] parts = contentType.split(";", -1);
    if (!parts[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].strip().toLowerCase(Locale.ROOT);
      if (param.startsWith("charset=")) {
        String charset = param.substring("charset=".length()).replace("\"", "");
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          return false;
        }
      }
    }
    return true;
  }

  /** A required string field of at most {@code max} characters, or empty after a 400. */
  public static Optional<String> text(JsonNode body, String field, int max, ServerResponse res) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      Problems.send(res, 400, ErrorCode.INVALID_REQUEST, "missing field: " + field);
      return Optional.empty();
    }
    if (value.getNodeType() != JsonNodeType.STRING) {
      Problems.send(res, 400, ErrorCode.INVALID_REQUEST, field + " must be a string");
      return Optional.empty();
    }
    if (value.textValue().length() > max) {
      Problems.send(res, 400, ErrorCode.INVALID_REQUEST, field + " is longer than " + max + " characters");
      return Optional.empty();
    }
    return Optional.of(value.textValue());
  }

  private Optional<JsonNode> tooLarge(ServerResponse res) {
    Problems.send(res, 413, ErrorCode.BODY_TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
    return Optional.empty();
  }
}
