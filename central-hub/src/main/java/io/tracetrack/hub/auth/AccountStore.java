package io.tracetrack.hub.auth;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.REVOKED_TOKEN;

import io.tracetrack.model.Role;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The rows {@link AccountCheck} reads and writes: the account a token speaks for, the signed-out
 * tokens ({@code revoked_token}) and the account's token epoch. Lives in auth/ rather than users/
 * because users/ depends on auth/, never the other way.
 */
@Store
final class AccountStore {

  private final DSLContext dsl;

  AccountStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * The account as the check needs it, with whether the token was signed out: one primary-key
   * lookup on the user name plus one on the token id, in one statement.
   */
  Optional<AccountCheck.Account> load(String username, String tokenId) {
    return dsl.select(APP_USER.ROLE, APP_USER.AREA_ID, APP_USER.DISABLED, APP_USER.ANONYMISED, APP_USER.PASSWORD_HASH,
            APP_USER.TOKEN_EPOCH, DSL.field(DSL.exists(DSL.selectOne().from(REVOKED_TOKEN).where(REVOKED_TOKEN.JTI.eq(tokenId)))))
        .from(APP_USER).where(APP_USER.USERNAME.eq(username))
        .fetchOptional(r -> new AccountCheck.Account(Role.valueOf(r.value1()), r.value2(), r.value3(),
            Boolean.TRUE.equals(r.value4()), AccountCheck.stamp(r.value5()), r.value6(), Boolean.TRUE.equals(r.value7())));
  }

  /** Forgets the signed-out tokens that expired before {@code before}: they are refused anyway. */
  void dropRevokedBefore(OffsetDateTime before) {
    dsl.deleteFrom(REVOKED_TOKEN).where(REVOKED_TOKEN.EXPIRES_AT.lt(before)).execute();
  }

  /** Keeps a token's id as signed out until it expires; signing it out twice changes nothing. */
  void revoke(String tokenId, String username, OffsetDateTime expiresAt) {
    dsl.insertInto(REVOKED_TOKEN)
        .set(REVOKED_TOKEN.JTI, tokenId)
        .set(REVOKED_TOKEN.USERNAME, username)
        .set(REVOKED_TOKEN.EXPIRES_AT, expiresAt)
        .onConflictDoNothing()
        .execute();
  }

  /** Raises the account's token epoch by one, in the statement itself (never read, then written). */
  void raiseTokenEpoch(String username) {
    dsl.update(APP_USER).set(APP_USER.TOKEN_EPOCH, APP_USER.TOKEN_EPOCH.plus(1))
        .where(APP_USER.USERNAME.eq(username)).execute();
  }
}
