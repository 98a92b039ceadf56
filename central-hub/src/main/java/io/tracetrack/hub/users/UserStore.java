package io.tracetrack.hub.users;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.AREA;
import static io.tracetrack.hub.db.jooq.Tables.NOTIFICATION;
import static io.tracetrack.hub.db.jooq.Tables.PROMOTION_REQUEST;
import static io.tracetrack.hub.db.jooq.Tables.SIGN_IN_FAILURE;
import static io.tracetrack.hub.db.jooq.Tables.USER_DOCK_ACCESS;

import io.tracetrack.hub.db.jooq.tables.records.AppUserRecord;
import io.tracetrack.hub.db.jooq.tables.records.AreaRecord;
import io.tracetrack.model.Role;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.SQLStateClass;
import org.jooq.impl.DSL;

/**
 * The rows of users, areas, dock grants and sign-in failures, read and written inside the
 * DSLContext the caller hands over (a transaction, or the pool's context for a read or a single
 * statement). {@link UserAdmin}, {@link Users}, {@link TwoFactor} and {@link UserChanges} decide;
 * this class only runs their statements and maps rows to {@link Row}, {@link UserView} and
 * {@link AreaView}. The lock order is the callers' (see {@link UserAdmin}): active admin rows, the
 * target user, then the area.
 */
@Store
final class UserStore {

  private final DSLContext dsl;

  UserStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * A user's row as the services decide on it: everything but the lockout counters, which only
   * this store writes. {@code role} stays the stored text (a tombstone keeps its role too).
   */
  record Row(long id, String username, String role, String areaId, String passwordHash, boolean disabled,
      OffsetDateTime createdAt, OffsetDateTime updatedAt, String totpSecret, boolean totpEnabled, Long totpLastStep,
      boolean anonymised, int tokenEpoch, String email) {

    static Row of(AppUserRecord r) {
      return new Row(r.getId(), r.getUsername(), r.getRole(), r.getAreaId(), r.getPasswordHash(), r.getDisabled(),
          r.getCreatedAt(), r.getUpdatedAt(), r.getTotpSecret(), r.getTotpEnabled(), r.getTotpLastStep(),
          r.getAnonymised(), r.getTokenEpoch(), r.getEmail());
    }

    /** This row after an admin's edit, as {@link UserStore#edit} writes it. */
    Row edited(String areaId, boolean disabled, String email, OffsetDateTime updatedAt) {
      return new Row(id, username, role, areaId, passwordHash, disabled, createdAt, updatedAt, totpSecret, totpEnabled,
          totpLastStep, anonymised, tokenEpoch, email);
    }
  }

  // ---------------------------------------------------------------- areas

  boolean areaExists(String id) {
    return dsl.fetchExists(AREA, AREA.ID.eq(id));
  }

  void insertArea(String id, String name, int maxDispatchers, OffsetDateTime at) {
    dsl.insertInto(AREA).set(AREA.ID, id).set(AREA.NAME, name).set(AREA.MAX_DISPATCHERS, maxDispatchers)
        .set(AREA.CREATED_AT, at).execute();
  }

  /** Every area's id, in id order. */
  List<String> areaIds() {
    return dsl.select(AREA.ID).from(AREA).orderBy(AREA.ID).fetch(AREA.ID);
  }

  /** The area with its taken seats. */
  Optional<AreaView> area(String id) {
    AreaRecord a = dsl.selectFrom(AREA).where(AREA.ID.eq(id)).fetchOne();
    if (a == null) {
      return Optional.empty();
    }
    return Optional.of(new AreaView(a.getId(), a.getName(), a.getMaxDispatchers(), dispatchersIn(id, null), a.getCreatedAt()));
  }

  /** The area's {@code max_dispatchers}, its row locked until the transaction ends; empty if there is no such area. */
  Optional<Integer> lockArea(String id) {
    AreaRecord a = dsl.selectFrom(AREA).where(AREA.ID.eq(id)).forUpdate().fetchOne();
    return a == null ? Optional.empty() : Optional.of(a.getMaxDispatchers());
  }

  /** Dispatchers holding a seat in the area: disabled ones too (they come back), tombstones not. */
  int dispatchersIn(String area, Long except) {
    Condition c = APP_USER.AREA_ID.eq(area).and(APP_USER.ROLE.eq(Role.DISPATCHER.name())).and(APP_USER.ANONYMISED.isFalse());
    if (except != null) {
      c = c.and(APP_USER.ID.ne(except));
    }
    return dsl.fetchCount(APP_USER, c);
  }

