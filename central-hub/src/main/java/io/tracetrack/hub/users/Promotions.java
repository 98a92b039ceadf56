package io.tracetrack.hub.users;

import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;

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
      OffsetDateTime createdAt, String decidedBy, OffsetDateTime decidedAt, String note) {}

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
      PromotionStore store = new PromotionStore(tx);
      // the user row is the lock that keeps two simultaneous requests from both being "the pending one"
      if (!store.lockRequester(username)) {
        return Outcome.<Request>refused(ErrorCode.USER_NOT_FOUND, "your account no longer exists");
      }
      if (store.hasPending(username)) {
        return Outcome.<Request>refused(ErrorCode.REQUEST_EXISTS, "you already have a request waiting for an admin");
      }
      Request view = store.insert(username, role, area, reason.strip(), now());
      audit.record(tx, caller.actor(), AuditAction.PROMOTION_REQUESTED, Long.toString(view.id()), null, view);
      return Outcome.done(view);
    });
  }

  /** Requests, newest first, optionally of one status; {@code beforeId} pages backwards. */
  public List<Request> list(Optional<Status> status, Optional<Long> beforeId, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit is 1.." + MAX_PAGE + ", got " + limit);
    }
    return new PromotionStore(db.dsl()).list(status, beforeId, limit);
  }

  /**
   * Approves: the role change runs through every guard of {@link UserAdmin#changeRole}; {@code area}
   * (for a dispatcher) overrides the one asked for. If a guard refuses, the request stays pending.
   */
  public Outcome<Request> approve(long id, String area, Caller caller) {
    return db.transaction(tx -> {
      PromotionStore store = new PromotionStore(tx);
      Optional<Request> found = store.lockPending(id);
      if (found.isEmpty()) {
        return missingOrDecided(store, id);
      }
      Request r = found.get();
      Role role = r.role();
      String chosenArea = role == Role.DISPATCHER ? (area != null ? area : r.area()) : area;
      Outcome<UserAdmin.RoleChanged> change = users.changeRole(tx, r.username(), role, chosenArea, caller);
      return switch (change) {
        case Outcome.Refused<UserAdmin.RoleChanged> refused -> Outcome.<Request>refused(refused.code(), refused.message());
        case Outcome.Done<UserAdmin.RoleChanged> done -> {
          Outcome<Request> decided = decide(tx, store, r, Status.APPROVED, null, caller,
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
      PromotionStore store = new PromotionStore(tx);
      Optional<Request> found = store.lockPending(id);
      if (found.isEmpty()) {
        return missingOrDecided(store, id);
      }
      Request r = found.get();
      return decide(tx, store, r, Status.REJECTED, note, caller, "Your request to become " + r.role()
          + " was rejected by " + caller.principal().username() + (note == null ? "." : ": " + note.strip()));
    });
  }

  /** A user's notifications, newest first. */
  public List<Notification> notifications(String username, int limit) {
    return new PromotionStore(db.dsl()).notifications(username, Math.min(Math.max(limit, 1), MAX_PAGE));
  }

  private Outcome<Request> decide(DSLContext tx, PromotionStore store, Request r, Status status, String note, Caller caller,
      String message) {
    AuditAction action = switch (status) {
      case APPROVED -> AuditAction.PROMOTION_APPROVED;
      case REJECTED -> AuditAction.PROMOTION_REJECTED;
      case PENDING -> throw new IllegalArgumentException("a decision approves or rejects");
    };
    Request before = r;
    Request after = store.decide(r, status, caller.principal().username(), now(), note == null ? null : note.strip());
    store.notify(r.username(), action.name(), // the notice names the event, as the audit entry does
        message.length() > 500 ? message.substring(0, 500) : message, now());
    audit.record(tx, caller.actor(), action, Long.toString(r.id()), before, after);
    return Outcome.done(after);
  }

  private static Outcome<Request> missingOrDecided(PromotionStore store, long id) {
    return store.exists(id)
        ? Outcome.refused(ErrorCode.NOT_PENDING, "request " + id + " was already decided")
        : Outcome.refused(ErrorCode.REQUEST_NOT_FOUND, "no request " + id);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
