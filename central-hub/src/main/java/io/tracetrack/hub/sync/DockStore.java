package io.tracetrack.hub.sync;

import static io.tracetrack.hub.db.jooq.Tables.AREA;
import static io.tracetrack.hub.db.jooq.Tables.DOCK;

import io.tracetrack.hub.db.jooq.tables.records.DockRecord;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/** The {@code dock} rows as seen from one transaction (or the pool, for single reads). */
final class DockStore {

  private final DSLContext tx;

  DockStore(DSLContext tx) {
    this.tx = tx;
  }

  /** A dock's row, secrets as hashes (they never leave this package). */
  record Row(String name, String area, String codeHash, OffsetDateTime codeExpiresAt, OffsetDateTime codeUsedAt,
      String edgeId, String credentialHash, OffsetDateTime enrolledAt, OffsetDateTime revokedAt, OffsetDateTime createdAt) {

    DockView view() {
      boolean codePending = codeHash != null && codeUsedAt == null;
      return new DockView(name, area, edgeId != null && revokedAt == null, edgeId, enrolledAt, revokedAt,
          codePending ? codeExpiresAt : null, createdAt);
    }
  }

  boolean areaExists(String area) {
    return tx.fetchExists(AREA, AREA.ID.eq(area));
  }

  /** False when a dock of this name exists already (the primary key decides, so two racing admins get one dock). */
  boolean insert(String name, String area, String codeHash, OffsetDateTime codeExpiresAt, String by, OffsetDateTime at) {
    return tx.insertInto(DOCK)
        .set(DOCK.NAME, name)
        .set(DOCK.AREA_ID, area)
        .set(DOCK.CODE_HASH, codeHash)
        .set(DOCK.CODE_EXPIRES_AT, codeExpiresAt)
        .set(DOCK.CREATED_BY, by)
        .set(DOCK.CREATED_AT, at)
        .onConflictDoNothing()
        .execute() == 1;
  }

  Optional<Row> find(String name) {
    return tx.selectFrom(DOCK).where(DOCK.NAME.eq(name)).fetchOptional(DockStore::row);
  }

  List<Row> list() {
    return tx.selectFrom(DOCK).orderBy(DOCK.NAME).fetch(DockStore::row);
  }

  Optional<Row> byCode(String codeHash) {
    return tx.selectFrom(DOCK).where(DOCK.CODE_HASH.eq(codeHash)).fetchOptional(DockStore::row);
  }

  Optional<Row> byCredential(String credentialHash) {
    return tx.selectFrom(DOCK).where(DOCK.CREDENTIAL_HASH.eq(credentialHash)).fetchOptional(DockStore::row);
  }

  /** A fresh code replaces the pending or used one; the current credential, if any, keeps working. */
  boolean replaceCode(String name, String codeHash, OffsetDateTime codeExpiresAt) {
    return tx.update(DOCK)
        .set(DOCK.CODE_HASH, codeHash)
        .set(DOCK.CODE_EXPIRES_AT, codeExpiresAt)
        .setNull(DOCK.CODE_USED_AT)
        .where(DOCK.NAME.eq(name))
        .execute() == 1;
  }

  /**
   * Exchanges a code for a credential in one conditional UPDATE: the row changes only while the code
   * is unused and unexpired, so of two edges racing with one code the database lets exactly one
   * through (the loser's UPDATE re-reads the row after the winner's commit and matches nothing).
   * The new credential replaces any earlier one, and clears a revocation: re-enrolment.
   *
   * @return the dock's name when this call won
   */
  Optional<String> enroll(String codeHash, String edgeId, String credentialHash, OffsetDateTime now) {
    int changed = tx.update(DOCK)
        .set(DOCK.CODE_USED_AT, now)
        .set(DOCK.EDGE_ID, edgeId)
        .set(DOCK.CREDENTIAL_HASH, credentialHash)
        .set(DOCK.ENROLLED_AT, now)
        .setNull(DOCK.REVOKED_AT)
        .where(DOCK.CODE_HASH.eq(codeHash))
        .and(DOCK.CODE_USED_AT.isNull())
        .and(DOCK.CODE_EXPIRES_AT.gt(now))
        .execute();
    if (changed != 1) {
      return Optional.empty();
    }
    return byCredential(credentialHash).map(Row::name);
  }

  /** Revokes the dock and drops its pending code; the credential's hash stays so it is refused as revoked, not unknown. */
  boolean revoke(String name, OffsetDateTime at) {
    return tx.update(DOCK)
        .set(DOCK.REVOKED_AT, at)
        .setNull(DOCK.CODE_HASH)
        .setNull(DOCK.CODE_EXPIRES_AT)
        .setNull(DOCK.CODE_USED_AT)
        .where(DOCK.NAME.eq(name))
        .and(DOCK.REVOKED_AT.isNull())
        .execute() == 1;
  }

  private static Row row(DockRecord r) {
    return new Row(r.getName(), r.getAreaId(), r.getCodeHash(), r.getCodeExpiresAt(), r.getCodeUsedAt(), r.getEdgeId(),
        r.getCredentialHash(), r.getEnrolledAt(), r.getRevokedAt(), r.getCreatedAt());
  }
}