  // ---------------------------------------------------------------- users: reading

  /** One page of live users in user-name order, {@code limit} rows at most; without dock grants. */
  List<UserView> page(UserAdmin.Filter filter, int limit) {
    Condition c = APP_USER.ANONYMISED.isFalse();
    if (filter.role().isPresent()) {
      c = c.and(APP_USER.ROLE.eq(filter.role().get().name()));
    }
    if (filter.area().isPresent()) {
      c = c.and(APP_USER.AREA_ID.eq(filter.area().get()));
    }
    if (filter.disabled().isPresent()) {
      c = c.and(APP_USER.DISABLED.eq(filter.disabled().get()));
    }
    if (filter.after().isPresent()) {
      c = c.and(APP_USER.USERNAME.gt(filter.after().get()));
    }
    return dsl.selectFrom(APP_USER).where(c).orderBy(APP_USER.USERNAME).limit(limit)
        .fetch(r -> UserView.of(Row.of(r)));
  }

  /** A page of users with their dock grants: one statement for the page. */
  List<UserView> withDockAccess(List<UserView> users) {
    if (users.isEmpty()) {
      return users;
    }
    Map<String, List<String>> granted = new HashMap<>();
    dsl.select(APP_USER.USERNAME, USER_DOCK_ACCESS.AREA_ID).from(USER_DOCK_ACCESS).join(APP_USER)
        .on(APP_USER.ID.eq(USER_DOCK_ACCESS.USER_ID))
        .where(APP_USER.USERNAME.in(users.stream().map(UserView::username).toList()))
        .orderBy(USER_DOCK_ACCESS.AREA_ID)
        .fetch().forEach(r -> granted.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value2()));
    return users.stream().map(u -> u.withDockAccess(granted.getOrDefault(u.username(), List.of()))).toList();
  }

  /** The areas granted the user at docks, in area order: what the API shows ({@code dockAccess}). */
  List<String> dockAccess(long userId) {
    return dsl.select(USER_DOCK_ACCESS.AREA_ID).from(USER_DOCK_ACCESS)
        .where(USER_DOCK_ACCESS.USER_ID.eq(userId)).orderBy(USER_DOCK_ACCESS.AREA_ID).fetch(r -> r.value1());
  }

  /** The areas granted the user at docks, in no order: what {@link UserChanges#reach} collects into a sorted set. */
  List<String> grantedAreas(long userId) {
    return dsl.select(USER_DOCK_ACCESS.AREA_ID).from(USER_DOCK_ACCESS)
        .where(USER_DOCK_ACCESS.USER_ID.eq(userId)).fetch(r -> r.value1());
  }

  /** Every live account's stored name, in name order. */
  List<String> liveUsernames() {
    return dsl.select(APP_USER.USERNAME).from(APP_USER).where(APP_USER.ANONYMISED.isFalse())
        .orderBy(APP_USER.USERNAME).fetch(APP_USER.USERNAME);
  }

  /** Whether any row has the name, a tombstone's included. */
  boolean exists(String username) {
    return dsl.fetchExists(APP_USER, APP_USER.USERNAME.eq(username));
  }

  /** The row under exactly this name, a tombstone's included (sign-in refuses those by their password). */
  Optional<Row> named(String username) {
    return Optional.ofNullable(dsl.selectFrom(APP_USER).where(APP_USER.USERNAME.eq(username)).fetchOne()).map(Row::of);
  }

  /** The live account under exactly this name. */
  Optional<Row> live(String username) {
    return live(username, false);
  }

  /** The live account under exactly this name, its row locked until the transaction ends. */
  Optional<Row> lock(String username) {
    return live(username, true);
  }

  private Optional<Row> live(String username, boolean lock) {
    var query = dsl.selectFrom(APP_USER).where(APP_USER.USERNAME.eq(username)).and(APP_USER.ANONYMISED.isFalse());
    return Optional.ofNullable(lock ? query.forUpdate().fetchOne() : query.fetchOne()).map(Row::of);
  }

  /** Whether a real admin exists: a deleted admin's tombstone keeps its role but is no admin. */
  boolean adminExists() {
    return dsl.fetchExists(APP_USER, APP_USER.ROLE.eq(Role.ADMIN.name()).and(APP_USER.ANONYMISED.isFalse()));
  }

  /**
   * Locks every active admin row, in id order. Whoever demotes, disables or deletes an admin holds
   * these locks while counting, so two admins removing each other at once cannot both see "another
   * admin is left".
   */
  void lockActiveAdmins() {
    dsl.select(APP_USER.ID).from(APP_USER).where(activeAdmin()).orderBy(APP_USER.ID).forUpdate().fetch();
  }

  /** Active admins other than {@code userId}. */
  int otherActiveAdmins(long userId) {
    return dsl.fetchCount(APP_USER, activeAdmin().and(APP_USER.ID.ne(userId)));
  }

  private static Condition activeAdmin() {
    return APP_USER.ROLE.eq(Role.ADMIN.name()).and(APP_USER.DISABLED.isFalse()).and(APP_USER.ANONYMISED.isFalse());
  }

  // ---------------------------------------------------------------- users: writing

  void insert(String username, Role role, String area, String passwordHash, String email, OffsetDateTime at) {
    dsl.insertInto(APP_USER).set(APP_USER.USERNAME, username).set(APP_USER.ROLE, role.name())
        .set(APP_USER.AREA_ID, area).set(APP_USER.PASSWORD_HASH, passwordHash).set(APP_USER.EMAIL, email)
        .set(APP_USER.CREATED_AT, at).set(APP_USER.UPDATED_AT, at).execute();
  }

  /** The first admin, {@code admin}, unless the name is taken meanwhile: 1 if inserted, else 0. */
  int insertFirstAdmin(String passwordHash, OffsetDateTime at) {
    return dsl.insertInto(APP_USER)
        .set(APP_USER.USERNAME, "admin")
        .set(APP_USER.ROLE, Role.ADMIN.name())
        .set(APP_USER.PASSWORD_HASH, passwordHash)
        .set(APP_USER.CREATED_AT, at)
        .set(APP_USER.UPDATED_AT, at)
        .onConflictDoNothing()
        .execute();
  }

  /** The row under exactly this name, which must exist (one just inserted). */
  Row single(String username) {
    return Row.of(dsl.selectFrom(APP_USER).where(APP_USER.USERNAME.eq(username)).fetchSingle());
  }

  /**
   * Writes an admin's edit: each of area, disabled and e-mail where {@code after} differs from
   * {@code before}, and {@code after}'s {@code updated_at} (columns in the table's order); the
   * caller writes only when one of the three differs.
   */
  Row edit(Row before, Row after) {
    Map<Field<?>, Object> changed = new LinkedHashMap<>();
    if (!Objects.equals(before.areaId(), after.areaId())) {
      changed.put(APP_USER.AREA_ID, after.areaId());
    }
    if (before.disabled() != after.disabled()) {
      changed.put(APP_USER.DISABLED, after.disabled());
    }
    changed.put(APP_USER.UPDATED_AT, after.updatedAt());
    if (!Objects.equals(before.email(), after.email())) {
      changed.put(APP_USER.EMAIL, after.email());
    }
    dsl.update(APP_USER).set(changed).where(APP_USER.ID.eq(before.id())).execute();
    return after;
  }

  /** A new role and area. */
  Row changeRole(Row user, Role role, String area, OffsetDateTime at) {
    dsl.update(APP_USER).set(APP_USER.ROLE, role.name()).set(APP_USER.AREA_ID, area).set(APP_USER.UPDATED_AT, at)
        .where(APP_USER.ID.eq(user.id())).execute();
    return new Row(user.id(), user.username(), role.name(), area, user.passwordHash(), user.disabled(), user.createdAt(),
        at, user.totpSecret(), user.totpEnabled(), user.totpLastStep(), user.anonymised(), user.tokenEpoch(), user.email());
  }

  /** A new password hash, chosen by its owner. */
  Row setPassword(Row user, String passwordHash, OffsetDateTime at) {
    dsl.update(APP_USER).set(APP_USER.PASSWORD_HASH, passwordHash).set(APP_USER.UPDATED_AT, at)
        .where(APP_USER.ID.eq(user.id())).execute();
    return withPassword(user, passwordHash, at);
  }

  /** A new password hash set by an admin, the account's failure counter and lock cleared with it. */
  Row resetPassword(Row user, String passwordHash, OffsetDateTime at) {
    dsl.update(APP_USER).set(APP_USER.PASSWORD_HASH, passwordHash).set(APP_USER.FAILED_ATTEMPTS, 0)
        .set(APP_USER.LOCKED_UNTIL, (OffsetDateTime) null).set(APP_USER.UPDATED_AT, at)
        .where(APP_USER.ID.eq(user.id())).execute();
    return withPassword(user, passwordHash, at);
  }

  private static Row withPassword(Row u, String passwordHash, OffsetDateTime at) {
    return new Row(u.id(), u.username(), u.role(), u.areaId(), passwordHash, u.disabled(), u.createdAt(), at,
        u.totpSecret(), u.totpEnabled(), u.totpLastStep(), u.anonymised(), u.tokenEpoch(), u.email());
  }

  /** The account's failure counter and lock cleared, nothing else (not even {@code updated_at}). */
  void unlock(Row user) {
    dsl.update(APP_USER).set(APP_USER.FAILED_ATTEMPTS, 0).set(APP_USER.LOCKED_UNTIL, (OffsetDateTime) null)
        .where(APP_USER.ID.eq(user.id())).execute();
  }

  /** A pending TOTP enrolment: the new secret, no step used yet. */
  Row startTotp(Row user, String secret, OffsetDateTime at) {
    dsl.update(APP_USER).set(APP_USER.UPDATED_AT, at).set(APP_USER.TOTP_SECRET, secret)
        .set(APP_USER.TOTP_LAST_STEP, (Long) null).where(APP_USER.ID.eq(user.id())).execute();
    return withTotp(user, secret, user.totpEnabled(), null, at);
  }

  /** The enrolment confirmed with the code of {@code step}. */
  Row enableTotp(Row user, long step, OffsetDateTime at) {
    dsl.update(APP_USER).set(APP_USER.UPDATED_AT, at).set(APP_USER.TOTP_ENABLED, true)
        .set(APP_USER.TOTP_LAST_STEP, step).where(APP_USER.ID.eq(user.id())).execute();
    return withTotp(user, user.totpSecret(), true, step, at);
  }

  /** Two-factor sign-in off: no secret, no step. */
  Row disableTotp(Row user, OffsetDateTime at) {
    dsl.update(APP_USER).set(APP_USER.UPDATED_AT, at).set(APP_USER.TOTP_SECRET, (String) null)
        .set(APP_USER.TOTP_ENABLED, false).set(APP_USER.TOTP_LAST_STEP, (Long) null)
        .where(APP_USER.ID.eq(user.id())).execute();
    return withTotp(user, null, false, null, at);
  }

  private static Row withTotp(Row u, String secret, boolean enabled, Long lastStep, OffsetDateTime at) {
    return new Row(u.id(), u.username(), u.role(), u.areaId(), u.passwordHash(), u.disabled(), u.createdAt(), at, secret,
        enabled, lastStep, u.anonymised(), u.tokenEpoch(), u.email());
  }

  /**
   * Records the TOTP step a sign-in used. Only a newer step may be recorded: two sign-ins racing
   * with one code cannot both pass. 1 if recorded, 0 if the step was used already.
   */
  int claimTotpStep(long userId, long step) {
    return dsl.update(APP_USER).set(APP_USER.TOTP_LAST_STEP, step)
        .where(APP_USER.ID.eq(userId))
        .and(APP_USER.TOTP_LAST_STEP.isNull().or(APP_USER.TOTP_LAST_STEP.lt(step)))
        .execute();
  }

  /**
   * Turns the user's row into an anonymised tombstone under {@code pseudonym}: no area, no usable
   * password, no TOTP secret, no lock, no e-mail address.
   */
  Row anonymise(Row user, String pseudonym, OffsetDateTime at) {
    dsl.update(APP_USER).set(APP_USER.USERNAME, pseudonym).set(APP_USER.AREA_ID, (String) null)
        .set(APP_USER.PASSWORD_HASH, "!deleted").set(APP_USER.DISABLED, true).set(APP_USER.FAILED_ATTEMPTS, 0)
        .set(APP_USER.LOCKED_UNTIL, (OffsetDateTime) null).set(APP_USER.UPDATED_AT, at)
        .set(APP_USER.TOTP_SECRET, (String) null).set(APP_USER.TOTP_ENABLED, false)
        .set(APP_USER.TOTP_LAST_STEP, (Long) null).set(APP_USER.ANONYMISED, true).set(APP_USER.EMAIL, (String) null)
        .where(APP_USER.ID.eq(user.id())).execute();
    return new Row(user.id(), pseudonym, user.role(), null, "!deleted", true, user.createdAt(), at, null, false, null,
        true, user.tokenEpoch(), null);
  }

  /** What a deleted person leaves besides their row: their dock grants, notifications and promotion requests. */
  void deleteBelongings(Row user) {
    dsl.deleteFrom(USER_DOCK_ACCESS).where(USER_DOCK_ACCESS.USER_ID.eq(user.id())).execute();
    dsl.deleteFrom(NOTIFICATION).where(NOTIFICATION.USERNAME.eq(user.username())).execute();
    dsl.deleteFrom(PROMOTION_REQUEST).where(PROMOTION_REQUEST.USERNAME.eq(user.username())).execute();
  }

  /** Grants {@code area} at docks; 1 if granted now, 0 if it was already. */
  int grantDockAccess(long userId, String area, String grantedBy, OffsetDateTime at) {
    return dsl.insertInto(USER_DOCK_ACCESS).set(USER_DOCK_ACCESS.USER_ID, userId).set(USER_DOCK_ACCESS.AREA_ID, area)
        .set(USER_DOCK_ACCESS.GRANTED_BY, grantedBy).set(USER_DOCK_ACCESS.GRANTED_AT, at)
        .onConflictDoNothing().execute();
  }

  /** Takes the grant of {@code area} back; 1 if there was one, else 0. */
  int revokeDockAccess(long userId, String area) {
    return dsl.deleteFrom(USER_DOCK_ACCESS).where(USER_DOCK_ACCESS.USER_ID.eq(userId))
        .and(USER_DOCK_ACCESS.AREA_ID.eq(area)).execute();
  }

  // ---------------------------------------------------------------- sign-in failures

  /** The failures of (user name, address) now; 0 if none. */
  int failures(String username, String address) {
    return dsl.select(SIGN_IN_FAILURE.FAILURES).from(SIGN_IN_FAILURE).where(pair(username, address))
        .fetchOptional(SIGN_IN_FAILURE.FAILURES).orElse(0);
  }

  /** Whether (user name, address) is locked at {@code now}. */
  boolean locked(String username, String address, OffsetDateTime now) {
    return dsl.fetchExists(SIGN_IN_FAILURE, pair(username, address).and(SIGN_IN_FAILURE.LOCKED_UNTIL.gt(now)));
  }

  /** Forgets the pair's failures: it signed in. */
  void clearFailures(String username, String address) {
    dsl.deleteFrom(SIGN_IN_FAILURE).where(pair(username, address)).execute();
  }

  /** Clears the locks of the user's name from every address; how many there were. */
  int clearFailures(String username) {
    return dsl.deleteFrom(SIGN_IN_FAILURE).where(SIGN_IN_FAILURE.USERNAME.eq(username)).execute();
  }

  /**
   * Counts one failure of (user name, address), first forgetting every failure untouched since
   * {@code forgetBefore}. The count is raised in one UPDATE ({@code failures = failures + 1}, the
   * lock until {@code lockUntil} set in the same statement once it reaches {@code maxFailures}),
   * never computed from a row read before: parallel failures each add one, on H2 and PostgreSQL
   * alike (the row lock orders them).
   */
  void countFailure(String username, String address, OffsetDateTime now, OffsetDateTime forgetBefore, int maxFailures,
      OffsetDateTime lockUntil) {
    dsl.deleteFrom(SIGN_IN_FAILURE).where(SIGN_IN_FAILURE.UPDATED_AT.lt(forgetBefore)).execute();
    try {
      dsl.insertInto(SIGN_IN_FAILURE)
          .set(SIGN_IN_FAILURE.USERNAME, username).set(SIGN_IN_FAILURE.ADDRESS, address)
          .set(SIGN_IN_FAILURE.FAILURES, 0).set(SIGN_IN_FAILURE.UPDATED_AT, now)
          .onConflictDoNothing().execute();
    } catch (DataAccessException e) {
      // H2 runs "on conflict do nothing" as a MERGE, which two failures at once can both try
      if (e.sqlStateClass() != SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION) {
        throw e;
      }
    }
    Field<Integer> after = SIGN_IN_FAILURE.FAILURES.plus(1);
    dsl.update(SIGN_IN_FAILURE)
        .set(SIGN_IN_FAILURE.FAILURES, after)
        .set(SIGN_IN_FAILURE.LOCKED_UNTIL,
            DSL.when(after.ge(maxFailures), DSL.val(lockUntil)).else_(SIGN_IN_FAILURE.LOCKED_UNTIL))
        .set(SIGN_IN_FAILURE.UPDATED_AT, now)
        .where(pair(username, address))
        .execute();
  }

  private static Condition pair(String username, String address) {
    return SIGN_IN_FAILURE.USERNAME.eq(username).and(SIGN_IN_FAILURE.ADDRESS.eq(address));
  }
}
