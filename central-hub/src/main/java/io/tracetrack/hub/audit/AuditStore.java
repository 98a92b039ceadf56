package io.tracetrack.hub.audit;

import static io.tracetrack.hub.db.jooq.Tables.AUDIT_CHAIN_HEAD;
import static io.tracetrack.hub.db.jooq.Tables.AUDIT_ENTRY;

import io.tracetrack.hub.db.HotQuery;
import io.tracetrack.hub.db.jooq.tables.records.AuditEntryRecord;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The audit trail's rows and its chain head, inside the transaction the caller hands in. */
@Store
final class AuditStore {

  private final DSLContext dsl;

  AuditStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  void insert(OffsetDateTime at, String actor, String ip, String requestId, String action, String entityType,
      String entityId, String beforeJson, String afterJson) {
    // the address is committed to with a nonce, so it can be cut to its network later (Addresses)
    String nonce = ip == null ? null : Addresses.nonce();
    INSERT.on(dsl).set("at", at).set("actor", actor).set("ip", ip).set("nonce", nonce)
        .set("commit", ip == null ? null : Addresses.commit(ip, nonce)).set("requestId", requestId).set("action", action)
        .set("entityType", entityType).set("entityId", entityId).set("before", beforeJson).set("after", afterJson)
        .execute();
  }

  /** Every audited change writes one (see {@link HotQuery}). */
  private static final HotQuery INSERT = HotQuery.of(dsl -> dsl.insertInto(AUDIT_ENTRY)
      .set(AUDIT_ENTRY.AT, DSL.param("at", OffsetDateTime.class))
      .set(AUDIT_ENTRY.ACTOR, DSL.param("actor", String.class))
      .set(AUDIT_ENTRY.IP, DSL.param("ip", String.class))
      .set(AUDIT_ENTRY.IP_NONCE, DSL.param("nonce", String.class))
      .set(AUDIT_ENTRY.IP_COMMIT, DSL.param("commit", String.class))
      .set(AUDIT_ENTRY.REQUEST_ID, DSL.param("requestId", String.class))
      .set(AUDIT_ENTRY.ACTION, DSL.param("action", String.class))
      .set(AUDIT_ENTRY.ENTITY_TYPE, DSL.param("entityType", String.class))
      .set(AUDIT_ENTRY.ENTITY_ID, DSL.param("entityId", String.class))
      .set(AUDIT_ENTRY.BEFORE_JSON, DSL.param("before", String.class))
      .set(AUDIT_ENTRY.AFTER_JSON, DSL.param("after", String.class)));

  /** The chain's end: its last seq and hash. */
  record Head(long lastSeq, String lastHash) {}

  /** The chain head, locked for the rest of the transaction: whoever chains or rewrites entries takes it first. */
  Head lockHead() {
    var head = dsl.selectFrom(AUDIT_CHAIN_HEAD).where(AUDIT_CHAIN_HEAD.ID.eq(1)).forUpdate().fetchSingle();
    return new Head(head.getLastSeq(), head.getLastHash());
  }

  String headHash() {
    return dsl.select(AUDIT_CHAIN_HEAD.LAST_HASH).from(AUDIT_CHAIN_HEAD).fetchOne(AUDIT_CHAIN_HEAD.LAST_HASH);
  }

  void setHead(long seq, String hash) {
    dsl.update(AUDIT_CHAIN_HEAD).set(AUDIT_CHAIN_HEAD.LAST_SEQ, seq).set(AUDIT_CHAIN_HEAD.LAST_HASH, hash)
        .where(AUDIT_CHAIN_HEAD.ID.eq(1)).execute();
  }

  /** Entries that name {@code username}: as actor, as entity, or as a JSON string in a snapshot. */
  private static Condition naming(String username) {
    return AUDIT_ENTRY.ACTOR.eq(username).or(AUDIT_ENTRY.ENTITY_ID.eq(username))
        .or(AUDIT_ENTRY.BEFORE_JSON.contains("\"" + username + "\"")).or(AUDIT_ENTRY.AFTER_JSON.contains("\"" + username + "\""));
  }

  int countChainedNaming(String username) {
    return dsl.fetchCount(AUDIT_ENTRY, AUDIT_ENTRY.CHAIN_SEQ.isNotNull().and(naming(username)));
  }

  List<AuditLog.Entry> unchainedNaming(String username) {
    return dsl.selectFrom(AUDIT_ENTRY).where(AUDIT_ENTRY.CHAIN_SEQ.isNull().and(naming(username))).fetch(AuditStore::entry);
  }

