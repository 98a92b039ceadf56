package io.tracetrack.hub.users;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;

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

/**
 * Sign-in: first admin, password check with lockout after repeated failures, and the second factor
 * for users who enrolled one. A wrong TOTP code counts as a failure (the password was right, so the
 * code is what is being guessed); a missing one does not (clients ask for it only when told to).
 */
public final class Users {

  /** Failures in a row before the account locks. */
  public static final int MAX_FAILURES = 5;
  /** How long it stays locked. */
  public static final Duration LOCKOUT = Duration.ofMinutes(15);

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
    db.dsl().insertInto(APP_USER)
        .set(APP_USER.USERNAME, "admin")
        .set(APP_USER.ROLE, Role.ADMIN.name())
        .set(APP_USER.PASSWORD_HASH, hash)
        .set(APP_USER.CREATED_AT, now)
        .set(APP_USER.UPDATED_AT, now)
        .onConflictDoNothing()
        .execute();
    return generated ? Optional.of(chosen) : Optional.empty();
  }

  /** The outcome of a sign-in. */
  public sealed interface SignIn {
    /**
     * @param passwordStamp a short fingerprint of the stored password hash, carried in the token so
     *     that a later password change ends it
     */
    record Ok(Principal principal, String passwordStamp) implements SignIn {}

    record Refused(String code, String message) implements SignIn {}
  }

  public SignIn signIn(String username, String password) {
    return signIn(username, password, null);
  }

  /** @param code the TOTP code, or {@code null} when the client sent none */
  public SignIn signIn(String username, String password, String code) {
    // names are stored in the shared rule's lower-case form; "Alice" signs in as "alice"
    String name = UserNames.normalize(username).orElse(username);
    AppUserRecord user = db.dsl().selectFrom(APP_USER).where(APP_USER.USERNAME.eq(name)).fetchOne();
    if (user == null) {
      Passwords.burn(password);
      return badCredentials();
    }
    OffsetDateTime now = now();
    if (user.getLockedUntil() != null && user.getLockedUntil().isAfter(now)) {
      return new SignIn.Refused("ACCOUNT_LOCKED", "too many failed sign-ins; try again later");
    }
    if (!Passwords.verify(password, user.getPasswordHash())) {
      fail(user, now);
      return badCredentials();
    }
    if (user.getDisabled()) {
      return new SignIn.Refused("ACCOUNT_DISABLED", "this account is disabled");
    }
    if (user.getTotpEnabled()) {
      if (code == null || code.isEmpty()) {
        return new SignIn.Refused("TOTP_REQUIRED", "this account needs the code from its authenticator app (field totp)");
      }
      OptionalLong step = totp.accept(user.getTotpSecret(), code, user.getTotpLastStep());
      if (step.isEmpty()) {
        fail(user, now);
        return new SignIn.Refused("BAD_TOTP", "the authenticator code is wrong, expired or already used");
      }
      // only a newer step may be recorded: two sign-ins racing with one code cannot both pass
      int claimed = db.dsl().update(APP_USER).set(APP_USER.TOTP_LAST_STEP, step.getAsLong())
          .where(APP_USER.ID.eq(user.getId()))
          .and(APP_USER.TOTP_LAST_STEP.isNull().or(APP_USER.TOTP_LAST_STEP.lt(step.getAsLong())))
          .execute();
      if (claimed == 0) {
        return new SignIn.Refused("BAD_TOTP", "the authenticator code is wrong, expired or already used");
      }
    }
    if (user.getFailedAttempts() != 0 || user.getLockedUntil() != null) {
      db.dsl().update(APP_USER).set(APP_USER.FAILED_ATTEMPTS, 0).setNull(APP_USER.LOCKED_UNTIL)
          .where(APP_USER.ID.eq(user.getId())).execute();
    }
    return new SignIn.Ok(new Principal(user.getUsername(), Role.valueOf(user.getRole()), user.getAreaId()),
        io.tracetrack.hub.auth.AccountCheck.stamp(user.getPasswordHash()));
  }

  private void fail(AppUserRecord user, OffsetDateTime now) {
    int failures = user.getFailedAttempts() + 1;
    db.dsl().update(APP_USER)
        .set(APP_USER.FAILED_ATTEMPTS, failures >= MAX_FAILURES ? 0 : failures)
        .set(APP_USER.LOCKED_UNTIL, failures >= MAX_FAILURES ? now.plus(LOCKOUT) : user.getLockedUntil())
        .where(APP_USER.ID.eq(user.getId()))
        .execute();
  }

  private static SignIn badCredentials() {
    return new SignIn.Refused("BAD_CREDENTIALS", "wrong user name or password");
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
