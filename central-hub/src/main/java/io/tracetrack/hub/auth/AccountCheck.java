package io.tracetrack.hub.auth;

import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.Role;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a signed token still speaks for its account. A token is signed for 15 minutes, but an
 * admin who disables a user, changes their role or area, or deletes them must not wait for that.
 *
 * <p>Every request that changes something reads the account as it is now, from the database (one
 * primary-key lookup on the user name plus one on the token id, in one statement): a demoted admin
 * cannot create an admin through any instance, not even a millisecond later. Reads (GET, HEAD) may
 * use the answer of the last second ({@link #READ_FRESHNESS}): at a thousand users, the account
 * read on every lookup was the hub's largest cost (issue #9), and a read allowed a second ago
 * shows nothing the caller could not see a second ago. Such answers are dropped at once on this
 * instance by every sign-out, "sign out everywhere" and user change made here, and on the other
 * instances by the change log's user entries ({@link #forget}), or after a second at most.
 *
 * <p>A token also ends when its password is changed (it carries a stamp of the hash), when its
 * owner signs it out ({@link #revoke}: its id is kept in {@code revoked_token} until it would have
 * expired anyway), or when its owner signs out everywhere ({@link #endAll}: the account's token
 * epoch goes up and every token carries the epoch it was issued in).
 */
public final class AccountCheck {

  /** The account as the check needs it. */
  public record Account(Role role, String area, boolean disabled, boolean anonymised, String passwordStamp, int epoch,
      boolean tokenRevoked) {}

  /** How old an account answer a read may use (real time, not the business clock: it bounds staleness). */
  public static final java.time.Duration READ_FRESHNESS = java.time.Duration.ofSeconds(1);

  private final HubDatabase db;
  private final Clock clock;
  /** Recent answers for reads, by user name and token id. */
  private final com.github.benmanes.caffeine.cache.Cache<String, Optional<Account>> recent =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
          .expireAfterWrite(READ_FRESHNESS)
          .maximumSize(20_000)
          .recordStats()
          .build();

  public AccountCheck(HubDatabase db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The recent answers, for hit rates in /metrics. */
  public com.github.benmanes.caffeine.cache.Cache<String, Optional<Account>> cache() {
    return recent;
  }

  /**
   * Drops the recent answers about {@code username} (a change to the account, here or on another
   * instance), or all of them for {@code null}.
   */
  public void forget(String username) {
    if (username == null) {
      recent.invalidateAll();
      return;
    }
    String prefix = username + "\u0000";
    recent.asMap().keySet().removeIf(k -> k.startsWith(prefix));
  }

  /**
   * As {@link #stillValid(Tokens.Stamped)}; for a read ({@code write} false) an answer of the last
   * second may serve.
   */
  public boolean stillValid(Tokens.Stamped token, boolean write) {
    if (write) {
      return stillValid(token);
    }
    Optional<Account> account = recent.get(token.principal().username() + "\u0000" + token.id(),
        k -> load(token.principal().username(), token.id()));
    return matches(token, account);
  }

  /**
   * True when the account still exists, is enabled, has the role and area the token says, still
   * has the password and token epoch the token was issued with, and the token was not signed out.
   */
  public boolean stillValid(Tokens.Stamped token) {
    Optional<Account> account = load(token.principal().username(), token.id());
    // a fresh read also refreshes what reads may use
    recent.put(token.principal().username() + "\u0000" + token.id(), account);
    return matches(token, account);
  }

  private static boolean matches(Tokens.Stamped token, Optional<Account> account) {
    Principal principal = token.principal();
    if (account.isEmpty()) {
      return false;
    }
    Account a = account.get();
    return !a.disabled() && !a.anonymised() && !a.tokenRevoked() && a.role() == principal.role()
        && Objects.equals(a.area(), principal.area())
        && token.passwordStamp().equals(a.passwordStamp())
        && token.epoch() == a.epoch();
  }

  /** Signs one token out: it is refused from the next request on, on every instance. */
  public void revoke(Tokens.Stamped token) {
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    db.transaction(dsl -> {
      AccountStore store = new AccountStore(dsl);
      // a signed-out token past its expiry (plus the skew verification allows) is refused anyway
      store.dropRevokedBefore(now.minus(Tokens.CLOCK_SKEW));
      store.revoke(token.id(), token.principal().username(), OffsetDateTime.ofInstant(token.expiresAt(), ZoneOffset.UTC));
      return null;
    });
    forget(token.principal().username());
  }

  /** Ends every token of the account issued so far ("sign out everywhere"). */
  public void endAll(String username) {
    new AccountStore(db.dsl()).raiseTokenEpoch(username);
    forget(username);
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

  private Optional<Account> load(String username, String tokenId) {
    return new AccountStore(db.dsl()).load(username, tokenId);
  }
}
