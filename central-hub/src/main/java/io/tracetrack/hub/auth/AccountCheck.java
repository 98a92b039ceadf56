package io.tracetrack.hub.auth;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.REVOKED_TOKEN;

import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.Role;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.jooq.impl.DSL;

/**
 * Whether a signed token still speaks for its account. A token is signed for 15 minutes, but an
 * admin who disables a user, changes their role or area, or deletes them must not wait at all:
 * every authenticated request reads the account as it is now, from the database (one primary-key
 * lookup on the user name plus one on the token id, in one statement). No cache: hubs run as
 * several stateless instances over one database, and a cache on one instance cannot hear about a
 * change made through another, so any cache would let a revoked token through for its lifetime.
 *
 * <p>A token also ends when its password is changed (it carries a stamp of the hash), when its
 * owner signs it out ({@link #revoke}: its id is kept in {@code revoked_token} until it would have
 * expired anyway), or when its owner signs out everywhere ({@link #endAll}: the account's token
 * epoch goes up and every token carries the epoch it was issued in).
 */
public final class AccountCheck {

  /** The account as the check needs it. */
  record Account(Role role, String area, boolean disabled, boolean anonymised, String passwordStamp, int epoch,
      boolean tokenRevoked) {}

  private final HubDatabase db;
  private final Clock clock;

  public AccountCheck(HubDatabase db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * True when the account still exists, is enabled, has the role and area the token says, still
   * has the password and token epoch the token was issued with, and the token was not signed out.
   */
  public boolean stillValid(Tokens.Stamped token) {
    Principal principal = token.principal();
    Optional<Account> account = load(principal.username(), token.id());
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
      // a signed-out token past its expiry (plus the skew verification allows) is refused anyway
      dsl.deleteFrom(REVOKED_TOKEN).where(REVOKED_TOKEN.EXPIRES_AT.lt(now.minus(Tokens.CLOCK_SKEW))).execute();
      dsl.insertInto(REVOKED_TOKEN)
          .set(REVOKED_TOKEN.JTI, token.id())
          .set(REVOKED_TOKEN.USERNAME, token.principal().username())
          .set(REVOKED_TOKEN.EXPIRES_AT, OffsetDateTime.ofInstant(token.expiresAt(), ZoneOffset.UTC))
          .onConflictDoNothing()
          .execute();
      return null;
    });
  }

  /** Ends every token of the account issued so far ("sign out everywhere"). */
  public void endAll(String username) {
    db.dsl().update(APP_USER).set(APP_USER.TOKEN_EPOCH, APP_USER.TOKEN_EPOCH.plus(1))
        .where(APP_USER.USERNAME.eq(username)).execute();
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
    return db.dsl().select(APP_USER.ROLE, APP_USER.AREA_ID, APP_USER.DISABLED, APP_USER.ANONYMISED, APP_USER.PASSWORD_HASH,
            APP_USER.TOKEN_EPOCH, DSL.field(DSL.exists(DSL.selectOne().from(REVOKED_TOKEN).where(REVOKED_TOKEN.JTI.eq(tokenId)))))
        .from(APP_USER).where(APP_USER.USERNAME.eq(username))
        .fetchOptional(r -> new Account(Role.valueOf(r.value1()), r.value2(), r.value3(), Boolean.TRUE.equals(r.value4()),
            stamp(r.value5()), r.value6(), Boolean.TRUE.equals(r.value7())));
  }
}
