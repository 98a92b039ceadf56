package io.tracetrack.hub.users;

import io.tracetrack.hub.log.ChangeLog;
import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.NOTIFICATION;
import static io.tracetrack.hub.db.jooq.Tables.PROMOTION_REQUEST;

import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.db.jooq.tables.records.PromotionRequestRecord;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Promotion requests and the in-app notifications that answer them. A user asks for a role; an
 * admin approves (the role change goes through {@link UserAdmin}'s guarded path in the same
 * transaction, so a refused change leaves the request pending) or rejects; either way the requester
 * finds a notification.
 */
public final class Promotions {

  public static final int MAX_REASON = 500;
  public static final int MAX_PAGE = 200;

  public enum Status { PENDING, APPROVED, REJECTED }

  /** A request as admins see it. */
  public record Request(long id, String username, Role role, String area, String reason, Status status,
      OffsetDateTime createdAt, String decidedBy, OffsetDateTime decidedAt, String note) {

    static Request of(PromotionRequestRecord r) {
      return new Request(r.getId(), r.getUsername(), Role.valueOf(r.getRequestedRole()), r.getRequestedArea(),
          r.getReason(), Status.valueOf(r.getStatus()), r.getCreatedAt(), r.getDecidedBy(), r.getDecidedAt(), r.getNote());
    }
  }

  /** An in-app message to one user. */
  public record Notification(long id, String kind, String message, OffsetDateTime createdAt) {}

  private final HubDatabase db;
  private final UserAdmin users;
  private final AuditLog audit;
  private final Clock clock;

  public Promotions(HubDatabase db, UserAdmin users, AuditLog audit, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.users = Objects.requireNonNull(users, "users");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Outcome<Request> request(Caller caller, Role role, String area, String reason) {
    Objects.requireNonNull(role, "role");
    Optional<String> bad = Texts.problem(reason, MAX_REASON);
    if (bad.isPresent()) {
      return Outcome.refused(ErrorCode.INVALID_TEXT, "reason: " + bad.get());
    }
    if (area != null && !UserAdmin.AREA_ID.matcher(area).matches()) {
      return Outcome.refused(ErrorCode.INVALID_AREA, "an area id is 1-40 of A-Z, 0-9, _ and -");
    }
    if (area != null && role != Role.DISPATCHER) {
      return Outcome.refused(ErrorCode.AREA_NOT_ALLOWED, "only a dispatcher is bound to an area");
    }
    String username = caller.principal().username();
    if (caller.principal().role() == role) {
      return Outcome.refused(ErrorCode.SAME_ROLE, "you already have the role " + role);
    }
    return db.transaction(tx -> {
      // the user row is the lock that keeps two simultaneous requests from both being "the pending one"
      if (tx.select(APP_USER.ID).from(APP_USER)
          .where(APP_USER.USERNAME.eq(username))
          .and(APP_USER.ANONYMISED.isFalse()).forUpdate().fetchOne() == null) {
        return Outcome.<Request>refused(ErrorCode.USER_NOT_FOUND, "your account no longer exists");
      }
      if (tx.fetchExists(PROMOTION_REQUEST, PROMOTION_REQUEST.USERNAME.eq(username)
          .and(PROMOTION_REQUEST.STATUS.eq(Status.PENDING.name())))) {
        return Outcome.<Request>refused(ErrorCode.REQUEST_EXISTS, "you already have a request waiting for an admin");
      }
      PromotionRequestRecord r = tx.insertInto(PROMOTION_REQUEST)
          .set(PROMOTION_REQUEST.USERNAME, username).set(PROMOTION_REQUEST.REQUESTED_ROLE, role.name())
          .set(PROMOTION_REQUEST.REQUESTED_AREA, area).set(PROMOTION_REQUEST.REASON, reason.strip())
          .set(PROMOTION_REQUEST.STATUS, Status.PENDING.name()).set(PROMOTION_REQUEST.CREATED_AT, now())
          .returning().fetchSingle();
      Request view = Request.of(r);
      audit.record(tx, caller.actor(), AuditAction.PROMOTION_REQUESTED, Long.toString(r.getId()), null, view);
      return Outcome.done(view);
    });
  }

  /** Requests, newest first, optionally of one status; {@code beforeId} pages backwards. */
  public List<Request> list(Optional<Status> status, Optional<Long> beforeId, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit is 1.." + MAX_PAGE + ", got " + limit);
    }
    Condition c = DSL.noCondition();
    if (status.isPresent()) {
      c = c.and(PROMOTION_REQUEST.STATUS.eq(status.get().name()));
    }
    if (beforeId.isPresent()) {
      c = c.and(PROMOTION_REQUEST.ID.lt(beforeId.get()));
    }
    return db.dsl().selectFrom(PROMOTION_REQUEST).where(c).orderBy(PROMOTION_REQUEST.ID.desc()).limit(limit).fetch(Request::of);
  }

