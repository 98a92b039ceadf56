package io.tracetrack.hub.audit;

import static io.tracetrack.hub.db.jooq.Tables.AUDIT_CHAIN_HEAD;
import static io.tracetrack.hub.db.jooq.Tables.AUDIT_ENTRY;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tracetrack.hub.auth.Actor;
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

  /**
   * Adds an entry in the caller's transaction, about the action's {@link AuditAction#entity() kind}
   * of thing; {@code before}/{@code after} are snapshots (any JSON-able value).
   */
  public void record(DSLContext tx, Actor actor, AuditAction action, String entityId, Object before, Object after) {
    tx.insertInto(AUDIT_ENTRY)
        .set(AUDIT_ENTRY.AT, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
        .set(AUDIT_ENTRY.ACTOR, actor.username())
        .set(AUDIT_ENTRY.IP, actor.ip())
        .set(AUDIT_ENTRY.REQUEST_ID, actor.requestId())
        .set(AUDIT_ENTRY.ACTION, action.name())
        .set(AUDIT_ENTRY.ENTITY_TYPE, action.entity().name())
        .set(AUDIT_ENTRY.ENTITY_ID, entityId)
        .set(AUDIT_ENTRY.BEFORE_JSON, snapshot(before))
        .set(AUDIT_ENTRY.AFTER_JSON, snapshot(after))
        .execute();
  }

  /** What {@link #pseudonymise} did: entries rewritten, and entries already chained (left as they are). */
  public record Pseudonymised(int rewritten, int chainedKept) {}

  /**
   * Replaces a deleted person's user name with {@code pseudonym} in every entry that is not chained
   * yet: actor, entity id, and any JSON string in the snapshots equal to the name; the address of
   * their own requests is dropped. Runs in the deleting transaction.
   *
   * <p>Chained entries are left exactly as they are. Their hash covers the name, and rewriting them
   * would either break {@link #verify} or need the chain re-hashed from that point, which would let
   * anyone with database access rewrite history undetected: tamper evidence wins over erasure for
   * those entries, and the count of them is reported so the deletion's own entry can say so.
   *
   * <p>The chain head row is locked first: {@link #chain} takes the same lock before it reads
   * unchained entries, so an entry can never be hashed in its old form and then rewritten.
   */
  public Pseudonymised pseudonymise(DSLContext tx, String username, String pseudonym) {
    tx.selectFrom(AUDIT_CHAIN_HEAD).where(AUDIT_CHAIN_HEAD.ID.eq(1)).forUpdate().fetchSingle();
    var names = AUDIT_ENTRY.ACTOR.eq(username).or(AUDIT_ENTRY.ENTITY_ID.eq(username))
        .or(AUDIT_ENTRY.BEFORE_JSON.contains("\"" + username + "\"")).or(AUDIT_ENTRY.AFTER_JSON.contains("\"" + username + "\""));
    int chained = tx.fetchCount(AUDIT_ENTRY, AUDIT_ENTRY.CHAIN_SEQ.isNotNull().and(names));
    List<AuditEntryRecord> open = tx.selectFrom(AUDIT_ENTRY).where(AUDIT_ENTRY.CHAIN_SEQ.isNull().and(names)).fetch();
    for (AuditEntryRecord e : open) {
      boolean theirs = username.equals(e.getActor());
      tx.update(AUDIT_ENTRY)
          .set(AUDIT_ENTRY.ACTOR, theirs ? pseudonym : e.getActor())
          .set(AUDIT_ENTRY.IP, theirs ? null : e.getIp())
          .set(AUDIT_ENTRY.ENTITY_ID, username.equals(e.getEntityId()) ? pseudonym : e.getEntityId())
          .set(AUDIT_ENTRY.BEFORE_JSON, replaceName(e.getBeforeJson(), username, pseudonym))
          .set(AUDIT_ENTRY.AFTER_JSON, replaceName(e.getAfterJson(), username, pseudonym))
          .where(AUDIT_ENTRY.ID.eq(e.getId()))
          .execute();
    }
    return new Pseudonymised(open.size(), chained);
  }

  /** Every JSON string exactly equal to the name, anywhere in the snapshot. */
  private static String replaceName(String json, String username, String pseudonym) {
    if (json == null) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(json);
      return JSON.writeValueAsString(replaceIn(tree, username, pseudonym));
    } catch (JsonProcessingException e) {
      // a snapshot cut at MAX_SNAPSHOT is not valid JSON any more: replace the quoted name as text
      return json.replace("\"" + username + "\"", "\"" + pseudonym + "\"");
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode replaceIn(com.fasterxml.jackson.databind.JsonNode node,
      String username, String pseudonym) {
    if (node.isTextual()) {
      return username.equals(node.textValue()) ? JSON.getNodeFactory().textNode(pseudonym) : node;
    }
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
      object.properties().forEach(field -> field.setValue(replaceIn(field.getValue(), username, pseudonym)));
    } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, replaceIn(array.get(i), username, pseudonym));
      }
    }
    return node;
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

  /** One entry as the API shows it. */
  public record Entry(long id, OffsetDateTime at, String actor, String ip, String requestId, String action,
      String entityType, String entityId, String before, String after, Long chainSeq, String hash) {}

  /**
   * The newest entries matching the filters (all optional), newest first, at most {@code limit}. An
   * action matches the entries recorded under its {@link AuditAction#formerly() former names} too.
   */
  public List<Entry> query(Optional<String> actor, Optional<AuditAction> action, Optional<AuditEntity> entityType,
      Optional<String> entityId, Optional<Long> beforeId, int limit) {
    return query(actor, action, entityType, entityId, Optional.empty(), Optional.empty(), beforeId, limit);
  }

  /** As above, and only entries at or after {@code from} and before {@code until} (either may be open). */
  public List<Entry> query(Optional<String> actor, Optional<AuditAction> action, Optional<AuditEntity> entityType,
      Optional<String> entityId, Optional<OffsetDateTime> from, Optional<OffsetDateTime> until, Optional<Long> beforeId,
      int limit) {
    var condition = org.jooq.impl.DSL.noCondition();
    if (from.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.AT.ge(from.get()));
    }
    if (until.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.AT.lt(until.get()));
    }
    if (actor.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.ACTOR.eq(actor.get()));
    }
    if (action.isPresent()) {
      List<String> names = new java.util.ArrayList<>(action.get().formerly());
      names.add(action.get().name());
      condition = condition.and(AUDIT_ENTRY.ACTION.in(names));
    }
    if (entityType.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.ENTITY_TYPE.eq(entityType.get().name()));
    }
    if (entityId.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.ENTITY_ID.eq(entityId.get()));
    }
    if (beforeId.isPresent()) {
      condition = condition.and(AUDIT_ENTRY.ID.lt(beforeId.get()));
    }
    return db.dsl().selectFrom(AUDIT_ENTRY).where(condition).orderBy(AUDIT_ENTRY.ID.desc()).limit(limit)
        .fetch(e -> new Entry(e.getId(), e.getAt(), e.getActor(), e.getIp(), e.getRequestId(), e.getAction(),
            e.getEntityType(), e.getEntityId(), e.getBeforeJson(), e.getAfterJson(), e.getChainSeq(), e.getHash()));
  }
}
