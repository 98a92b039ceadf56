package io.tracetrack.hub.ops;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.db.DbGate;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.Role;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /metrics} (Prometheus text; scraped from inside the cluster, so unauthenticated like
 * {@code /health}), {@code GET /openapi} (the API's description), and {@code GET /api/v1/system/health} for admins: pool, the
 * admission queue in front of it, memory, database size, cache hit rates, errors in the last hour,
 * and the hub instances on the database.
 */
public final class OpsRoutes implements HttpService {

  private final Metrics metrics;
  private final java.util.Optional<io.tracetrack.hub.events.EventRelay> relay;
  private final io.tracetrack.hub.webhooks.Webhooks webhooks;
  private final HubDatabase db;
  private final Access access;
  private final HubInstances instances;

  /**
   * @param relay the events relay, when {@code --kafka} is set: its lag shows on the health page
   * @param webhooks the webhooks, whose waiting and dead-lettered deliveries show there too
   * @param instances the hub instances on the database, listed there with this one marked
   */
  public OpsRoutes(Metrics metrics, HubDatabase db, Access access, java.util.Optional<io.tracetrack.hub.events.EventRelay> relay,
      io.tracetrack.hub.webhooks.Webhooks webhooks, HubInstances instances) {
    this.instances = instances;
    this.relay = relay;
    this.webhooks = webhooks;
    this.metrics = metrics;
    this.db = db;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/metrics", this::prometheus)
        .get("/openapi", this::openapi)
        .get("/api/v1/system/health", access.allow(Set.of(Role.ADMIN), this::health));
  }

  private void openapi(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8");
    res.send(OPENAPI);
  }

  private static final byte[] OPENAPI = load("/openapi.yaml");

  private static byte[] load(String resource) {
    try (var in = OpsRoutes.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the build");
      }
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void prometheus(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    res.send(metrics.registry().scrape().getBytes(StandardCharsets.UTF_8));
  }

  private void health(ServerRequest req, ServerResponse res, Caller caller) {
    var pool = db.pool().getHikariPoolMXBean();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("database", Map.of(
        "dialect", db.dialect().name(),
        "sizeBytes", db.sizeBytes(),
        "pool", Map.of("active", pool.getActiveConnections(), "idle", pool.getIdleConnections(),
            "waiting", pool.getThreadsAwaitingConnection(), "max", db.pool().getMaximumPoolSize()),
        "queue", queue(db.gate())));
    out.put("memory", Map.of("heapUsedBytes", heap.getUsed(), "heapMaxBytes", heap.getMax()));
    out.put("caches", metrics.cacheStats());
    out.put("errorsLastHour", metrics.errorsLastHour());
    out.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    out.put("events", relay.map(r -> {
      var lag = r.lag();
      Map<String, Object> events = new LinkedHashMap<>();
      events.put("relay", "on");
      events.put("lagEntries", lag.entries());
      events.put("lagSeconds", lag.seconds());
      events.put("holder", lag.holder());
      events.put("relayingHere", lag.relayingHere());
      events.put("lastError", lag.lastError());
      return events;
    }).orElse(Map.of("relay", "off")));
    out.put("webhooks", webhooks.health());
    out.put("instances", instances.list().stream().map(i -> {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("name", i.name());
      one.put("here", i.here());
      one.put("version", i.version());
      one.put("startedAt", i.startedAt().toInstant().toString());
      one.put("seenAt", i.seenAt().toInstant().toString());
      one.put("poolSize", i.poolSize());
      return one;
    }).toList());
    Http.json(res, 200, out);
  }

  /**
   * The admission queue as {@code /metrics} shows it ({@code hub_db_queue_*}): a request waits here
   * before the pool, so a long queue or any timeouts (503 {@code DATABASE_BUSY}) mean the database
   * is the bottleneck even while the pool itself shows nobody waiting.
   */
  private static Map<String, Object> queue(DbGate gate) {
    return Map.of("waiting", gate.queueLength(), "admitted", gate.inUse(), "size", gate.size(),
        "timeouts", gate.timeouts(), "deadlineSeconds", gate.deadline().toMillis() / 1000.0);
  }

}