  /** Rewrites an unchained entry's personal fields; an address dropped takes its commitment with it. */
  void rewrite(long id, String actor, String ip, String entityId, String beforeJson, String afterJson) {
    var update = dsl.update(AUDIT_ENTRY).set(AUDIT_ENTRY.ACTOR, actor);
    if (ip == null) {
      update = update.set(AUDIT_ENTRY.IP_COMMIT, (String) null).set(AUDIT_ENTRY.IP_NONCE, (String) null);
    }
    update
        .set(AUDIT_ENTRY.IP, ip)
        .set(AUDIT_ENTRY.ENTITY_ID, entityId)
        .set(AUDIT_ENTRY.BEFORE_JSON, beforeJson)
        .set(AUDIT_ENTRY.AFTER_JSON, afterJson)
        .where(AUDIT_ENTRY.ID.eq(id))
        .execute();
  }

  /** Entries made before {@code before} whose full address is still kept, oldest first. */
  List<AuditLog.Entry> addressesDue(OffsetDateTime before, int limit) {
    return dsl.selectFrom(AUDIT_ENTRY).where(AUDIT_ENTRY.AT.lt(before)).and(AUDIT_ENTRY.IP_NONCE.isNotNull())
        .orderBy(AUDIT_ENTRY.AT).limit(limit).fetch(AuditStore::entry);
  }

  /** Keeps only the address's network; the nonce goes, so the commitment can no longer be opened. */
  void cutAddress(long id, String network) {
    dsl.update(AUDIT_ENTRY).set(AUDIT_ENTRY.IP, network).set(AUDIT_ENTRY.IP_NONCE, (String) null)
        .where(AUDIT_ENTRY.ID.eq(id)).and(AUDIT_ENTRY.IP_NONCE.isNotNull()).execute();
  }

  /** The oldest unchained entries, in id order. */
  List<AuditLog.Entry> unchained(int limit) {
    return dsl.selectFrom(AUDIT_ENTRY).where(AUDIT_ENTRY.CHAIN_SEQ.isNull()).orderBy(AUDIT_ENTRY.ID).limit(limit)
        .fetch(AuditStore::entry);
  }

  void setChain(long id, long seq, String prevHash, String hash) {
    dsl.update(AUDIT_ENTRY).set(AUDIT_ENTRY.CHAIN_SEQ, seq).set(AUDIT_ENTRY.PREV_HASH, prevHash).set(AUDIT_ENTRY.HASH, hash)
        .where(AUDIT_ENTRY.ID.eq(id)).execute();
  }

  /** A chained entry with its previous hash, as the verifier reads it. */
  record Chained(AuditLog.Entry entry, String prevHash) {}

  /** Chained entries after {@code afterSeq}, in chain order. */
  List<Chained> chainedAfter(long afterSeq, int limit) {
    return dsl.selectFrom(AUDIT_ENTRY).where(AUDIT_ENTRY.CHAIN_SEQ.gt(afterSeq)).orderBy(AUDIT_ENTRY.CHAIN_SEQ)
        .limit(limit).fetch(r -> new Chained(entry(r), r.getPrevHash()));
  }

  /** The newest entries matching the filters (all optional), newest first; {@code actions} any of these names. */
  List<AuditLog.Entry> query(Optional<String> actor, Optional<List<String>> actions, Optional<String> entityType,
      Optional<String> entityId, Optional<OffsetDateTime> from, Optional<OffsetDateTime> until, Optional<Long> beforeId,
      int limit) {
    Condition condition = DSL.noCondition();
    if (from.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.AT.ge(from.get()));
    }
    if (until.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.AT.lt(until.get()));
    }
    if (actor.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.ACTOR.eq(actor.get()));
    }
    if (actions.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.ACTION.in(actions.get()));
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
    return dsl.selectFrom(AUDIT_ENTRY).where(condition).orderBy(AUDIT_ENTRY.ID.desc()).limit(limit).fetch(AuditStore::entry);
  }

  private static AuditLog.Entry entry(AuditEntryRecord e) {
    return new AuditLog.Entry(e.getId(), e.getAt(), e.getActor(), e.getIp(), e.getRequestId(), e.getAction(),
        e.getEntityType(), e.getEntityId(), e.getBeforeJson(), e.getAfterJson(), e.getChainSeq(), e.getHash(),
        e.getIpCommit(), e.getIpNonce());
  }
}
