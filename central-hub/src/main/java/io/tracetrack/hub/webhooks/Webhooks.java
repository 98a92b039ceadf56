package io.tracetrack.hub.webhooks;

import io.tracetrack.hub.auth.Actor;
import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.events.EventEnvelope;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.sync.ChangeType;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Registering, listing and deleting webhooks, and their deliveries (admins). A new webhook is sent
 * what is committed after it was registered; its secret is shown once, in the answer that made it.
 */
public final class Webhooks {

  /** Most webhooks one hub keeps: each is a POST per matching event. */
  public static final int MAX_WEBHOOKS = 50;
  /** Every type a webhook may ask for, as the envelope's {@code type} names it. */
  public static final Set<String> TYPES;

  static {
    Set<String> types = new LinkedHashSet<>();
    for (ChangeType t : ChangeType.values()) {
      types.add(EventEnvelope.TYPE_PREFIX + t.wire());
    }
    TYPES = Set.copyOf(types);
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private final HubDatabase db;
  private final Destinations destinations;
  private final AuditLog audit;
  private final Clock clock;

  public Webhooks(HubDatabase db, Destinations destinations, AuditLog audit, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.destinations = Objects.requireNonNull(destinations, "destinations");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A webhook as an admin sees it: never its secret. */
  public record View(String id, String url, List<String> types, String createdBy, OffsetDateTime createdAt,
      long position, Map<String, Integer> deliveries) {}

  /** What registering a webhook came to. */
  public sealed interface Created {
    /** Registered: {@code secret} is shown this once. */
    record Made(View webhook, String secret) implements Created {}

    /** Refused, nothing written. */
    record Refused(ErrorCode code, String reason) implements Created {}
  }

  /**
   * Registers {@code url} for {@code types} (empty: every type). A type may be named in full
   * ({@code io.tracetrack.link.v1}) or by its wire name ({@code link.v1}).
   */
  public Created create(String url, List<String> types, Actor actor) {
    Destinations.Verdict verdict = destinations.check(url);
    if (verdict instanceof Destinations.Verdict.Refused r) {
      return new Created.Refused(r.code(), r.reason());
    }
    Destinations.Verdict.Allowed allowed = (Destinations.Verdict.Allowed) verdict;
    List<String> wanted = new ArrayList<>();
    for (String t : types) {
      String full = t.startsWith(EventEnvelope.TYPE_PREFIX) ? t : EventEnvelope.TYPE_PREFIX + t;
      if (!TYPES.contains(full)) {
        return new Created.Refused(ErrorCode.UNKNOWN_EVENT_TYPE, "no event type " + printable(t) + "; the types are "
            + TYPES.stream().sorted().toList());
      }
      if (!wanted.contains(full)) {
        wanted.add(full);
      }
    }
    String secret = Signatures.newSecret();
    String id = "wh_" + HexFormat.of().formatHex(randomBytes(10));
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    return db.transaction(tx -> {
      if (WebhookStore.all(tx).size() >= MAX_WEBHOOKS) {
        return new Created.Refused(ErrorCode.INVALID_REQUEST, "this hub keeps at most " + MAX_WEBHOOKS
            + " webhooks: delete one first");
      }
      // from the log's head as this transaction sees it: the events committed after registering
      WebhookStore.Hook hook = new WebhookStore.Hook(id, allowed.uri().toString(), List.copyOf(wanted), secret,
          ChangeLog.head(tx), actor.username(), now);
      WebhookStore.insert(tx, hook);
      View view = view(hook, Map.of());
      Map<String, Object> audited = new LinkedHashMap<>();
      audited.put("url", view.url());
      audited.put("types", view.types());
      audit.record(tx, actor, AuditAction.WEBHOOK_CREATED, id, null, audited);
      return new Created.Made(view, secret);
    });
  }

  public List<View> list() {
    Map<String, Map<String, Integer>> counts = WebhookStore.counts(db.dsl());
    return WebhookStore.all(db.dsl()).stream().map(h -> view(h, counts.getOrDefault(h.id(), Map.of()))).toList();
  }

  public Optional<View> get(String id) {
    return WebhookStore.find(db.dsl(), id).map(h -> view(h, WebhookStore.counts(db.dsl()).getOrDefault(id, Map.of())));
  }

  /**
   * For the Health page: how many webhooks there are, their deliveries waiting and dead-lettered,
   * and the webhooks with dead letters (most first), each with its last error.
   */
  public Map<String, Object> health() {
    Map<String, Map<String, Integer>> counts = WebhookStore.counts(db.dsl());
    List<WebhookStore.Hook> hooks = WebhookStore.all(db.dsl());
    int pending = 0;
    int failed = 0;
    List<Map<String, Object>> failing = new ArrayList<>();
    for (WebhookStore.Hook h : hooks) {
      Map<String, Integer> c = counts.getOrDefault(h.id(), Map.of());
      pending += c.getOrDefault("PENDING", 0);
      int dead = c.getOrDefault("FAILED", 0);
      failed += dead;
      if (dead > 0) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", h.id());
        f.put("url", h.url());
        f.put("failed", dead);
        f.put("lastError", WebhookStore.deliveries(db.dsl(), h.id(), Optional.of("FAILED"), Long.MAX_VALUE, 1)
            .stream().findFirst().map(WebhookStore.Delivery::lastError).orElse(null));
        failing.add(f);
      }
    }
    failing.sort((a, b) -> Integer.compare((Integer) b.get("failed"), (Integer) a.get("failed")));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("count", hooks.size());
    out.put("pending", pending);
    out.put("failed", failed);
    out.put("failing", failing);
    return out;
  }

  /** Deletes the webhook and what it had queued; false when there was none. */
  public boolean delete(String id, Actor actor) {
    return db.transaction(tx -> {
      Optional<WebhookStore.Hook> hook = WebhookStore.find(tx, id);
      if (hook.isEmpty() || !WebhookStore.delete(tx, id)) {
        return false;
      }
      audit.record(tx, actor, AuditAction.WEBHOOK_DELETED, id, Map.of("url", hook.get().url(), "types", hook.get().types()),
          null);
      return true;
    });
  }

  /** A delivery as an admin sees it: what was sent, how often, what the endpoint said last. */
  public record DeliveryView(long id, String eventId, String eventType, String status, int attempts,
      OffsetDateTime nextAttemptAt, Integer lastStatus, String lastError, OffsetDateTime lastAttemptAt,
      OffsetDateTime createdAt, OffsetDateTime deliveredAt) {

    static DeliveryView of(WebhookStore.Delivery d) {
      return new DeliveryView(d.id(), Long.toString(d.eventId()), d.eventType(), d.status(), d.attempts(),
          d.nextAttemptAt(), d.lastStatus(), d.lastError(), d.lastAttemptAt(), d.createdAt(), d.deliveredAt());
    }
  }

  /** The statuses a delivery has. */
  public static final List<String> STATUSES = List.of("PENDING", "DELIVERED", "FAILED");

  /** Deliveries of the webhook, newest first, below {@code before}; {@code status} one of {@link #STATUSES}. */
  public List<DeliveryView> deliveries(String webhookId, Optional<String> status, long before, int limit) {
    return WebhookStore.deliveries(db.dsl(), webhookId, status.map(s -> s.toUpperCase(Locale.ROOT)), before, limit)
        .stream().map(DeliveryView::of).toList();
  }

  /** One delivery with the body it sends (the event's envelope). */
  public record DeliveryDetail(DeliveryView delivery, String webhookId, com.fasterxml.jackson.databind.JsonNode body) {}

  public Optional<DeliveryDetail> delivery(String webhookId, long deliveryId) {
    return WebhookStore.delivery(db.dsl(), webhookId, deliveryId).map(d -> {
      try {
        return new DeliveryDetail(DeliveryView.of(d), webhookId, JSON.readTree(d.body()));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("a stored envelope is JSON the hub wrote", e);
      }
    });
  }

  /** What asking for a delivery again came to. */
  public enum Retry {
    /** Queued: sent at the sender's next round. */
    QUEUED,
    /** The webhook has no such delivery. */
    NO_SUCH_DELIVERY,
    /** It is queued already. */
    ALREADY_PENDING
  }

  public Retry retry(String webhookId, long deliveryId, Actor actor) {
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    return db.transaction(tx -> {
      Optional<WebhookStore.Delivery> d = WebhookStore.delivery(tx, webhookId, deliveryId);
      if (d.isEmpty()) {
        return Retry.NO_SUCH_DELIVERY;
      }
      if (!WebhookStore.requeue(tx, deliveryId, now)) {
        return Retry.ALREADY_PENDING;
      }
      audit.record(tx, actor, AuditAction.WEBHOOK_DELIVERY_RETRIED, webhookId,
          Map.of("delivery", deliveryId, "event", d.get().eventId(), "status", d.get().status()), Map.of("status", "PENDING"));
      return Retry.QUEUED;
    });
  }

  private static View view(WebhookStore.Hook h, Map<String, Integer> counts) {
    Map<String, Integer> all = new LinkedHashMap<>();
    for (String s : STATUSES) {
      all.put(s, counts.getOrDefault(s, 0));
    }
    return new View(h.id(), h.url(), h.types(), h.createdBy(), h.createdAt(), h.position(), all);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String printable(String s) {
    String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
    return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
