package io.tracetrack.hub.sync;

import static io.tracetrack.hub.db.jooq.Tables.AREA;
import static io.tracetrack.hub.db.jooq.Tables.DOCK;
import static io.tracetrack.hub.db.jooq.Tables.EDGE_PROGRESS;
import static io.tracetrack.hub.db.jooq.Tables.SYNC_CONFLICT;

import io.tracetrack.hub.db.HotQuery;
import io.tracetrack.hub.db.jooq.tables.records.DockRecord;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;

/** The {@code dock} rows as seen from one transaction (or the pool, for single reads). */
@Store
final class DockStore {

  private final DSLContext tx;

  DockStore(DSLContext tx) {
    this.tx = tx;
  }

  /** A dock's row, secrets as hashes (they never leave this package). */
  record Row(String name, String area, String codeHash, OffsetDateTime codeExpiresAt, OffsetDateTime codeUsedAt,
      String edgeId, String credentialHash, OffsetDateTime enrolledAt, OffsetDateTime revokedAt, OffsetDateTime createdAt,
      Health health) {

    DockView view() {
      boolean codePending = codeHash != null && codeUsedAt == null;
      Health h = health == null ? Health.NONE : health;
      return new DockView(name, area, edgeId != null && revokedAt == null, edgeId, enrolledAt, revokedAt,
          codePending ? codeExpiresAt : null, createdAt, h.lastSeenAt(), h.lastSeq(), h.backlog(), h.oldestPendingAt(),
          h.clockOffsetMs(), h.version(), h.openConflicts(), h.seqReusedAt());
    }
  }

  /** What the fleet view adds to a dock: its current edge's progress, and the dock's open conflicts. */
  record Health(OffsetDateTime lastSeenAt, long lastSeq, long backlog, OffsetDateTime oldestPendingAt, Long clockOffsetMs,
      String version, long openConflicts, OffsetDateTime seqReusedAt) {
    static final Health NONE = new Health(null, 0, 0, null, null, null, 0, null);
  }

  boolean areaExists(String area) {
    return AREA_EXISTS.on(tx).set("area", area).fetchOptional(rs -> true).isPresent();
  }

  /** False when a dock of this name exists already (the primary key decides, so two racing admins get one dock). */
  boolean insert(String name, String area, String codeHash, OffsetDateTime codeExpiresAt, String by, OffsetDateTime at) {
    return INSERT.on(tx).set("name", name).set("area", area).set("code", codeHash).set("expires", codeExpiresAt)
        .set("by", by).set("at", at).execute() == 1;
  }

  Optional<Row> find(String name) {
    return BY_NAME.on(tx).set("name", name).fetchOptional(DockStore::row);
  }

  /** One dock with its fleet health. */
  Optional<Row> findWithHealth(String name) {
    return withHealth(DOCK.NAME.eq(name)).stream().findFirst();
  }

  /** Every dock with its fleet health, by name: one statement (the progress joined, the conflicts counted per dock). */
  List<Row> list() {
    return withHealth(DSL.noCondition());
  }

  private List<Row> withHealth(Condition which) {
    Table<?> open = tx.select(SYNC_CONFLICT.DOCK, DSL.count().as("open_count")).from(SYNC_CONFLICT)
        .where(SYNC_CONFLICT.STATUS.eq("OPEN")).groupBy(SYNC_CONFLICT.DOCK).asTable("open_conflicts");
    Field<String> openDock = open.field(SYNC_CONFLICT.DOCK.getName(), String.class);
    Field<Integer> openCount = open.field("open_count", Integer.class);
    return tx.select(DOCK.asterisk(), EDGE_PROGRESS.LAST_SEEN_AT, EDGE_PROGRESS.LAST_SEQ, EDGE_PROGRESS.PENDING_OPS,
            EDGE_PROGRESS.OLDEST_PENDING_AT, EDGE_PROGRESS.CLOCK_OFFSET_MS, EDGE_PROGRESS.VERSION, openCount,
            EDGE_PROGRESS.SEQ_REUSED_AT)
        .from(DOCK)
        // the current edge's progress only: a re-enrolled dock starts again at seq 1 on a new edge
        .leftJoin(EDGE_PROGRESS).on(EDGE_PROGRESS.EDGE_ID.eq(DOCK.EDGE_ID))
        .leftJoin(open).on(openDock.eq(DOCK.NAME))
        .where(which)
        .orderBy(DOCK.NAME)
        .fetch(r -> {
          Row base = row(r.into(DOCK));
          Health health = new Health(r.get(EDGE_PROGRESS.LAST_SEEN_AT), zero(r.get(EDGE_PROGRESS.LAST_SEQ)),
              zero(r.get(EDGE_PROGRESS.PENDING_OPS)), r.get(EDGE_PROGRESS.OLDEST_PENDING_AT),
              r.get(EDGE_PROGRESS.CLOCK_OFFSET_MS), r.get(EDGE_PROGRESS.VERSION), zero(r.get(openCount)),
              r.get(EDGE_PROGRESS.SEQ_REUSED_AT));
          return new Row(base.name(), base.area(), base.codeHash(), base.codeExpiresAt(), base.codeUsedAt(), base.edgeId(),
              base.credentialHash(), base.enrolledAt(), base.revokedAt(), base.createdAt(), health);
        });
  }

