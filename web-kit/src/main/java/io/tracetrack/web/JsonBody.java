package io.tracetrack.web;

import io.tracetrack.model.ErrorCode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads a small JSON object body strictly: exactly the {@code application/json} media type (which
 * also keeps other web pages from posting here without a CORS preflight), a size cap, nesting and
 * string limits, no key twice, nothing after the value. {@link #read} throws an {@link ApiProblem}
 * for anything else, which the routing answers as problem+json.
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

  /**
   * The request's JSON object.
   *
   * @throws ApiProblem 415, 413 or 400 (the routing answers it: {@link WebServers#errors})
   */
  public JsonNode read(ServerRequest req) {
    return object(bytes(req));
  }

  /**
   * The request's body as sent, checked as {@link #read} checks it (JSON media type, size, not
   * empty) but not parsed: for a caller with a strict decoder of its own (the sync push).
   *
   * @throws ApiProblem 415, 413 or 400
   */
  public byte[] bytes(ServerRequest req) {
    if (!isJson(req.headers().value(HeaderNames.CONTENT_TYPE).orElse(""))) {
      throw new ApiProblem(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
    }
    if (req.headers().contentLength().orElse(0) > maxBytes) {
      throw tooLarge();
    }
    byte[] bytes;
    try (InputStream in = req.content().inputStream()) {
      bytes = StallGuard.during(WebServers.readTimeout(req), () -> in.readNBytes(maxBytes + 1));
    } catch (StallGuard.Stalled e) {
      // the socket is closed under the read: nobody is left to answer
      throw e;
    } catch (IOException | RuntimeException e) {
      // reading the request stream: an I/O failure there is the client's (gone, or broken framing)
      if (e instanceof RuntimeException r && !WebServers.clientGone(r)) {
        throw r;
      }
      throw ApiProblem.badRequest(ErrorCode.UNREADABLE_BODY, "the body could not be read");
    }
    if (bytes.length > maxBytes) {
      throw tooLarge();
    }
    if (bytes.length == 0) {
      throw ApiProblem.badRequest(ErrorCode.MALFORMED_JSON, "the body is empty");
    }
    return bytes;
  }

  private JsonNode object(byte[] bytes) {
    JsonNode node;
    try {
      node = parse(bytes);
    } catch (StreamConstraintsException e) {
      throw ApiProblem.badRequest(ErrorCode.JSON_LIMIT_EXCEEDED, "the JSON exceeds a limit: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw ApiProblem.badRequest(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiProblem.badRequest(ErrorCode.MALFORMED_JSON, "the body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw ApiProblem.invalid("the body must be a JSON object");
    }
    return node;
  }

  /** The request's JSON object as a {@link Form}; the same refusals as {@link #read}. */
  public Form form(ServerRequest req) {
    return Form.of(read(req));
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

  private ApiProblem tooLarge() {
    return new ApiProblem(413, ErrorCode.BODY_TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
  }
}
