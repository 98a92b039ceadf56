package io.tracetrack.edge.sync;

import io.tracetrack.sync.OpCodec;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.web.Store;
import java.util.ArrayList;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jooq.DSLContext;

/**
 * This dock's ops the replica does not hold yet, decoded once and indexed by the bags they touch:
 * every rebase asks "which pending ops touch these codes", and decoding the outbox afresh for each
 * page of a long catch-up would cost more than the page. Outbox rows are never updated, so a row
 * once read stays true; only rows above the highest one read are fetched again. Used only inside
 * the sync store's write transactions.
 *
 * <p>A store: a read cache over the outbox, which it reads and indexes and nothing else (what an op
 * touches is {@link TouchedBags}'; what to rebase is the sync store's call).
 */
@Store
final class PendingOps {

  /** A pending op and when it was scanned. */
  record Pending(OpEnvelope envelope, long createdAt) {
    long seq() {
      return envelope.id().seq();
    }

    List<String> codes() {
      return TouchedBags.of(envelope.op());
    }
  }

  private final OpCodec codec = new OpCodec();
  private final NavigableMap<Long, Pending> bySeq = new TreeMap<>();
  private final NavigableMap<String, List<Pending>> byCode = new TreeMap<>();
  private long readUpTo = -1;
  private long floorSeen = -1;

  /** Brings the cache up to the outbox's end and forgets ops at or below {@code floor}. */
  synchronized void refresh(DSLContext dsl, long floor) {
    if (readUpTo < floor || floor < floorSeen) {
      // moved past everything read, or back below what was forgotten (the hub said less): read anew
      clear();
      readUpTo = floor;
    }
    floorSeen = floor;
    dsl.fetch("select seq, op_json, created_at from outbox where seq > ? order by seq", readUpTo).forEach(r -> {
      OpEnvelope envelope = codec.decode(r.get(1, String.class));
      Pending p = new Pending(envelope, r.get(2, Long.class));
      bySeq.put(p.seq(), p);
      for (String code : p.codes()) {
        byCode.computeIfAbsent(code, c -> new ArrayList<>(2)).add(p);
      }
      readUpTo = Math.max(readUpTo, p.seq());
    });
    if (!bySeq.isEmpty() && bySeq.firstKey() <= floor) {
      NavigableMap<Long, Pending> gone = bySeq.headMap(floor, true);
      for (Pending p : gone.values()) {
        for (String code : p.codes()) {
          List<Pending> list = byCode.get(code);
          if (list != null) {
            list.remove(p);
            if (list.isEmpty()) {
              byCode.remove(code);
            }
          }
        }
      }
      gone.clear();
    }
  }

  /** True when no op is pending: a rebase then needs no replay at all. */
  synchronized boolean isEmpty() {
    return bySeq.isEmpty();
  }

  synchronized List<Pending> touching(String code) {
    return byCode.getOrDefault(code, List.of());
  }

  /** The codes pending ops touch in the key range ({@code after}, {@code upTo}]. */
  synchronized NavigableSet<String> codesIn(String after, String upTo) {
    return new TreeSet<>(byCode.subMap(after, false, upTo, true).keySet());
  }

  /** Forgets everything: the next refresh reads the outbox again (after a rollback of unknown extent, say). */
  synchronized void clear() {
    bySeq.clear();
    byCode.clear();
    readUpTo = -1;
    floorSeen = -1;
  }
}
