package io.tracetrack.edge.users;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import io.tracetrack.model.UserNames;
import io.tracetrack.web.Lockout;
import io.tracetrack.web.Passwords;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Local dispatchers and station sessions. Until the hub has synced users to this dock, a new name
 * becomes a local dispatcher on first use (terminal capture without a password; the page with the
 * password given, which must meet the policy). Once the hub's users are here, unknown names are
 * refused. A user made by terminal capture has no password and cannot sign in on the page until an
 * admin sets one ({@code users passwd}): otherwise whoever reached the page first would choose it.
 *
 * <p>A session is checked against its user's row on every request, not cached: disabling the user
 * or changing the password ends it at once, also when another process (the {@code users} CLI, a
 * later sync) made the change on the same data folder.
 *
 * <p>The rows are {@link LocalUserStore}'s; this class decides.
 */
public final class LocalUsers {

  /** Passwords shorter than this are refused (the shared policy, as on the hub). */
  public static final int MIN_PASSWORD_LENGTH = Passwords.MIN_LENGTH;
  /** Failed sign-ins in a row before the account is locked. */
  public static final int MAX_FAILED_ATTEMPTS = Lockout.MAX_FAILURES;
  /** How long a lockout lasts. */
  public static final Duration LOCKOUT = Lockout.DURATION;
  /** A station session lasts one shift. */
  public static final Duration SESSION_LIFETIME = Duration.ofHours(12);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final EdgeDatabase db;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public LocalUsers(EdgeDatabase db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Whether a name is acceptable as a station name (user names follow {@link UserNames}). */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** A user as listed by {@code users list}. */
  public record UserInfo(String name, Role role, String source, boolean hasPassword, boolean disabled) {}

  public List<UserInfo> list() {
    return db.read(LocalUserStore::list);
  }

  /**
   * Terminal capture: the named user must exist, or be creatable because the hub has not sent
   * users yet.
   *
   * @return empty when allowed, else the reason
   */
  public Optional<String> admitTerminalUser(String rawName) {
    String name = UserNames.normalize(rawName).orElse(null);
    if (name == null) {
      return UserNames.problem(rawName);
    }
    LocalUserStore.UserRow known = db.read(dsl -> LocalUserStore.find(dsl, name)).orElse(null);
    if (known != null) {
      // reading only: a known user can start capturing while another process holds the write lock
      return known.disabled() ? Optional.of("user " + name + " is disabled") : Optional.empty();
    }
    return db.write(dsl -> {
      LocalUserStore.UserRow user = LocalUserStore.find(dsl, name).orElse(null);
      if (user != null) {
        return user.disabled() ? Optional.of("user " + name + " is disabled") : Optional.<String>empty();
      }
      if (LocalUserStore.usersFromHub(dsl)) {
        return Optional.of("user " + name + " is not known on this dock (users come from the hub)");
      }
      insertUser(dsl, name, null);
      return Optional.<String>empty();
    });
  }

  /** The first-run command: adds a local dispatcher with a password. */
  public Optional<String> addLocalDispatcher(String rawName, String password) {
    String name = UserNames.normalize(rawName).orElse(null);
    if (name == null) {
      return UserNames.problem(rawName);
    }
    Optional<String> weak = passwordProblem(password);
    if (weak.isPresent()) {
      return weak;
    }
    String hash = hash(password);
    return db.write(dsl -> {
      if (LocalUserStore.usersFromHub(dsl)) {
        return Optional.of("this dock receives its users from the hub; add users there");
      }
      if (LocalUserStore.exists(dsl, name)) {
        return Optional.of("user " + name + " already exists");
      }
      insertUser(dsl, name, hash);
      return Optional.<String>empty();
    });
  }

  /** Station sign-in from the page. */
  public SignInResult signIn(String station, String rawName, String password) {
    // user names are case-insensitive (the shared rule); station names are labels, kept as typed
    String name = UserNames.normalize(rawName).orElse(null);
    if (!isValidName(station) || name == null || password == null || password.length() > 1024) {
      return new SignInResult.Refused(ErrorCode.INVALID_REQUEST, "station must be 1-64 letters, digits, '.', '_' or '-'; "
          + UserNames.problem(rawName).orElse("the password is missing or too long"));
    }
    long now = clock.millis();
    LocalUserStore.UserRow user = db.read(dsl -> LocalUserStore.find(dsl, name)).orElse(null);
    boolean created = false;
    String signedInHash; // the hash this sign-in proved, stamped on the session
    if (user == null) {
      boolean fromHub = db.read(LocalUserStore::usersFromHub);
      if (fromHub) {
        Passwords.burn(password);
        return badCredentials();
      }
      Optional<String> weak = passwordProblem(password);
      if (weak.isPresent()) {
        return new SignInResult.Refused(ErrorCode.WEAK_PASSWORD, weak.get());
      }
      String hash = hash(password);
      boolean inserted = db.write(dsl -> {
        if (LocalUserStore.exists(dsl, name)) {
          return false;
        }
        insertUser(dsl, name, hash);
        return true;
      });
      if (!inserted) {
        return signIn(station, name, password); // someone created it meanwhile: sign in normally
      }
      created = true;
      signedInHash = hash;
    } else {
      if (user.disabled()) {
        return new SignInResult.Refused(ErrorCode.DISABLED, "user " + name + " is disabled");
      }
      if (user.lockedUntil() != null && user.lockedUntil() > now) {
        long minutes = Lockout.minutesLeft(user.lockedUntil(), now);
        return new SignInResult.Refused(ErrorCode.ACCOUNT_LOCKED, "too many failed sign-ins; try again in " + minutes + " min");
      }
      if (user.passwordHash() == null) {
        // made by terminal capture: letting this sign-in choose the password would hand the
        // account to whoever reaches the page first
        return new SignInResult.Refused(ErrorCode.NO_PASSWORD, name + " has no password (made by terminal capture) and "
            + "cannot sign in here until an admin sets one on this dock with `users passwd " + name + "`");
      }
      if (!verify(password, user.passwordHash())) {
        recordFailure(name, now);
        return badCredentials();
      }
      db.write(dsl -> {
        LocalUserStore.clearFailures(dsl, name);
        return null;
      });
      signedInHash = user.passwordHash();
    }
    String token = newToken();
    // a password changed since the check above leaves this session invalid from its first use
    String stamp = passwordStamp(signedInHash);
    String tokenHash = sha256(token);
    db.write(dsl -> {
      LocalUserStore.insertSession(dsl, tokenHash, station, name, now, stamp);
      return null;
    });
    return new SignInResult.SignedIn(token, station, name, created);
  }

  /**
   * The session a token stands for, if it is valid: not expired, its user still enabled and still
   * holding the password it signed in with. Read from the database on every call (one primary-key
   * join), so a change made by another process counts at once.
   */
  public Optional<Session> session(String token) {
    if (token == null || token.length() != 43) {
      return Optional.empty();
    }
    String key = sha256(token);
    long now = clock.millis();
    return db.readSession(session -> LocalUserStore.session(session, key))
        .filter(r -> !r.userDisabled())
        .filter(r -> r.passwordStamp() != null && r.passwordStamp().equals(passwordStamp(r.userPasswordHash())))
        .map(r -> new Session(r.station(), r.userName(), r.createdAt() + SESSION_LIFETIME.toMillis()))
        .filter(s -> s.expiresAt() > now);
  }

  public void signOut(String token) {
    if (token == null) {
      return;
    }
    String key = sha256(token);
    db.write(dsl -> {
      LocalUserStore.deleteSession(dsl, key);
      return null;
    });
  }

  /** {@code users disable NAME}: the user can no longer sign in or scan; their sessions end now. */
  public Optional<String> disable(String name) {
    return setDisabled(name, true);
  }

  /** {@code users enable NAME}: the user may sign in again (old sessions stay ended). */
  public Optional<String> enable(String name) {
    return setDisabled(name, false);
  }

  private Optional<String> setDisabled(String name, boolean disabled) {
    return db.write(dsl -> {
      if (!LocalUserStore.exists(dsl, name)) {
        return Optional.of("user " + name + " is not known on this dock");
      }
      LocalUserStore.setDisabled(dsl, name, disabled);
      if (disabled) {
        LocalUserStore.deleteSessionsOf(dsl, name);
      }
      return Optional.<String>empty();
    });
  }

  /**
   * {@code users passwd NAME}: sets a local user's password (also the first one of a user made by
   * terminal capture), lifts a lockout and ends the user's sessions.
   */
  public Optional<String> setPassword(String name, String password) {
    Optional<String> weak = passwordProblem(password);
    if (weak.isPresent()) {
      return weak;
    }
    String hash = hash(password);
    return db.write(dsl -> {
      LocalUserStore.UserRow user = LocalUserStore.find(dsl, name).orElse(null);
      if (user == null) {
        return Optional.of("user " + name + " is not known on this dock");
      }
      if (!"LOCAL".equals(user.source())) {
        return Optional.of("user " + name + " comes from the hub; change the password there");
      }
      LocalUserStore.setPassword(dsl, name, hash);
      LocalUserStore.deleteSessionsOf(dsl, name);
      return Optional.<String>empty();
    });
  }

  /** Names the password hash without revealing it; any change of hash (new salt too) changes it. */
  private static String passwordStamp(String passwordHash) {
    return passwordHash == null ? null : sha256(passwordHash);
  }

  private void recordFailure(String name, long now) {
    db.write(dsl -> {
      int failures = LocalUserStore.failedAttempts(dsl, name) + 1;
      if (failures >= MAX_FAILED_ATTEMPTS) {
        // locked: the count starts again when the lockout ends
        return LocalUserStore.lock(dsl, name, now + LOCKOUT.toMillis());
      }
      return LocalUserStore.setFailedAttempts(dsl, name, failures);
    });
  }

  private static SignInResult badCredentials() {
    return new SignInResult.Refused(ErrorCode.BAD_CREDENTIALS, "wrong user name or password");
  }

  static Optional<String> passwordProblem(String password) {
    return Passwords.problem(password);
  }

  /** A user made on this dock is a local dispatcher. */
  private void insertUser(org.jooq.DSLContext dsl, String name, String hash) {
    LocalUserStore.insert(dsl, name, Role.DISPATCHER, hash, "LOCAL", clock.millis());
  }

  private static String hash(String password) {
    return Passwords.hash(password);
  }

  private static boolean verify(String password, String hash) {
    return Passwords.verify(password, hash); // a malformed stored hash never signs anyone in
  }

  private String newToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
