package io.tracetrack.hub.users;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.SIGN_IN_FAILURE;

import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.Passwords;
import io.tracetrack.hub.auth.Principal;
import io.tracetrack.hub.auth.Totp;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.db.jooq.tables.records.AppUserRecord;
import io.tracetrack.model.Role;
import io.tracetrack.model.UserNames;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.SQLStateClass;
import org.jooq.impl.DSL;

/**
 * Sign-in: first admin, password check with a lock after repeated failures from one address (see
 * {@link #signIn(String, String, String, String)} for the rule), and the second factor
 * for users who enrolled one. A wrong TOTP code counts as a failure (the password was right, so the
 * code is what is being guessed); a missing one does not (clients ask for it only when told to).
 */
public final class Users {

  /** Failures in a row before the account locks. */
  public static final int MAX_FAILURES = 5;
  /** How long it stays locked. */
  public static final Duration LOCKOUT = Duration.ofMinutes(15);
  /** Failures untouched this long are forgotten. */
  static final Duration FORGET_AFTER = Duration.ofDays(1);
  /** The address of sign-ins made outside any HTTP request. */
  static final String LOCAL = "local";

  private final HubDatabase db;
  private final Clock clock;
  private final Totp totp;

  public Users(HubDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
    this.totp = new Totp(clock);
  }

  /**
   * Creates the first admin, {@code admin}, if there is no admin yet.
   *
   * @param password from {@code HUB_ADMIN_PASSWORD}, or {@code null} to generate one
   * @return the generated password to print once, if one was generated
   */
  public Optional<String> ensureFirstAdmin(String password) {
    // a deleted admin's tombstone keeps its role but is no admin; only a real one counts
    if (db.dsl().fetchExists(APP_USER, APP_USER.ROLE.eq(Role.ADMIN.name()).and(APP_USER.ANONYMISED.isFalse()))) {
      return Optional.empty();
    }
    String chosen = password;
    boolean generated = false;
    if (chosen == null) {
      byte[] bytes = new byte[18];
      new SecureRandom().nextBytes(bytes);
      chosen = "Tt-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      generated = true;
    } else {
      Optional<String> weak = Passwords.problem(chosen);
      if (weak.isPresent()) {
        throw new IllegalArgumentException("HUB_ADMIN_PASSWORD: " + weak.get());
      }
    }
    OffsetDateTime now = now();
    String hash = Passwords.hash(chosen);
    db.transaction(tx -> {
      int inserted = tx.insertInto(APP_USER)
          .set(APP_USER.USERNAME, "admin")
          .set(APP_USER.ROLE, Role.ADMIN.name())
          .set(APP_USER.PASSWORD_HASH, hash)
          .set(APP_USER.CREATED_AT, now)
          .set(APP_USER.UPDATED_AT, now)
          .onConflictDoNothing()
          .execute();
      if (inserted == 1) {
        // no dock has the first admin (an admin grants docks explicitly): an entry for the hub's followers
        UserChanges.log(tx, tx.selectFrom(APP_USER).where(APP_USER.USERNAME.eq("admin")).fetchSingle(), java.util.Set.of(), now,
            "hub");
      }
      return inserted;
    });
    return generated ? Optional.of(chosen) : Optional.empty();
  }

  /** The outcome of a sign-in. */
  public sealed interface SignIn {
    /**
     * @param passwordStamp a short fingerprint of the stored password hash, carried in the token so
     *     that a later password change ends it
     * @param tokenEpoch the account's token epoch, carried in the token so that "sign out
     *     everywhere" ends it
     */
    record Ok(Principal principal, String passwordStamp, int tokenEpoch) implements SignIn {}

    record Refused(ErrorCode code, String message) implements SignIn {}
  }

  /** A sign-in outside any HTTP request (tests): counted against the address {@code local}. */
  public SignIn signIn(String username, String password) {
    return signIn(username, password, null, LOCAL);
  }

  /** Like {@link #signIn(String, String)}, with a TOTP code. */
  public SignIn signIn(String username, String password, String code) {
    return signIn(username, password, code, LOCAL);
  }

