package io.tracetrack.hub.webhooks;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.db.LeasedWork;
import io.tracetrack.hub.events.EventEnvelope;
import io.tracetrack.hub.log.ChangeLog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Sends webhooks. One hub instance at a time (a lease in PostgreSQL, as the Kafka relay holds
 * its own): it queues each webhook's matching change-log entries as deliveries, in log order, and
 * sends what is due, one POST per delivery. Each webhook is sent to on a thread of its own, one
 * delivery after another, so an endpoint that is slow, down or failing holds up only itself.
 *
 * <p>A failed attempt (no answer within the timeout, {@code --webhook-timeout-ms}; a status other than 2xx, a redirect,
 * which is never followed, or a host that now resolves where webhooks may not go) is tried again
 * after the next wait of the schedule; when the schedule is used up the delivery is FAILED, kept
 * for an admin to look at and send again. Every attempt is signed afresh (a new timestamp); the
 * {@code webhook-id} stays the event's id, by which a receiver drops a repeat.
 */
public final class WebhookDispatcher implements AutoCloseable {

  /**
   * The waits between attempts: 7 attempts over about 18 hours, as common webhook senders space
   * them, so an endpoint down for a night still gets its events.
   */
  public static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
      Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10));
  /** How long the lease holds without renewal: the longest a dead sender's successor waits. */
  static final Duration LEASE = Duration.ofSeconds(10);
  private static final Duration IDLE_WAIT = Duration.ofMillis(250);
  /** Change-log entries a webhook's queueing reads at a time. */
  static final int BATCH = 500;
  /** Deliveries one round hands out. */
  private static final int DUE = 200;
  private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class.getName());

  private final HubDatabase db;
  private final ChangeLog log;
  private final Destinations destinations;
  private final String source;
  private final String instance;
  private final Clock clock;
  private final List<Duration> schedule;
  private final Duration timeout;
  private final HttpClient http;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  /** Webhooks a sender thread is working for now: the next rounds leave them to it. */
  private final Set<String> busy = ConcurrentHashMap.newKeySet();
  private final LeasedWork work;
  /** False once closing: a sender stops between deliveries. */
  private volatile boolean running = true;

  /**
   * @param source the CloudEvents {@code source} of the events sent
   * @param instance this hub instance's name in the lease
   * @param schedule the waits between attempts; a delivery gets {@code schedule.size() + 1} attempts
   * @param timeout how long one attempt waits for an answer
   */
  public WebhookDispatcher(HubDatabase db, ChangeLog log, Destinations destinations, String source, String instance,
      Clock clock, List<Duration> schedule, Duration timeout) {
    this.db = Objects.requireNonNull(db, "db");
    this.log = Objects.requireNonNull(log, "log");
    this.destinations = Objects.requireNonNull(destinations, "destinations");
    this.source = Objects.requireNonNull(source, "source");
    this.instance = Objects.requireNonNull(instance, "instance");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.schedule = List.copyOf(schedule);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5))
        .executor(senders).build();
    this.work = new LeasedWork("webhooks", new LeasedWork.Lease() {
      @Override
      public boolean claim(OffsetDateTime now, OffsetDateTime until) {
        return WebhookStore.claim(db.dsl(), instance, now, until);
      }

      @Override
      public void release() {
        WebhookStore.release(db.dsl(), instance);
      }
    }, LEASE, clock, this::round, failures -> Duration.ofSeconds(2),
        // the database away: tried again a little later; what was queued stays queued
        e -> LOG.log(Level.WARNING, "webhooks: " + e.getMessage() + "; trying again in 2 s"));
  }

  public void start() {
    work.start();
  }

  /**
   * A commit on this instance: queue and send now rather than at the next idle check. With no webhook
   * at the last round there is nothing to queue: the commit waits for the idle check (a second), which
   * also finds a webhook made since, on any instance; its queue starts at its own position, so nothing
   * is missed. Without this every commit of a busy hub made a round of two queries for no webhook
   * (5 % of a hub's CPU under a fleet's pushes, {@code bench fleet}).
   */
  public void nudge() {
    if (anyHooks) {
      work.nudge();
    }
  }

  /** Whether the last round found a webhook. */
  private volatile boolean anyHooks = true;

  /** Rounds run so far (tests). */
  private final java.util.concurrent.atomic.AtomicLong rounds = new java.util.concurrent.atomic.AtomicLong();

  long rounds() {
    return rounds.get();
  }

  /** The oldest change-log position a webhook still has to queue from: the log keeps what is after it. */
  public long keepAfter() {
    return WebhookStore.lowestPosition(db.dsl()).orElse(Long.MAX_VALUE);
  }

  /** Deliveries waiting to be sent, and those dead-lettered, read from the database when scraped. */
  public void register(MeterRegistry registry) {
    Gauge.builder("hub_webhook_deliveries_pending", this, d -> d.count("PENDING"))
        .description("webhook deliveries queued or waiting for a retry").register(registry);
    Gauge.builder("hub_webhook_deliveries_failed", this, d -> d.count("FAILED"))
        .description("webhook deliveries that used up their retries (dead-lettered)").register(registry);
  }

  private double count(String status) {
    return WebhookStore.counts(db.dsl()).values().stream().mapToInt(m -> m.getOrDefault(status, 0)).sum();
  }

  /** Queues what each webhook wants and sends what is due; waits longer when there is no webhook at all. */
  private Duration round() {
    rounds.incrementAndGet();
    Map<String, WebhookStore.Hook> hooks = WebhookStore.all(db.dsl()).stream()
        .collect(Collectors.toMap(WebhookStore.Hook::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    anyHooks = !hooks.isEmpty();
    if (!anyHooks) {
      return LeasedWork.CLAIM_EVERY; // no webhook: no delivery to queue or send (a deleted one's are not sent)
    }
    boolean queued = queue(hooks.values());
    send(hooks);
    return queued ? Duration.ZERO : IDLE_WAIT;
  }

  /**
   * Queues, for each webhook, the entries after its position that it wants, moving its position
   * over every entry read (wanted or not) in the same transaction.
   *
   * @return whether any webhook had entries to read
   */
  private boolean queue(java.util.Collection<WebhookStore.Hook> hooks) {
    if (hooks.isEmpty()) {
      return false;
    }
    boolean any = false;
    java.util.Optional<Long> held = log.oldest();
    for (WebhookStore.Hook hook : hooks) {
      long from = hook.position();
      if (held.isPresent() && from < held.get() - 1) {
        // pruned before it was queued (the log keeps what webhooks need, so only after a restore):
        // say so, and go on from what is held
        long skipTo = held.get() - 1;
        LOG.warning("webhooks: " + hook.id() + " missed entries " + (from + 1) + ".." + skipTo
            + ": the change log no longer holds them");
        OffsetDateTime now = now();
        db.transaction(tx -> WebhookStore.enqueue(tx, hook.id(), from, skipTo, List.of(), now));
        continue;
      }
      ChangeLog.Page page = log.read(from, BATCH);
      if (page.next() <= from) {
        continue;
      }
      any |= !page.entries().isEmpty();
      List<WebhookStore.Queued> wanted = new ArrayList<>();
      for (ChangeLog.Stored entry : page.entries()) {
        String type = EventEnvelope.TYPE_PREFIX + entry.type();
        if (hook.wants(type)) {
          wanted.add(new WebhookStore.Queued(entry.seq(), type,
              new String(EventEnvelope.json(entry, source), StandardCharsets.UTF_8)));
        }
      }
      OffsetDateTime now = now();
      db.transaction(tx -> WebhookStore.enqueue(tx, hook.id(), from, page.next(), wanted, now));
    }
    return any;
  }

  /** Hands the due deliveries of each webhook no sender works for to a sender of its own. */
  private void send(Map<String, WebhookStore.Hook> hooks) {
    List<WebhookStore.Delivery> due = WebhookStore.due(db.dsl(), now(), Set.copyOf(busy), DUE);
    Map<String, List<WebhookStore.Delivery>> byHook = due.stream()
        .collect(Collectors.groupingBy(WebhookStore.Delivery::webhookId, LinkedHashMap::new, Collectors.toList()));
    byHook.forEach((id, deliveries) -> {
      WebhookStore.Hook hook = hooks.get(id);
      if (hook == null || !busy.add(id)) {
        return; // deleted meanwhile, or a sender works for it
      }
      senders.execute(() -> {
        try {
          for (WebhookStore.Delivery d : deliveries) {
            if (!running) {
              return;
            }
            attempt(hook, d);
          }
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "webhooks: sending to " + id + " stopped: " + e.getMessage());
        } finally {
          busy.remove(id);
          nudge();
        }
      });
    });
  }

  /** One attempt of one delivery, and what it came to, stored. */
  private void attempt(WebhookStore.Hook hook, WebhookStore.Delivery d) {
    int attempts = d.attempts() + 1;
    OffsetDateTime at = now();
    Integer status = null;
    String error;
    if (destinations.check(hook.url()) instanceof Destinations.Verdict.Refused refused) {
      error = "not sent: " + refused.reason();
    } else {
      long timestamp = clock.instant().getEpochSecond();
      String id = Long.toString(d.eventId());
      byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
      HttpRequest request = HttpRequest.newBuilder(URI.create(hook.url())).timeout(timeout)
          .header("Content-Type", "application/json")
          .header("User-Agent", "TraceTrack-Webhooks/1")
          .header("webhook-id", id)
          .header("webhook-timestamp", Long.toString(timestamp))
          .header("webhook-signature", Signatures.sign(hook.secret(), id, timestamp, body))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
      try {
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        status = response.statusCode();
        if (status / 100 == 2) {
          WebhookStore.delivered(db.dsl(), d.id(), attempts, status, now());
          return;
        }
        error = status / 100 == 3
            ? "answered " + status + " (a redirect to " + response.headers().firstValue("Location").orElse("nowhere")
                + "): redirects are not followed"
            : "answered " + status;
      } catch (HttpTimeoutException e) {
        error = "no answer within " + timeout.toMillis() + " ms";
      } catch (IOException e) {
        error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // closing: the delivery stays as it was, due
      }
    }
    OffsetDateTime next = attempts <= schedule.size() ? at.plus(schedule.get(attempts - 1)) : null;
    WebhookStore.failed(db.dsl(), d.id(), attempts, status, error, at, next);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** Stops sending and gives the lease up; a delivery under way when it stops is sent again later. */
  @Override
  public void close() {
    running = false;
    work.close(senders::shutdownNow);
  }
}
