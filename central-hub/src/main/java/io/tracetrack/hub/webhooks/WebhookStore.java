package io.tracetrack.hub.webhooks;

import static io.tracetrack.hub.db.jooq.Tables.LEASE;
import static io.tracetrack.hub.db.jooq.Tables.WEBHOOK;
import static io.tracetrack.hub.db.jooq.Tables.WEBHOOK_DELIVERY;

import io.tracetrack.hub.db.jooq.tables.records.WebhookDeliveryRecord;
import io.tracetrack.hub.db.jooq.tables.records.WebhookRecord;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The webhook tables: the hooks, their queued and dead-lettered deliveries, and the sender's lease. */
@Store
final class WebhookStore {

  /** Name of the sender's row in {@code lease}. */
  static final String LEASE_NAME = "webhooks";

  private WebhookStore() {}

  /** A webhook as stored; {@code types} empty means every type. */
  record Hook(String id, String url, List<String> types, String secret, long position, String createdBy,
      OffsetDateTime createdAt) {

    boolean wants(String type) {
      return types.isEmpty() || types.contains(type);
    }
  }

  /** A delivery as stored. */
  record Delivery(long id, String webhookId, long eventId, String eventType, String body, String status, int attempts,
      OffsetDateTime nextAttemptAt, Integer lastStatus, String lastError, OffsetDateTime lastAttemptAt,
      OffsetDateTime createdAt, OffsetDateTime deliveredAt) {}

  /** One event queued for a webhook. */
  record Queued(long eventId, String eventType, String body) {}

  static void insert(DSLContext tx, Hook hook) {
    tx.insertInto(WEBHOOK).set(WEBHOOK.ID, hook.id()).set(WEBHOOK.URL, hook.url())
        .set(WEBHOOK.TYPES, String.join(" ", hook.types())).set(WEBHOOK.SECRET, hook.secret())
        .set(WEBHOOK.POSITION, hook.position()).set(WEBHOOK.CREATED_BY, hook.createdBy())
        .set(WEBHOOK.CREATED_AT, hook.createdAt()).execute();
  }

  static List<Hook> all(DSLContext dsl) {
    return dsl.selectFrom(WEBHOOK).orderBy(WEBHOOK.CREATED_AT, WEBHOOK.ID).fetch(WebhookStore::hook);
  }

  static Optional<Hook> find(DSLContext dsl, String id) {
    return dsl.selectFrom(WEBHOOK).where(WEBHOOK.ID.eq(id)).fetchOptional(WebhookStore::hook);
  }

  static boolean delete(DSLContext tx, String id) {
    tx.deleteFrom(WEBHOOK_DELIVERY).where(WEBHOOK_DELIVERY.WEBHOOK_ID.eq(id)).execute();
    return tx.deleteFrom(WEBHOOK).where(WEBHOOK.ID.eq(id)).execute() == 1;
  }

  /** The oldest position any webhook has still to queue from; empty with no webhooks. */
  static Optional<Long> lowestPosition(DSLContext dsl) {
    return Optional.ofNullable(dsl.select(DSL.min(WEBHOOK.POSITION)).from(WEBHOOK).fetchSingle().value1());
  }

  /**
   * Queues {@code events} for the hook and moves its position to {@code to}, only if it is still
   * at {@code from} (another instance that queued them meanwhile wins; nothing is queued twice).
   */
  static boolean enqueue(DSLContext tx, String webhookId, long from, long to, List<Queued> events, OffsetDateTime now) {
    if (tx.update(WEBHOOK).set(WEBHOOK.POSITION, to).where(WEBHOOK.ID.eq(webhookId).and(WEBHOOK.POSITION.eq(from)))
        .execute() != 1) {
      return false;
    }
    for (Queued e : events) {
      tx.insertInto(WEBHOOK_DELIVERY).set(WEBHOOK_DELIVERY.WEBHOOK_ID, webhookId)
          .set(WEBHOOK_DELIVERY.EVENT_ID, e.eventId()).set(WEBHOOK_DELIVERY.EVENT_TYPE, e.eventType())
          .set(WEBHOOK_DELIVERY.BODY, e.body()).set(WEBHOOK_DELIVERY.STATUS, "PENDING")
          .set(WEBHOOK_DELIVERY.ATTEMPTS, 0).set(WEBHOOK_DELIVERY.NEXT_ATTEMPT_AT, now)
          .set(WEBHOOK_DELIVERY.CREATED_AT, now).execute();
    }
    return true;
  }

  /** Deliveries due by {@code now}, oldest first, of webhooks other than {@code busy}. */
  static List<Delivery> due(DSLContext dsl, OffsetDateTime now, Collection<String> busy, int limit) {
    Condition c = WEBHOOK_DELIVERY.STATUS.eq("PENDING").and(WEBHOOK_DELIVERY.NEXT_ATTEMPT_AT.le(now));
    if (!busy.isEmpty()) {
      c = c.and(WEBHOOK_DELIVERY.WEBHOOK_ID.notIn(busy));
    }
    return dsl.selectFrom(WEBHOOK_DELIVERY).where(c).orderBy(WEBHOOK_DELIVERY.NEXT_ATTEMPT_AT, WEBHOOK_DELIVERY.ID)
        .limit(limit).fetch(WebhookStore::delivery);
  }

