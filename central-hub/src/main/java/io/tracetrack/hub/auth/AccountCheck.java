package io.tracetrack.hub.auth;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.Role;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a signed token still speaks for its account. A token is signed for 15 minutes, but an
 * admin who disables a user, changes their role or area, or deletes them must not wait that long:
 * every request compares the token with the account as it is now (read through a cache that
 * forgets after {@link #FRESHNESS}, so a revocation takes effect within seconds on every hub
 * instance without a database read per request). A password change ends tokens issued before it:
 * each token carries a stamp of the password hash it was signed in with.
 */
public final class AccountCheck {

  /** The longest a revoked token can still be honoured. */
  public static final Duration FRESHNESS = Duration.ofSeconds(5);

  /** The account as the check needs it. */
  record Account(Role role, String area, boolean disabled, boolean anonymised, String passwordStamp) {}

  private final HubDatabase db;
  private final Cache<String, Optional<Account>> accounts;

  public AccountCheck(HubDatabase db, java.time.Clock clock) {
    this.db = db;
    this.accounts = Caffeine.newBuilder()
        .ticker(() -> {
          java.time.Instant now = clock.instant();
          return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        })
        .expireAfterWrite(FRESHNESS).maximumSize(50_000).recordStats().build();
  }

  public Cache<String, ?> cache() {
    return accounts;
  }

  /**
   * True when the account still exists, is enabled, has the role and area the token says, and
   * (when the token carries one) still has the password it was signed in with.
   */
  public boolean stillValid(Tokens.Stamped token) {
    Principal principal = token.principal();
    Optional<Account> account = accounts.get(principal.username(), this::load);
    if (account.isEmpty()) {
      return false;
    }
    Account a = account.get();
    return !a.disabled() && !a.anonymised() && a.role() == principal.role()
        && Objects.equals(a.area(), principal.area())
        && (token.passwordStamp() == null || token.passwordStamp().equals(a.passwordStamp()));
  }

  /** A short fingerprint of a password hash: changes with the password, reveals nothing of it. */
  public static String stamp(String passwordHash) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(passwordHash.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private Optional<Account> load(String username) {
    return db.dsl().select(APP_USER.ROLE, APP_USER.AREA_ID, APP_USER.DISABLED, APP_USER.ANONYMISED, APP_USER.PASSWORD_HASH)
        .from(APP_USER).where(APP_USER.USERNAME.eq(username))
        .fetchOptional(r -> new Account(Role.valueOf(r.value1()), r.value2(), r.value3(), Boolean.TRUE.equals(r.value4()),
            stamp(r.value5())));
  }

  /** Forget what is cached about one account (after this instance changed it). */
  public void forget(String username) {
    accounts.invalidate(username);
  }
}
