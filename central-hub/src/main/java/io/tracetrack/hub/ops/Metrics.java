package io.tracetrack.hub.ops;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.helidon.webserver.http.Filter;
import io.tracetrack.hub.db.HubDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The hub's meters (Micrometer, Prometheus text at {@code /metrics}): request rate and latency
 * per route pattern (never per raw path, so codes in URLs cannot blow up the series count),
 * HikariCP pool use, JVM memory, GC, threads and CPU; plus the server errors of the last hour.
 */
public final class Metrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentLinkedDeque<Instant> serverErrors = new ConcurrentLinkedDeque<>();
  private final Clock clock;

  public Metrics(HubDatabase db, Clock clock) {
    this.clock = clock;
    db.pool().setMetricRegistry(registry);
    gate(db.gate());
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  /**
   * The admission queue in front of the pool: how long requests waited for a connection (a
   * histogram, so p99 can be read across instances), how many wait now, how many were refused.
   */
  private void gate(io.tracetrack.hub.db.DbGate gate) {
    Timer wait = Timer.builder("hub_db_queue_wait")
        .description("time a request waited its turn for a database connection")
        .publishPercentileHistogram(true)
        .publishPercentiles(0.5, 0.99)
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
    gate.observeWaits(nanos -> wait.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS));
    io.micrometer.core.instrument.Gauge.builder("hub_db_queue_length", gate, io.tracetrack.hub.db.DbGate::queueLength)
        .description("requests waiting for a database connection now").register(registry);
    io.micrometer.core.instrument.Gauge.builder("hub_db_connections_admitted", gate, io.tracetrack.hub.db.DbGate::inUse)
        .description("database connections handed out through the admission queue now").register(registry);
    io.micrometer.core.instrument.Gauge.builder("hub_db_queue_deadline_seconds", gate, g -> g.deadline().toNanos() / 1e9)
        .description("how long a request may wait before a 503 DATABASE_BUSY").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("hub_db_queue_timeouts", gate, io.tracetrack.hub.db.DbGate::timeouts)
        .description("requests refused with 503 DATABASE_BUSY at the queue deadline").register(registry);
  }

  private final java.util.Map<String, com.github.benmanes.caffeine.cache.Cache<?, ?>> caches = new java.util.concurrent.ConcurrentHashMap<>();

  /** Publishes a cache's size and hit/miss counts, and lists it in the system-health view. */
  public void watch(String name, com.github.benmanes.caffeine.cache.Cache<?, ?> cache) {
    io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(registry, cache, name);
    caches.put(name, cache);
  }

  /** Name → hit rate, size, for the system-health view. */
  public java.util.List<java.util.Map<String, Object>> cacheStats() {
    return caches.entrySet().stream().map(e -> {
      var stats = e.getValue().stats();
      return java.util.Map.<String, Object>of("name", e.getKey(), "hitRate", stats.hitRate(), "hits", stats.hitCount(),
          "misses", stats.missCount(), "size", e.getValue().estimatedSize());
    }).toList();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Times every request by method, route pattern and status; counts 5xx answers for the health view. */
  public Filter requestFilter() {
    return (chain, req, res) -> {
      long start = System.nanoTime();
      try {
        chain.proceed();
      } finally {
        String route = req.matchingPattern().map(Metrics::route).orElse("unmatched");
        int status = res.status().code();
        Timer.builder("http_server_requests")
            .tag("method", req.prologue().method().text())
            .tag("route", route)
            .tag("status", Integer.toString(status))
            .publishPercentileHistogram(false)
            .register(registry)
            .record(Duration.ofNanos(System.nanoTime() - start));
        if (status >= 500) {
          serverErrors.add(clock.instant());
        }
      }
    };
  }

  /**
   * A route pattern as people write it: Helidon joins a mount's path and its rule's as they are,
   * which gives {@code //metrics} for {@code /metrics} mounted at {@code /} and {@code /api/v1/me/}
   * for {@code /} mounted at {@code /api/v1/me}.
   */
  static String route(String pattern) {
    String joined = pattern.replaceAll("/{2,}", "/");
    return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
  }

  /** Server errors (5xx) answered in the last hour. */
  public int errorsLastHour() {
    Instant cutoff = clock.instant().minus(Duration.ofHours(1));
    while (!serverErrors.isEmpty() && serverErrors.peekFirst().isBefore(cutoff)) {
      serverErrors.pollFirst();
    }
    return serverErrors.size();
  }
}
