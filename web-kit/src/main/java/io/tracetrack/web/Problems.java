package io.tracetrack.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.model.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 9457 problem details, with the stable {@code code} clients switch on. Codes are {@link
 * ErrorCode}s only: a code made up as a string in a handler would be one nobody documented.
 */
public final class Problems {

  public static final String MEDIA_TYPE = "application/problem+json";

  private Problems() {}

  /** A problem with the code's own {@link ErrorCode#status() status}. */
  public static void send(ServerResponse res, ErrorCode code, String detail) {
    send(res, code.status(), code, detail, Map.of());
  }

  public static void send(ServerResponse res, int status, ErrorCode code, String detail) {
    send(res, status, code, detail, Map.of());
  }

  /** Problem details with extra members (the other bag of a refused link, say). */
  public static void send(ServerResponse res, int status, ErrorCode code, String detail, Map<String, Object> extra) {
    byte[] body = body(status, code, detail, extra);
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
    res.send(body);
  }

  /** Answers a refused request with its status, headers and problem details. */
  public static void send(ServerResponse res, ApiProblem problem) {
    problem.headers().forEach((name, value) -> res.header(HeaderNames.create(name), value));
    send(res, problem.status(), problem.code(), problem.detail(), problem.extra());
  }

  /** The serialised problem, for answers written outside routing (see {@link WebServers}). */
  static byte[] body(int status, ErrorCode code, String detail, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", Status.create(status).reasonPhrase());
    body.put("status", status);
    body.put("code", code.name());
    body.put("detail", detail);
    body.putAll(extra);
    return Json.bytes(body);
  }
}
