package io.tracetrack.hub.users;

import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.Passwords;
import io.tracetrack.hub.auth.Principal;
import io.tracetrack.hub.auth.Totp;
import io.tracetrack.hub.db.HubDatabase;
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
    if (new UserStore(db.dsl()).adminExists()) {
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
      UserStore store = new UserStore(tx);
      int inserted = store.insertFirstAdmin(hash, now);
      if (inserted == 1) {
        // no dock has the first admin (an admin grants docks explicitly): an entry for the hub's followers
        UserChanges.log(tx, store.single("admin"), java.util.Set.of(), now, "hub");
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
    UserStore store = new UserStore(db.dsl());
    UserStore.Row user = store.named(name).orElse(null);
    if (user == null) {
      Passwords.burn(password); // the same work as a real check: the answer's timing tells nothing
      fail(name, from, now);
      return badCredentials();
    }
    if (!Passwords.verify(password, user.passwordHash())) {
      fail(name, from, now);
      return badCredentials();
    }
    if (user.disabled()) {
      return new SignIn.Refused(ErrorCode.ACCOUNT_DISABLED, "this account is disabled");
    }
    if (user.totpEnabled()) {
      if (code == null || code.isEmpty()) {
        return new SignIn.Refused(ErrorCode.TOTP_REQUIRED, "this account needs the code from its authenticator app (field totp)");
      }
      OptionalLong step = totp.accept(user.totpSecret(), code, user.totpLastStep());
      if (step.isEmpty()) {
        fail(name, from, now);
        return new SignIn.Refused(ErrorCode.BAD_TOTP, "the authenticator code is wrong, expired or already used");
      }
      // only a newer step may be recorded: two sign-ins racing with one code cannot both pass
      int claimed = store.claimTotpStep(user.id(), step.getAsLong());
      if (claimed == 0) {
        return new SignIn.Refused(ErrorCode.BAD_TOTP, "the authenticator code is wrong, expired or already used");
      }
    }
    // the pair as counted: under the name's stored form, whatever case was typed
    store.clearFailures(name, from);
    return new SignIn.Ok(new Principal(user.username(), Role.valueOf(user.role()), user.areaId()),
        io.tracetrack.hub.auth.AccountCheck.stamp(user.passwordHash()), user.tokenEpoch());
  }

  /** How many failures (user name, address) has now; 0 if none (for tests and operators). */
  public int failures(String username, String address) {
    return new UserStore(db.dsl()).failures(username, address);
  }

  private boolean locked(String username, String address, OffsetDateTime now) {
    return new UserStore(db.dsl()).locked(username, address, now);
  }

  /**
   * Counts one failure, failures untouched for {@link #FORGET_AFTER} forgotten first. The count is
   * raised in one UPDATE ({@code failures = failures + 1}, the lock decided in the same statement),
   * never computed from a row read before the slow password check: parallel wrong guesses each add
   * one, on H2 and PostgreSQL alike (the row lock orders them). See {@link UserStore#countFailure}.
   */
  private void fail(String username, String address, OffsetDateTime now) {
    new UserStore(db.dsl()).countFailure(username, address, now, now.minus(FORGET_AFTER), MAX_FAILURES, now.plus(LOCKOUT));
  }

  private static SignIn badCredentials() {
    return new SignIn.Refused(ErrorCode.BAD_CREDENTIALS, "wrong user name or password");
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
