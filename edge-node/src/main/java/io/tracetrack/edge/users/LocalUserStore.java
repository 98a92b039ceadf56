package io.tracetrack.edge.users;

import static io.tracetrack.edge.db.jooq.Tables.EDGE_META;
import static io.tracetrack.edge.db.jooq.Tables.LOCAL_USER;
import static io.tracetrack.edge.db.jooq.Tables.STATION_SESSION;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.model.Role;
import io.tracetrack.web.Store;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The rows of {@link LocalUsers}: {@code local_user} and {@code station_session}, read and written
 * inside the transaction the caller hands in. Decides nothing: who may sign in, lockouts and
 * password rules are {@link LocalUsers}'.
 */
@Store
final class LocalUserStore {

  private LocalUserStore() {}

  /** A {@code local_user} row. */
  record UserRow(String name, String source, String passwordHash, boolean disabled, Long lockedUntil) {}

  /** A session joined to its user's row: what a request checks. */
  record SessionRow(String station, String userName, long createdAt, String passwordStamp, boolean userDisabled,
      String userPasswordHash) {}

  static List<LocalUsers.UserInfo> list(DSLContext dsl) {
    return dsl.selectFrom(LOCAL_USER).orderBy(LOCAL_USER.NAME).fetch(r ->
        new LocalUsers.UserInfo(r.getName(), Role.valueOf(r.getRole()), r.getSource(), r.getPasswordHash() != null,
            r.getDisabled() != 0));
  }

  static Optional<UserRow> find(DSLContext dsl, String name) {
    return Optional.ofNullable(dsl.selectFrom(LOCAL_USER).where(LOCAL_USER.NAME.eq(name)).fetchOne())
        .map(r -> new UserRow(r.getName(), r.getSource(), r.getPasswordHash(),
            r.getDisabled() != 0, r.getLockedUntil()));
  }

  static boolean exists(DSLContext dsl, String name) {
    return dsl.fetchExists(LOCAL_USER, LOCAL_USER.NAME.eq(name));
  }

  /** Whether the hub has sent this dock its users (false before there is an identity row). */
  static boolean usersFromHub(DSLContext dsl) {
    return dsl.select(EDGE_META.USERS_FROM_HUB).from(EDGE_META).where(EDGE_META.ID.eq(1)).fetchOptional()
        .map(r -> r.value1() != 0).orElse(false);
  }

  static void insert(DSLContext dsl, String name, Role role, String hash, String source, long createdAt) {
    dsl.insertInto(LOCAL_USER)
        .set(LOCAL_USER.NAME, name)
        .set(LOCAL_USER.ROLE, role.name())
        .set(LOCAL_USER.PASSWORD_HASH, hash)
        .set(LOCAL_USER.SOURCE, source)
        .set(LOCAL_USER.CREATED_AT, createdAt)
        .execute();
  }

  /** Clears the failed sign-ins and any lockout. */
  static void clearFailures(DSLContext dsl, String name) {
    dsl.update(LOCAL_USER).set(LOCAL_USER.FAILED_ATTEMPTS, 0).setNull(LOCAL_USER.LOCKED_UNTIL)
        .where(LOCAL_USER.NAME.eq(name)).execute();
  }

  static int failedAttempts(DSLContext dsl, String name) {
    return dsl.select(LOCAL_USER.FAILED_ATTEMPTS).from(LOCAL_USER).where(LOCAL_USER.NAME.eq(name)).fetchSingle().value1();
  }

  static int setFailedAttempts(DSLContext dsl, String name, int failures) {
    return dsl.update(LOCAL_USER).set(LOCAL_USER.FAILED_ATTEMPTS, failures).where(LOCAL_USER.NAME.eq(name)).execute();
  }

  /** Locks the user until {@code until} and starts the count of failures again. */
  static int lock(DSLContext dsl, String name, long until) {
    // the columns in the order the single update this replaces named them
    return dsl.update(LOCAL_USER).set(LOCAL_USER.FAILED_ATTEMPTS, 0).set(LOCAL_USER.LOCKED_UNTIL, until)
        .where(LOCAL_USER.NAME.eq(name)).execute();
  }

  static void setDisabled(DSLContext dsl, String name, boolean disabled) {
    dsl.update(LOCAL_USER).set(LOCAL_USER.DISABLED, disabled ? 1 : 0).where(LOCAL_USER.NAME.eq(name)).execute();
  }

  /** Sets the password hash and clears the failed sign-ins and any lockout. */
  static void setPassword(DSLContext dsl, String name, String hash) {
    dsl.update(LOCAL_USER).set(LOCAL_USER.PASSWORD_HASH, hash).set(LOCAL_USER.FAILED_ATTEMPTS, 0)
        .setNull(LOCAL_USER.LOCKED_UNTIL).where(LOCAL_USER.NAME.eq(name)).execute();
  }

  static void insertSession(DSLContext dsl, String tokenHash, String station, String user, long now, String stamp) {
    dsl.insertInto(STATION_SESSION)
        .set(STATION_SESSION.TOKEN_HASH, tokenHash)
        .set(STATION_SESSION.STATION, station)
        .set(STATION_SESSION.USER_NAME, user)
        .set(STATION_SESSION.CREATED_AT, now)
        .set(STATION_SESSION.LAST_SEEN_AT, now)
        .set(STATION_SESSION.PASSWORD_STAMP, stamp)
        .execute();
  }

  /** The session under {@code tokenHash} with its user's row (one primary-key join). */
  /**
   * Read on every request of a signed-in station, so kept prepared (rendering it with jOOQ each time
   * cost as much CPU as the scan it guarded).
   */
  static Optional<SessionRow> session(EdgeDatabase.Session session, String tokenHash) {
    return session.queries().statement("session.byToken", d -> d.select(STATION_SESSION.STATION,
                STATION_SESSION.USER_NAME, STATION_SESSION.CREATED_AT, STATION_SESSION.PASSWORD_STAMP, LOCAL_USER.DISABLED,
                LOCAL_USER.PASSWORD_HASH)
            .from(STATION_SESSION)
            .join(LOCAL_USER).on(LOCAL_USER.NAME.eq(STATION_SESSION.USER_NAME))
            .where(STATION_SESSION.TOKEN_HASH.eq(DSL.param("token", String.class))))
        .set("token", tokenHash)
        .fetchOne(r -> new SessionRow(r.getString(1), r.getString(2), r.getLong(3), r.getString(4), r.getInt(5) != 0,
            r.getString(6)));
  }

  static void deleteSession(DSLContext dsl, String tokenHash) {
    dsl.deleteFrom(STATION_SESSION).where(STATION_SESSION.TOKEN_HASH.eq(tokenHash)).execute();
  }

  /** Ends every session of {@code user}. */
  static void deleteSessionsOf(DSLContext dsl, String user) {
    dsl.deleteFrom(STATION_SESSION).where(STATION_SESSION.USER_NAME.eq(user)).execute();
  }
}
