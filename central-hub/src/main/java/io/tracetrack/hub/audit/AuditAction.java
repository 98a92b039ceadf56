package io.tracetrack.hub.audit;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every action the audit trail records, named {@code <ENTITY>_<PAST_TENSE>}: what happened to
 * which kind of thing. The names are stored in hash-chained entries and read by integrators (and
 * will become event types), so they are frozen like {@link io.tracetrack.model.ErrorCode}'s: {@code
 * AuditActionGoldenTest} holds every released name; new actions are added, none renamed.
 *
 * <p>Entries written before the names were unified carry the older names ({@link #formerly()}):
 * they are inside the hash chain and stay as they are; the audit query finds them under the new
 * name.
 */
public enum AuditAction {

  /** A parent bag was created (by the bag API, or by typing a new parent onto a bill). */
  PARENT_CREATED(AuditEntity.BAG, "CREATE_PARENT"),
  /** A child bag was created on its own, not yet on a parent. */
  CHILD_CREATED(AuditEntity.BAG, "CREATE_CHILD"),
  /** A child was put on a parent (the entry is about the child). */
  CHILD_LINKED(AuditEntity.BAG, "LINK"),
  /** A child was taken off its parent (the entry is about the child). */
  CHILD_UNLINKED(AuditEntity.BAG, "UNLINK"),
  /** A parent was finished (complete, or short of its expected count on confirmation). */
  PARENT_FINISHED(AuditEntity.BAG, "FINISH"),

  /** A bill was created. */
  BILL_CREATED(AuditEntity.BILL, "CREATE_BILL"),
  /** A bill's capacity, destination or vehicle was changed. */
  BILL_EDITED(AuditEntity.BILL, "EDIT_BILL"),
  /** A parent was put on a bill. */
  BILL_PARENT_ADDED(AuditEntity.BILL, "ADD_PARENT"),
  /** A parent was taken off a bill. */
  BILL_PARENT_REMOVED(AuditEntity.BILL, "REMOVE_PARENT"),
  /** A bill was finalized (full, or closed short on request). */
  BILL_FINALIZED(AuditEntity.BILL, "FINALIZE_BILL"),
  /** A finalized bill was reopened. */
  BILL_REOPENED(AuditEntity.BILL, "REOPEN_BILL"),

  /** An area was created. */
  AREA_CREATED(AuditEntity.AREA),

  /** An admin created a user. */
  USER_CREATED(AuditEntity.USER),
  /** An admin changed a user's area (a PATCH that neither enabled nor disabled them). */
  USER_EDITED(AuditEntity.USER),
  /** An admin enabled a disabled user. */
  USER_ENABLED(AuditEntity.USER),
  /** An admin disabled a user: their sessions end at once. */
  USER_DISABLED(AuditEntity.USER),
  /** An admin changed a user's role. */
  USER_ROLE_CHANGED(AuditEntity.USER),
  /** An admin set a new password for a user. */
  USER_PASSWORD_RESET(AuditEntity.USER),
  /** An admin cleared a user's sign-in lock (the password unchanged). */
  USER_UNLOCKED(AuditEntity.USER),
  /** A user changed their own password. */
  USER_PASSWORD_CHANGED(AuditEntity.USER),
  /** An admin deleted a user; the entry's id is the pseudonym that replaced the name. */
  USER_DELETED(AuditEntity.USER),
  /** An admin granted a user an area's docks: they reach them and may sign in there. */
  USER_DOCK_ACCESS_GRANTED(AuditEntity.USER),
  /** An admin took a user's grant of an area's docks back. */
  USER_DOCK_ACCESS_REVOKED(AuditEntity.USER),

  /** A user asked for a higher role. */
  PROMOTION_REQUESTED(AuditEntity.PROMOTION_REQUEST),
  /** An admin approved a promotion request (the role changed with it). */
  PROMOTION_APPROVED(AuditEntity.PROMOTION_REQUEST),
  /** An admin rejected a promotion request. */
  PROMOTION_REJECTED(AuditEntity.PROMOTION_REQUEST),

  /** A user started enrolling an authenticator app (not on until confirmed). */
  TOTP_ENROLMENT_STARTED(AuditEntity.USER),
  /** A user confirmed the enrolment: two-factor sign-in is on. */
  TOTP_ENABLED(AuditEntity.USER),
  /** Two-factor sign-in was turned off for a user. */
  TOTP_DISABLED(AuditEntity.USER),

  /** An admin registered a dock (and got its first enrolment code). */
  DOCK_REGISTERED(AuditEntity.DOCK),
  /** An admin issued a fresh enrolment code for a dock; the previous one stopped working. */
  DOCK_CODE_ISSUED(AuditEntity.DOCK),
  /** An edge node exchanged the dock's code for its device credential (the entry's actor is the dock). */
  DOCK_ENROLLED(AuditEntity.DOCK),
  /** An admin revoked a dock: its device credential stopped working. */
  DOCK_REVOKED(AuditEntity.DOCK),

  /** An admin closed a sync conflict with one action (MOVE, KEEP or DISMISS); the id is the conflict's. */
  CONFLICT_RESOLVED(AuditEntity.CONFLICT),

  /** An admin had the day's end-of-day summary e-mailed now (the entry lists the recipients). */
  END_OF_DAY_MAILED(AuditEntity.END_OF_DAY),
  /** An admin committed an import file (bags or bills); one entry per file, the id is the file's SHA-256. */
  IMPORT_COMMITTED(AuditEntity.IMPORT),

  /** An admin registered a webhook (its URL and types; never its secret). */
  WEBHOOK_CREATED(AuditEntity.WEBHOOK),
  /** An admin deleted a webhook; its queued deliveries went with it. */
  WEBHOOK_DELETED(AuditEntity.WEBHOOK),
  /** An admin had a webhook's delivery sent again (a dead-lettered one, usually). */
  WEBHOOK_DELIVERY_RETRIED(AuditEntity.WEBHOOK);

  private final AuditEntity entity;
  private final List<String> formerly;

  AuditAction(AuditEntity entity, String... formerly) {
    this.entity = entity;
    this.formerly = List.of(formerly);
  }

  /** The kind of thing an entry with this action is about. */
  public AuditEntity entity() {
    return entity;
  }

  /** Names older entries carry for this action (before the names followed one style). */
  public List<String> formerly() {
    return formerly;
  }

  /** The action with this name (any case), or empty: for a query filter. */
  public static Optional<AuditAction> parse(String name) {
    String wanted = name.strip().toUpperCase(Locale.ROOT);
    for (AuditAction a : values()) {
      if (a.name().equals(wanted)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
