package io.tracetrack.hub.users;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.NOTIFICATION;
import static io.tracetrack.hub.db.jooq.Tables.PROMOTION_REQUEST;

import io.tracetrack.hub.db.jooq.tables.records.PromotionRequestRecord;
import io.tracetrack.model.Role;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The rows of promotion requests and notifications, read and written inside the DSLContext the
 * caller hands over; {@link Promotions} decides and audits. Maps rows to {@link Promotions.Request}
 * and {@link Promotions.Notification}.
 */
@Store
final class PromotionStore {

  private final DSLContext dsl;

  PromotionStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  private static Promotions.Request request(PromotionRequestRecord r) {
    return new Promotions.Request(r.getId(), r.getUsername(), Role.valueOf(r.getRequestedRole()), r.getRequestedArea(),
        r.getReason(), Promotions.Status.valueOf(r.getStatus()), r.getCreatedAt(), r.getDecidedBy(), r.getDecidedAt(),
        r.getNote());
  }

  /**
   * Locks the live account's user row, the lock that keeps two simultaneous requests from both
   * being "the pending one"; false if there is no such account.
   */
  boolean lockRequester(String username) {
    return dsl.select(APP_USER.ID).from(APP_USER)
        .where(APP_USER.USERNAME.eq(username))
        .and(APP_USER.ANONYMISED.isFalse()).forUpdate().fetchOne() != null;
  }

  boolean hasPending(String username) {
    return dsl.fetchExists(PROMOTION_REQUEST, PROMOTION_REQUEST.USERNAME.eq(username)
        .and(PROMOTION_REQUEST.STATUS.eq(Promotions.Status.PENDING.name())));
  }

  /** A new pending request, as stored. */
  Promotions.Request insert(String username, Role role, String area, String reason, OffsetDateTime at) {
    return request(dsl.insertInto(PROMOTION_REQUEST)
        .set(PROMOTION_REQUEST.USERNAME, username).set(PROMOTION_REQUEST.REQUESTED_ROLE, role.name())
        .set(PROMOTION_REQUEST.REQUESTED_AREA, area).set(PROMOTION_REQUEST.REASON, reason)
        .set(PROMOTION_REQUEST.STATUS, Promotions.Status.PENDING.name()).set(PROMOTION_REQUEST.CREATED_AT, at)
        .returning().fetchSingle());
  }

  /** Requests, newest first, optionally of one status; {@code beforeId} pages backwards. */
  List<Promotions.Request> list(Optional<Promotions.Status> status, Optional<Long> beforeId, int limit) {
    Condition c = DSL.noCondition();
    if (status.isPresent()) {
      c = c.and(PROMOTION_REQUEST.STATUS.eq(status.get().name()));
    }
    if (beforeId.isPresent()) {
      c = c.and(PROMOTION_REQUEST.ID.lt(beforeId.get()));
    }
    return dsl.selectFrom(PROMOTION_REQUEST).where(c).orderBy(PROMOTION_REQUEST.ID.desc()).limit(limit)
        .fetch(PromotionStore::request);
  }

  /** The request if it is still pending, its row locked until the transaction ends. */
  Optional<Promotions.Request> lockPending(long id) {
    return Optional.ofNullable(dsl.selectFrom(PROMOTION_REQUEST).where(PROMOTION_REQUEST.ID.eq(id))
        .and(PROMOTION_REQUEST.STATUS.eq(Promotions.Status.PENDING.name())).forUpdate().fetchOne())
        .map(PromotionStore::request);
  }

  boolean exists(long id) {
    return dsl.fetchExists(PROMOTION_REQUEST, PROMOTION_REQUEST.ID.eq(id));
  }

  /** Records the decision on a request; the request as it now is. */
  Promotions.Request decide(Promotions.Request r, Promotions.Status status, String decidedBy, OffsetDateTime at,
      String note) {
    dsl.update(PROMOTION_REQUEST).set(PROMOTION_REQUEST.STATUS, status.name())
        .set(PROMOTION_REQUEST.DECIDED_BY, decidedBy).set(PROMOTION_REQUEST.DECIDED_AT, at)
        .set(PROMOTION_REQUEST.NOTE, note).where(PROMOTION_REQUEST.ID.eq(r.id())).execute();
    return new Promotions.Request(r.id(), r.username(), r.role(), r.area(), r.reason(), status, r.createdAt(), decidedBy,
        at, note);
  }

  void notify(String username, String kind, String message, OffsetDateTime at) {
    dsl.insertInto(NOTIFICATION).set(NOTIFICATION.USERNAME, username).set(NOTIFICATION.CREATED_AT, at)
        .set(NOTIFICATION.KIND, kind).set(NOTIFICATION.MESSAGE, message).execute();
  }

  /** A user's notifications, newest first, {@code limit} at most. */
  List<Promotions.Notification> notifications(String username, int limit) {
    return dsl.selectFrom(NOTIFICATION).where(NOTIFICATION.USERNAME.eq(username)).orderBy(NOTIFICATION.ID.desc())
        .limit(limit)
        .fetch(n -> new Promotions.Notification(n.getId(), n.getKind(), n.getMessage(), n.getCreatedAt()));
  }
}
