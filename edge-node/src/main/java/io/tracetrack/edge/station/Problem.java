package io.tracetrack.edge.station;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 9457 problem details, with the stable {@code code} clients switch on. */
public final class Problem {

  private Problem() {}

  public static void send(ServerResponse res, int status, String code, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", Status.create(status).reasonPhrase());
    body.put("status", status);
    body.put("code", code);
    body.put("detail", detail);
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
    res.send(Json.bytes(body));
  }
}
