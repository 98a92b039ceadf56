package io.tracetrack.hub.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tracetrack.hub.auth.Actor;
import io.tracetrack.hub.db.HubDatabase;
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
    new AuditStore(tx).insert(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), actor.username(), actor.ip(),
        actor.requestId(), action.name(), action.entity().name(), entityId, snapshot(before), snapshot(after));
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
    AuditStore store = new AuditStore(tx);
    store.lockHead();
    int chained = store.countChainedNaming(username);
    List<Entry> open = store.unchainedNaming(username);
    for (Entry e : open) {
      boolean theirs = username.equals(e.actor());
      store.rewrite(e.id(), theirs ? pseudonym : e.actor(), theirs ? null : e.ip(),
          username.equals(e.entityId()) ? pseudonym : e.entityId(), replaceName(e.before(), username, pseudonym),
          replaceName(e.after(), username, pseudonym));
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
        AuditStore store = new AuditStore(tx);
        AuditStore.Head head = store.lockHead();
        List<Entry> pending = store.unchained(CHAIN_BATCH);
        long seq = head.lastSeq();
        String prev = head.lastHash();
        for (Entry e : pending) {
          seq++;
          String hash = hash(prev, seq, e);
          store.setChain(e.id(), seq, prev, hash);
          prev = hash;
        }
        store.setHead(seq, prev);
        return pending.size();
      });
      total += chained;
      if (chained < CHAIN_BATCH) {
        return total;
      }
    }
  }

  /**
   * Cuts the client addresses of entries made before {@code before} to their networks
   * ({@code --audit-address-days}), dropping the nonce that tied the full address to its
   * commitment. The chain stays verifiable: it covers the network and the commitment, which stay.
   * Entries from before commitments existed keep their address (cutting it would break the chain).
   *
   * @return how many entries were cut
   */
  public int cutAddresses(OffsetDateTime before) {
    int total = 0;
    while (true) {
      int cut = db.transaction(tx -> {
        AuditStore store = new AuditStore(tx);
        List<Entry> due = store.addressesDue(before, CHAIN_BATCH);
        for (Entry e : due) {
          store.cutAddress(e.id(), Addresses.network(e.ip()));
        }
        return due.size();
      });
      total += cut;
      if (cut < CHAIN_BATCH) {
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
    long after = 0L;
    AuditStore store = new AuditStore(db.dsl());
    while (true) {
      List<AuditStore.Chained> batch = store.chainedAfter(after, CHAIN_BATCH);
      for (AuditStore.Chained c : batch) {
        Entry e = c.entry();
        if (e.chainSeq() != expectedSeq) {
          return new Verification(false, checked, expectedSeq, "entry " + expectedSeq + " of the chain is missing");
        }
        if (!prev.equals(c.prevHash()) || !hash(prev, e.chainSeq(), e).equals(e.hash())) {
          return new Verification(false, checked, e.chainSeq(), "entry " + e.chainSeq() + " (id " + e.id() + ") was changed");
        }
        // a full address still kept must be the one committed to
        if (e.ipNonce() != null && (e.ip() == null || !Addresses.commit(e.ip(), e.ipNonce()).equals(e.ipCommit()))) {
          return new Verification(false, checked, e.chainSeq(), "entry " + e.chainSeq() + " (id " + e.id()
              + ") had its client address changed");
        }
        prev = e.hash();
        expectedSeq++;
        checked++;
        after = e.chainSeq();
      }
      if (batch.size() < CHAIN_BATCH) {
        break;
      }
    }
    String head = store.headHash();
    if (!prev.equals(head)) {
      return new Verification(false, checked, expectedSeq, "the chain ends before its recorded head: entries were removed");
    }
    return new Verification(true, checked, null, null);
  }

  static String hash(String prev, long seq, Entry e) {
    // an entry with a commitment hashes its address's network and the commitment (both survive the
    // cut); one without (written before there were commitments, or with no address) the address
    String address = e.ipCommit() == null ? nz(e.ip())
        : "n:" + Addresses.network(e.ip()) + "\u001ec:" + e.ipCommit();
    String canonical = String.join("\u001f", prev, Long.toString(seq), Long.toString(e.id()),
        e.at().toInstant().toString(), nz(e.actor()), address, nz(e.requestId()), e.action(),
        e.entityType(), nz(e.entityId()), nz(e.before()), nz(e.after()));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("every JDK has SHA-256", ex);
    }
  }

  private static String nz(String s) {
    return s == null ? "\u0000" : s;
  }

  /**
   * One entry as the API shows it. {@code ip} is the client's address while it is kept, then its
   * network ({@code 203.0.113.0/24}); the commitment and nonce behind it stay in the database.
   */
  public record Entry(long id, OffsetDateTime at, String actor, String ip, String requestId, String action,
      String entityType, String entityId, String before, String after, Long chainSeq, String hash,
      @JsonIgnore String ipCommit, @JsonIgnore String ipNonce) {}

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
    // an action matches the entries recorded under its former names too
    Optional<List<String>> actions = action.map(a -> {
      List<String> names = new java.util.ArrayList<>(a.formerly());
      names.add(a.name());
      return names;
    });
    return new AuditStore(db.dsl()).query(actor, actions, entityType.map(AuditEntity::name), entityId, from, until,
        beforeId, limit);
  }
}