  private static long zero(Number n) {
    return n == null ? 0 : n.longValue();
  }

  Optional<Row> byCode(String codeHash) {
    return BY_CODE.on(tx).set("code", codeHash).fetchOptional(DockStore::row);
  }

  Optional<Row> byCredential(String credentialHash) {
    return BY_CREDENTIAL.on(tx).set("credential", credentialHash).fetchOptional(DockStore::row);
  }

  /**
   * The docks holding these credential hashes, by hash: one query for a batch of requests
   * ({@code SharedReads}), the hashes as one array, so the statement is the same whatever their number.
   */
  java.util.Map<String, Row> byCredentials(java.util.Collection<String> credentialHashes) {
    java.util.Map<String, Row> found = new java.util.HashMap<>();
    for (Row r : BY_CREDENTIALS.on(tx).set("hashes", credentialHashes.toArray(String[]::new)).fetch(DockStore::row)) {
      found.put(r.credentialHash(), r);
    }
    return found;
  }

  /** Every request of a dock reads its row by credential: the hub's most frequent statement. */
  private static final HotQuery BY_CREDENTIALS = HotQuery.of(dsl -> rows(dsl)
      // written out: jOOQ would expand an array on H2 into an IN list, whose length changes the SQL
      .where(DSL.condition("{0} = any({1})", DOCK.CREDENTIAL_HASH, DSL.param("hashes", String[].class))));

  /*
   * The enrolment's and the admin's statements: rare for one dock, but a fleet's enrolments (and
   * the seeded simulation's thousands) run them often enough that rendering them cost more than
   * running them (see HotQuery).
   */
  private static final HotQuery BY_NAME = HotQuery.of(dsl -> rows(dsl).where(DOCK.NAME.eq(DSL.param("name", String.class))));
  private static final HotQuery BY_CODE = HotQuery.of(dsl -> rows(dsl).where(DOCK.CODE_HASH.eq(DSL.param("code", String.class))));
  private static final HotQuery BY_CREDENTIAL = HotQuery.of(dsl -> rows(dsl)
      .where(DOCK.CREDENTIAL_HASH.eq(DSL.param("credential", String.class))));
  private static final HotQuery AREA_EXISTS = HotQuery.of(dsl -> dsl.selectOne().from(AREA)
      .where(AREA.ID.eq(DSL.param("area", String.class))));
  private static final HotQuery INSERT = HotQuery.of(dsl -> dsl.insertInto(DOCK)
      .set(DOCK.NAME, DSL.param("name", String.class))
      .set(DOCK.AREA_ID, DSL.param("area", String.class))
      .set(DOCK.CODE_HASH, DSL.param("code", String.class))
      .set(DOCK.CODE_EXPIRES_AT, DSL.param("expires", OffsetDateTime.class))
      .set(DOCK.CREATED_BY, DSL.param("by", String.class))
      .set(DOCK.CREATED_AT, DSL.param("at", OffsetDateTime.class))
      .onConflictDoNothing());
  private static final HotQuery EDGE_ON_ANOTHER_DOCK = HotQuery.of(dsl -> dsl.selectOne().from(DOCK)
      .where(DOCK.EDGE_ID.eq(DSL.param("edge", String.class))).and(DOCK.NAME.ne(DSL.param("dock", String.class))));
  private static final HotQuery EDGE_OPS_ON_ANOTHER_DOCK = HotQuery.of(dsl -> dsl.selectOne().from(EDGE_PROGRESS)
      .where(EDGE_PROGRESS.EDGE_ID.eq(DSL.param("edge", String.class)))
      .and(EDGE_PROGRESS.DOCK.ne(DSL.param("dock", String.class))));

  /** A dock's row as {@link #row(java.sql.ResultSet)} reads it, in its column order. */
  private static org.jooq.SelectJoinStep<?> rows(DSLContext dsl) {
    return dsl.select(DOCK.NAME, DOCK.AREA_ID, DOCK.CODE_HASH, DOCK.CODE_EXPIRES_AT, DOCK.CODE_USED_AT, DOCK.EDGE_ID,
        DOCK.CREDENTIAL_HASH, DOCK.ENROLLED_AT, DOCK.REVOKED_AT, DOCK.CREATED_AT).from(DOCK);
  }

  /** A row of {@link #rows}, in its column order. */
  private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class),
        rs.getObject(5, OffsetDateTime.class), rs.getString(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class),
        rs.getObject(9, OffsetDateTime.class), rs.getObject(10, OffsetDateTime.class), null);
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

  /**
   * Whether {@code edgeId} is bound to another dock than {@code dock}: now (revoked or not), or by
   * the ops the hub holds under it. Two statements, each by an index.
   */
  boolean edgeIdHeldElsewhere(String edgeId, String dock) {
    return EDGE_ON_ANOTHER_DOCK.on(tx).set("edge", edgeId).set("dock", dock).fetchOptional(rs -> true).isPresent()
        || EDGE_OPS_ON_ANOTHER_DOCK.on(tx).set("edge", edgeId).set("dock", dock).fetchOptional(rs -> true).isPresent();
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
        r.getCredentialHash(), r.getEnrolledAt(), r.getRevokedAt(), r.getCreatedAt(), null);
  }
}