  /**
   * Checks a sign-in. The answers do not tell whether a user name exists: an unknown name and a
   * wrong password both get {@code BAD_CREDENTIALS}, after the same password-hashing work, and both
   * count towards the lock. The lock binds (user name, client address): after {@link #MAX_FAILURES}
   * failed sign-ins from one address, that address is refused for that name for {@link #LOCKOUT}
   * ({@code ACCOUNT_LOCKED}), and each further failure from it after that locks again at once until
   * a sign-in from it succeeds. The owner, from their own address, still signs in: a stranger can
   * lock out only themselves. Guessing one account from many addresses is slowed per user name by
   * {@link io.tracetrack.hub.auth.SignInLimiter} instead, which answers 429 and never locks.
   *
   * @param code the TOTP code, or {@code null} when the client sent none
   * @param address the client's address ({@code null} when unknown)
   */
  public SignIn signIn(String username, String password, String code, String address) {
    String from = address == null || address.isEmpty() ? "?" : address.length() > 64 ? address.substring(0, 64) : address;
    OffsetDateTime now = now();
    // names are stored in the shared rule's lower-case form; "Alice" signs in as "alice" (and shares her lock)
    Optional<String> normal = UserNames.normalize(username);
    if (normal.isEmpty()) {
      // No account may sign in under a name the rule refuses, a legacy one included ("-cmd", kept
      // from before the rule until an admin removes it). Nothing to lock: the rule is public, so the
      // answer tells nobody whether such a name is stored.
      Passwords.burn(password);
      return badCredentials();
    }
    String name = normal.get();
    // before the user is even looked up: a locked pair answers the same for every name
    if (locked(name, from, now)) {
      return new SignIn.Refused(ErrorCode.ACCOUNT_LOCKED,
          "too many failed sign-ins for this user name from your address; try again in " + LOCKOUT.toMinutes() + " min");
    }
    AppUserRecord user = db.dsl().selectFrom(APP_USER).where(APP_USER.USERNAME.eq(name)).fetchOne();
    if (user == null) {
      Passwords.burn(password); // the same work as a real check: the answer's timing tells nothing
      fail(name, from, now);
      return badCredentials();
    }
    if (!Passwords.verify(password, user.getPasswordHash())) {
      fail(name, from, now);
      return badCredentials();
    }
    if (user.getDisabled()) {
      return new SignIn.Refused(ErrorCode.ACCOUNT_DISABLED, "this account is disabled");
    }
    if (user.getTotpEnabled()) {
      if (code == null || code.isEmpty()) {
        return new SignIn.Refused(ErrorCode.TOTP_REQUIRED, "this account needs the code from its authenticator app (field totp)");
      }
      OptionalLong step = totp.accept(user.getTotpSecret(), code, user.getTotpLastStep());
      if (step.isEmpty()) {
        fail(name, from, now);
        return new SignIn.Refused(ErrorCode.BAD_TOTP, "the authenticator code is wrong, expired or already used");
      }
      // only a newer step may be recorded: two sign-ins racing with one code cannot both pass
      int claimed = db.dsl().update(APP_USER).set(APP_USER.TOTP_LAST_STEP, step.getAsLong())
          .where(APP_USER.ID.eq(user.getId()))
          .and(APP_USER.TOTP_LAST_STEP.isNull().or(APP_USER.TOTP_LAST_STEP.lt(step.getAsLong())))
          .execute();
      if (claimed == 0) {
        return new SignIn.Refused(ErrorCode.BAD_TOTP, "the authenticator code is wrong, expired or already used");
      }
    }
    // the pair as counted: under the name's stored form, whatever case was typed
    db.dsl().deleteFrom(SIGN_IN_FAILURE).where(pair(name, from)).execute();
    return new SignIn.Ok(new Principal(user.getUsername(), Role.valueOf(user.getRole()), user.getAreaId()),
        io.tracetrack.hub.auth.AccountCheck.stamp(user.getPasswordHash()), user.getTokenEpoch());
  }

  /** How many failures (user name, address) has now; 0 if none (for tests and operators). */
  public int failures(String username, String address) {
    return db.dsl().select(SIGN_IN_FAILURE.FAILURES).from(SIGN_IN_FAILURE).where(pair(username, address))
        .fetchOptional(SIGN_IN_FAILURE.FAILURES).orElse(0);
  }

  private boolean locked(String username, String address, OffsetDateTime now) {
    return db.dsl().fetchExists(SIGN_IN_FAILURE, pair(username, address).and(SIGN_IN_FAILURE.LOCKED_UNTIL.gt(now)));
  }

  /**
   * Counts one failure. The count is raised in one UPDATE ({@code failures = failures + 1}, the
   * lock decided in the same statement), never computed from a row read before the slow password
   * check: parallel wrong guesses each add one, on H2 and PostgreSQL alike (the row lock orders them).
   */
  private void fail(String username, String address, OffsetDateTime now) {
    db.dsl().deleteFrom(SIGN_IN_FAILURE).where(SIGN_IN_FAILURE.UPDATED_AT.lt(now.minus(FORGET_AFTER))).execute();
    try {
      db.dsl().insertInto(SIGN_IN_FAILURE)
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
    db.dsl().update(SIGN_IN_FAILURE)
        .set(SIGN_IN_FAILURE.FAILURES, after)
        .set(SIGN_IN_FAILURE.LOCKED_UNTIL,
            DSL.when(after.ge(MAX_FAILURES), DSL.val(now.plus(LOCKOUT))).else_(SIGN_IN_FAILURE.LOCKED_UNTIL))
        .set(SIGN_IN_FAILURE.UPDATED_AT, now)
        .where(pair(username, address))
        .execute();
  }

  private static Condition pair(String username, String address) {
    return SIGN_IN_FAILURE.USERNAME.eq(username).and(SIGN_IN_FAILURE.ADDRESS.eq(address));
  }

  private static SignIn badCredentials() {
    return new SignIn.Refused(ErrorCode.BAD_CREDENTIALS, "wrong user name or password");
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
