package io.tracetrack.hub.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.Form;
import io.tracetrack.web.Json;
import io.tracetrack.web.JsonBody;
import io.tracetrack.web.Problems;
import java.util.Map;

/**
 * The hub's handle on the web kit: its body limits, and the request id it stamps on every answer.
 * Reading, writing and refusing are the kit's ({@link JsonBody}, {@link Form}, {@link Problems}).
 */
public final class Http {

  /** Largest request body accepted. */
  public static final int MAX_BODY = 64 * 1024;

  private static final JsonBody BODY = new JsonBody(MAX_BODY, 32);
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
          .orElseGet(Http::newRequestId);
      req.context().register("tracetrack.request-id", id);
      return id;
    });
  }

  /**
   * A fresh request id in the UUID form: random, but not secret (it is echoed to the client and
   * logged), so from {@link java.util.concurrent.ThreadLocalRandom}, not {@code UUID.randomUUID}'s
   * SecureRandom, which was 2 % of a bag lookup's CPU at 200 connections (issue #15's profile).
   */
  static String newRequestId() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    // version 4, IETF variant: the bits UUID.randomUUID sets, so the id reads as one
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(high, low).toString();
  }

  public static void json(ServerResponse res, int status, Object body) {
    Json.send(res, status, body);
  }

  public static void problem(ServerResponse res, int status, ErrorCode code, String detail) {
    Problems.send(res, status, code, detail);
  }

  /** Problem details with extra members (the other bag of a refused link, say). */
  public static void problem(ServerResponse res, int status, ErrorCode code, String detail, Map<String, Object> extra) {
    Problems.send(res, status, code, detail, extra);
  }

  /**
   * The request's JSON object body as a {@link Form}.
   *
   * @throws io.tracetrack.web.ApiProblem 415, 413 or 400, answered by the routing
   */
  public static Form form(ServerRequest req) {
    return BODY.form(req);
  }
}