  /**
   * Approves: the role change runs through every guard of {@link UserAdmin#changeRole}; {@code area}
   * (for a dispatcher) overrides the one asked for. If a guard refuses, the request stays pending.
   */
  public Outcome<Request> approve(long id, String area, Caller caller) {
    return db.transaction(tx -> {
      Optional<PromotionRequestRecord> found = lockPending(tx, id);
      if (found.isEmpty()) {
        return missingOrDecided(tx, id);
      }
      PromotionRequestRecord r = found.get();
      Role role = Role.valueOf(r.getRequestedRole());
      String chosenArea = role == Role.DISPATCHER ? (area != null ? area : r.getRequestedArea()) : area;
      Outcome<UserAdmin.RoleChanged> change = users.changeRole(tx, r.getUsername(), role, chosenArea, caller);
      return switch (change) {
        case Outcome.Refused<UserAdmin.RoleChanged> refused -> Outcome.<Request>refused(refused.code(), refused.message());
        case Outcome.Done<UserAdmin.RoleChanged> done -> {
          Outcome<Request> decided = decide(tx, r, Status.APPROVED, null, caller,
              "Your request to become " + role + " was approved by " + caller.principal().username() + ".");
          // the change log last (see ChangeLog)
          done.value().log(tx, caller);
          yield decided;
        }
      };
    });
  }

  public Outcome<Request> reject(long id, String note, Caller caller) {
    if (note != null) {
      Optional<String> bad = Texts.problem(note, MAX_REASON);
      if (bad.isPresent()) {
        return Outcome.refused(ErrorCode.INVALID_TEXT, "note: " + bad.get());
      }
    }
    return db.transaction(tx -> {
      Optional<PromotionRequestRecord> found = lockPending(tx, id);
      if (found.isEmpty()) {
        return missingOrDecided(tx, id);
      }
      PromotionRequestRecord r = found.get();
      return decide(tx, r, Status.REJECTED, note, caller, "Your request to become " + r.getRequestedRole()
          + " was rejected by " + caller.principal().username() + (note == null ? "." : ": " + note.strip()));
    });
  }

  /** A user's notifications, newest first. */
  public List<Notification> notifications(String username, int limit) {
    return db.dsl().selectFrom(NOTIFICATION).where(NOTIFICATION.USERNAME.eq(username)).orderBy(NOTIFICATION.ID.desc())
        .limit(Math.min(Math.max(limit, 1), MAX_PAGE))
        .fetch(n -> new Notification(n.getId(), n.getKind(), n.getMessage(), n.getCreatedAt()));
  }

  private Outcome<Request> decide(DSLContext tx, PromotionRequestRecord r, Status status, String note, Caller caller, String message) {
    AuditAction action = switch (status) {
      case APPROVED -> AuditAction.PROMOTION_APPROVED;
      case REJECTED -> AuditAction.PROMOTION_REJECTED;
      case PENDING -> throw new IllegalArgumentException("a decision approves or rejects");
    };
    Request before = Request.of(r);
    r.setStatus(status.name()).setDecidedBy(caller.principal().username()).setDecidedAt(now())
        .setNote(note == null ? null : note.strip()).store();
    Request after = Request.of(r);
    tx.insertInto(NOTIFICATION).set(NOTIFICATION.USERNAME, r.getUsername()).set(NOTIFICATION.CREATED_AT, now())
        .set(NOTIFICATION.KIND, action.name()) // the notice names the event, as the audit entry does
        .set(NOTIFICATION.MESSAGE, message.length() > 500 ? message.substring(0, 500) : message).execute();
    audit.record(tx, caller.actor(), action, Long.toString(r.getId()), before, after);
    return Outcome.done(after);
  }

  private static Optional<PromotionRequestRecord> lockPending(DSLContext tx, long id) {
    return Optional.ofNullable(tx.selectFrom(PROMOTION_REQUEST).where(PROMOTION_REQUEST.ID.eq(id))
        .and(PROMOTION_REQUEST.STATUS.eq(Status.PENDING.name())).forUpdate().fetchOne());
  }

  private static Outcome<Request> missingOrDecided(DSLContext tx, long id) {
    return tx.fetchExists(PROMOTION_REQUEST, PROMOTION_REQUEST.ID.eq(id))
        ? Outcome.refused(ErrorCode.NOT_PENDING, "request " + id + " was already decided")
        : Outcome.refused(ErrorCode.REQUEST_NOT_FOUND, "no request " + id);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
