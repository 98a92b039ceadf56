package io.tracetrack.hub.web;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.db.HubDatabase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /health}: liveness (the process answers) and readiness (the database answers). */
public final class HealthRoutes implements HttpService {

  private final HubDatabase db;

  public HealthRoutes(HubDatabase db) {
    this.db = db;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::health).get("/live", (req, res) -> Http.json(res, 200, Map.of("status", "UP")))
        .get("/ready", this::health);
  }

  private void health(ServerRequest req, ServerResponse res) {
    boolean up = db.answers();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", up ? "UP" : "DOWN");
    out.put("checks", List.of(Map.of("name", "database", "status", up ? "UP" : "DOWN", "dialect", db.dialect().name())));
    Http.json(res, up ? 200 : 503, out);
  }
}
