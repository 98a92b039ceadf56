package io.tracetrack.hub.audit;

import static io.tracetrack.hub.db.jooq.Tables.AUDIT_CHAIN_HEAD;
import static io.tracetrack.hub.db.jooq.Tables.AUDIT_ENTRY;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.db.jooq.tables.records.AuditEntryRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Records audit entries inside the writer's transaction, and chains them afterwards: each chained
 * entry's hash is SHA-256 over the previous hash and the entry's fields, in chain order.
 */
public final class AuditLog {

  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private static final int MAX_SNAPSHOT = 16_000;
  private static final int CHAIN_BATCH = 1_000;

  private final HubDatabase db;
  private final Clock clock;

  public AuditLog(HubDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Adds an entry in the caller's transaction; {@code before}/{@code after} are snapshots (any JSON-able value). */
  public void record(DSLContext tx, Actor actor, String action, String entityType, String entityId, Object before, Object after) {
    tx.insertInto(AUDIT_ENTRY)
        .set(AUDIT_ENTRY.AT, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
        .set(AUDIT_ENTRY.ACTOR, actor.username())
        .set(AUDIT_ENTRY.IP, actor.ip())
        .set(AUDIT_ENTRY.REQUEST_ID, actor.requestId())
        .set(AUDIT_ENTRY.ACTION, action)
        .set(AUDIT_ENTRY.ENTITY_TYPE, entityType)
        .set(AUDIT_ENTRY.ENTITY_ID, entityId)
        .set(AUDIT_ENTRY.BEFORE_JSON, snapshot(before))
        .set(AUDIT_ENTRY.AFTER_JSON, snapshot(after))
        .execute();
  }

  private static String snapshot(Object value) {
    if (value == null) {
      return null;
    }
    try {
      String json = JSON.writeValueAsString(value);
      return json.length() > MAX_SNAPSHOT ? json.substring(0, MAX_SNAPSHOT) : json;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit snapshot is not serialisable: " + value.getClass(), e);
    }
  }

  /**
   * Chains every committed, unchained entry. Safe to run from several hub instances at once: the
   * chain head row is locked for the batch.
   *
   * @return how many entries were chained
   */
  public int chain() {
    int total = 0;
    while (true) {
      int chained = db.transaction(tx -> {
        var head = tx.selectFrom(AUDIT_CHAIN_HEAD).where(AUDIT_CHAIN_HEAD.ID.eq(1)).forUpdate().fetchSingle();
        List<AuditEntryRecord> pending = tx.selectFrom(AUDIT_ENTRY).where(AUDIT_ENTRY.CHAIN_SEQ.isNull())
            .orderBy(AUDIT_ENTRY.ID).limit(CHAIN_BATCH).fetch();
        long seq = head.getLastSeq();
        String prev = head.getLastHash();
        for (AuditEntryRecord e : pending) {
          seq++;
          String hash = hash(prev, seq, e);
          tx.update(AUDIT_ENTRY).set(AUDIT_ENTRY.CHAIN_SEQ, seq).set(AUDIT_ENTRY.PREV_HASH, prev).set(AUDIT_ENTRY.HASH, hash)
              .where(AUDIT_ENTRY.ID.eq(e.getId())).execute();
          prev = hash;
        }
        tx.update(AUDIT_CHAIN_HEAD).set(AUDIT_CHAIN_HEAD.LAST_SEQ, seq).set(AUDIT_CHAIN_HEAD.LAST_HASH, prev)
            .where(AUDIT_CHAIN_HEAD.ID.eq(1)).execute();
        return pending.size();
      });
      total += chained;
      if (chained < CHAIN_BATCH) {
        return total;
      }
    }
  }

  /** The result of checking the chain. */
  public record Verification(boolean intact, long checked, Long firstBadSeq, String problem) {}

  /** Recomputes the chain from the start; the first entry that does not match is reported. */
  public Verification verify() {
    chain();
    String prev = "0".repeat(64);
    long expectedSeq = 1;
    long checked = 0;
    Long after = 0L;
    while (true) {
      List<AuditEntryRecord> batch = db.dsl().selectFrom(AUDIT_ENTRY).where(AUDIT_ENTRY.CHAIN_SEQ.gt(after))
          .orderBy(AUDIT_ENTRY.CHAIN_SEQ).limit(CHAIN_BATCH).fetch();
      for (AuditEntryRecord e : batch) {
        if (e.getChainSeq() != expectedSeq) {
          return new Verification(false, checked, expectedSeq, "entry " + expectedSeq + " of the chain is missing");
        }
        if (!prev.equals(e.getPrevHash()) || !hash(prev, e.getChainSeq(), e).equals(e.getHash())) {
          return new Verification(false, checked, e.getChainSeq(), "entry " + e.getChainSeq() + " (id " + e.getId() + ") was changed");
        }
        prev = e.getHash();
        expectedSeq++;
        checked++;
        after = e.getChainSeq();
      }
      if (batch.size() < CHAIN_BATCH) {
        break;
      }
    }
    String head = db.dsl().select(AUDIT_CHAIN_HEAD.LAST_HASH).from(AUDIT_CHAIN_HEAD).fetchOne(AUDIT_CHAIN_HEAD.LAST_HASH);
    if (!prev.equals(head)) {
      return new Verification(false, checked, expectedSeq, "the chain ends before its recorded head: entries were removed");
    }
    return new Verification(true, checked, null, null);
  }

  static String hash(String prev, long seq, AuditEntryRecord e) {
    String canonical = String.join("\u001f", prev, Long.toString(seq), Long.toString(e.getId()),
        e.getAt().toInstant().toString(), nz(e.getActor()), nz(e.getIp()), nz(e.getRequestId()), e.getAction(),
        e.getEntityType(), nz(e.getEntityId()), nz(e.getBeforeJson()), nz(e.getAfterJson()));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("every JDK has SHA-256", ex);
    }
  }

  private static String nz(String s) {
    return s == null ? "\u0000" : s;
  }

  /** The newest entries matching the filters (all optional), newest first, at most {@code limit}. */
  public List<AuditEntryRecord> query(Optional<String> actor, Optional<String> entityType, Optional<String> entityId,
      Optional<Long> beforeId, int limit) {
    var condition = org.jooq.impl.DSL.noCondition();
    if (actor.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.ACTOR.eq(actor.get()));
    }
    if (entityType.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.ENTITY_TYPE.eq(entityType.get()));
    }
    if (entityId.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.ENTITY_ID.eq(entityId.get()));
    }
    if (beforeId.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.ID.lt(beforeId.get()));
    }
    return db.dsl().selectFrom(AUDIT_ENTRY).where(condition).orderBy(AUDIT_ENTRY.ID.desc()).limit(limit).fetch();
  }
}