  static void delivered(DSLContext dsl, long id, int attempts, int status, OffsetDateTime at) {
    dsl.update(WEBHOOK_DELIVERY).set(WEBHOOK_DELIVERY.STATUS, "DELIVERED").set(WEBHOOK_DELIVERY.ATTEMPTS, attempts)
        .set(WEBHOOK_DELIVERY.LAST_STATUS, status).set(WEBHOOK_DELIVERY.LAST_ERROR, (String) null)
        .set(WEBHOOK_DELIVERY.LAST_ATTEMPT_AT, at).set(WEBHOOK_DELIVERY.DELIVERED_AT, at)
        .set(WEBHOOK_DELIVERY.NEXT_ATTEMPT_AT, (OffsetDateTime) null)
        .where(WEBHOOK_DELIVERY.ID.eq(id)).execute();
  }

  /** An attempt that failed: tried again at {@code next}, or dead-lettered ({@code next} null). */
  static void failed(DSLContext dsl, long id, int attempts, Integer status, String error, OffsetDateTime at,
      OffsetDateTime next) {
    dsl.update(WEBHOOK_DELIVERY).set(WEBHOOK_DELIVERY.STATUS, next == null ? "FAILED" : "PENDING")
        .set(WEBHOOK_DELIVERY.ATTEMPTS, attempts).set(WEBHOOK_DELIVERY.LAST_STATUS, status)
        .set(WEBHOOK_DELIVERY.LAST_ERROR, error.length() <= 500 ? error : error.substring(0, 500))
        .set(WEBHOOK_DELIVERY.LAST_ATTEMPT_AT, at).set(WEBHOOK_DELIVERY.NEXT_ATTEMPT_AT, next)
        .where(WEBHOOK_DELIVERY.ID.eq(id)).execute();
  }

  /** A webhook's deliveries, newest first, of one status or all, below {@code before} (a page's cursor). */
  static List<Delivery> deliveries(DSLContext dsl, String webhookId, Optional<String> status, long before, int limit) {
    Condition c = WEBHOOK_DELIVERY.WEBHOOK_ID.eq(webhookId).and(WEBHOOK_DELIVERY.ID.lt(before));
    if (status.isPresent()) {
      c = c.and(WEBHOOK_DELIVERY.STATUS.eq(status.get()));
    }
    return dsl.selectFrom(WEBHOOK_DELIVERY).where(c).orderBy(WEBHOOK_DELIVERY.ID.desc()).limit(limit)
        .fetch(WebhookStore::delivery);
  }

  static Optional<Delivery> delivery(DSLContext dsl, String webhookId, long id) {
    return dsl.selectFrom(WEBHOOK_DELIVERY).where(WEBHOOK_DELIVERY.ID.eq(id).and(WEBHOOK_DELIVERY.WEBHOOK_ID.eq(webhookId)))
        .fetchOptional(WebhookStore::delivery);
  }

  /** Queues a delivery again from its first attempt, due now; false when it was pending already. */
  static boolean requeue(DSLContext tx, long id, OffsetDateTime now) {
    return tx.update(WEBHOOK_DELIVERY).set(WEBHOOK_DELIVERY.STATUS, "PENDING").set(WEBHOOK_DELIVERY.ATTEMPTS, 0)
        .set(WEBHOOK_DELIVERY.NEXT_ATTEMPT_AT, now).set(WEBHOOK_DELIVERY.DELIVERED_AT, (OffsetDateTime) null)
        .where(WEBHOOK_DELIVERY.ID.eq(id).and(WEBHOOK_DELIVERY.STATUS.ne("PENDING"))).execute() == 1;
  }

  /** Deliveries by status for each webhook: {@code id -> status -> count}. */
  static Map<String, Map<String, Integer>> counts(DSLContext dsl) {
    Map<String, Map<String, Integer>> out = new java.util.HashMap<>();
    dsl.select(WEBHOOK_DELIVERY.WEBHOOK_ID, WEBHOOK_DELIVERY.STATUS, DSL.count()).from(WEBHOOK_DELIVERY)
        .groupBy(WEBHOOK_DELIVERY.WEBHOOK_ID, WEBHOOK_DELIVERY.STATUS)
        .forEach(r -> out.computeIfAbsent(r.value1(), k -> new java.util.TreeMap<>()).put(r.value2(), r.value3()));
    return out;
  }

  /** Takes or renews the sender's lease: free, ours, or run out before {@code now}. */
  static boolean claim(DSLContext dsl, String me, OffsetDateTime now, OffsetDateTime until) {
    return dsl.update(LEASE).set(LEASE.HOLDER, me).set(LEASE.LEASE_UNTIL, until)
        .where(LEASE.NAME.eq(LEASE_NAME).and(LEASE.HOLDER.isNull().or(LEASE.HOLDER.eq(me)).or(LEASE.LEASE_UNTIL.lt(now))))
        .execute() == 1;
  }

  static void release(DSLContext dsl, String me) {
    dsl.update(LEASE).set(LEASE.HOLDER, (String) null).set(LEASE.LEASE_UNTIL, (OffsetDateTime) null)
        .where(LEASE.NAME.eq(LEASE_NAME).and(LEASE.HOLDER.eq(me))).execute();
  }

  private static Hook hook(WebhookRecord r) {
    List<String> types = r.getTypes().isBlank() ? List.of() : Arrays.asList(r.getTypes().split(" "));
    return new Hook(r.getId(), r.getUrl(), List.copyOf(types), r.getSecret(), r.getPosition(), r.getCreatedBy(),
        r.getCreatedAt());
  }

  private static Delivery delivery(WebhookDeliveryRecord r) {
    return new Delivery(r.getId(), r.getWebhookId(), r.getEventId(), r.getEventType(), r.getBody(), r.getStatus(),
        r.getAttempts(), r.getNextAttemptAt(), r.getLastStatus(), r.getLastError(), r.getLastAttemptAt(),
        r.getCreatedAt(), r.getDeliveredAt());
  }
}
