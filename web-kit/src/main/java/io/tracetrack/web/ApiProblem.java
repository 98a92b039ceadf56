package io.tracetrack.web;

import io.tracetrack.model.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request refused before any work was done: thrown by the parsing helpers ({@link JsonBody#read},
 * {@link Form#check}) and by the role checks declared with a route, and answered once, as
 * problem+json with the stable {@code code}, by the error mapping {@link WebServers#errors} adds to
 * both apps' routing. Handlers therefore read their input in a row and never test for "already
 * answered". Business refusals stay values (sealed results) mapped by the handler; this is only for
 * the request's own shape and for who may send it.
 */
public final class ApiProblem extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final ErrorCode code;
  private final transient Map<String, Object> extra;
  private final transient Map<String, String> headers;

  /**
   * @param status a 4xx status, or 503 (too busy to start: nothing was done)
   * @param code the stable code clients switch on
   * @param detail what was wrong, for people; must not quote a parser's internals
   * @param extra further problem members (e.g. {@code retryAfterSeconds})
   * @param headers response headers the refusal needs (e.g. {@code WWW-Authenticate})
   */
  public ApiProblem(int status, ErrorCode code, String detail, Map<String, Object> extra, Map<String, String> headers) {
    // no stack trace: this is an answer, not a fault, and it is thrown on every bad request
    super(detail, null, false, false);
    // 503 too: a request refused before it started because the server is saturated changed nothing either
    if ((status < 400 || status > 499) && status != 503) {
      throw new IllegalArgumentException("a refused request is a 4xx or 503, got " + status);
    }
    this.status = status;
    this.code = Objects.requireNonNull(code, "code");
    Objects.requireNonNull(detail, "detail");
    this.extra = Map.copyOf(new LinkedHashMap<>(extra));
    this.headers = Map.copyOf(headers);
  }

  public ApiProblem(int status, ErrorCode code, String detail) {
    this(status, code, detail, Map.of(), Map.of());
  }

  /** 400 with {@code code}. */
  public static ApiProblem badRequest(ErrorCode code, String detail) {
    return new ApiProblem(400, code, detail);
  }

  /** 400 {@code INVALID_REQUEST}: a field or parameter that is missing or malformed. */
  public static ApiProblem invalid(String detail) {
    return badRequest(ErrorCode.INVALID_REQUEST, detail);
  }

  public int status() {
    return status;
  }

  public ErrorCode code() {
    return code;
  }

  public String detail() {
    return getMessage();
  }

  public Map<String, Object> extra() {
    return extra;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
