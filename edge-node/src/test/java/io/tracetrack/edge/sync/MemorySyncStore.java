package io.tracetrack.edge.sync;

import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.Hlc;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.SnapshotLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link SyncStore} in memory: it stands in for the SQLite store being built in parallel (the
 * {@code replica} branch), so the worker, the client and the command can be tested on their own.
 * It keeps what a real store keeps, only simpler: an outbox, the answered seq, a cursor, the
 * changes taken, conflicts. Thread-safe, since the worker's two loops call it at once.
 */
public final class MemorySyncStore implements SyncStore {

  public final String edgeId;
  public final String dock;
  private final TreeMap<Long, OpEnvelope> outbox = new TreeMap<>();
  private final Map<Long, Instant> madeAt = new LinkedHashMap<>();
  private final Map<Long, LocalConflict> conflicts = new LinkedHashMap<>();
  final List<ChangeEntry> applied = new ArrayList<>();
  final List<SnapshotLine> loaded = new ArrayList<>();
  final List<PushReply> replies = new ArrayList<>();
  private long answered;
  private long cursor;
  private boolean needsSnapshot;
  private boolean online;
  private Instant lastSyncAt;
  private String lastError;
  private long nextSeq = 1;
  private int batchAsks;

  public MemorySyncStore(String edgeId, String dock, boolean needsSnapshot) {
    this.edgeId = edgeId;
    this.dock = dock;
    this.needsSnapshot = needsSnapshot;
  }

  /** A scan's op: a child linked to a parent. */
  public synchronized long addLink(String parent, String child, Instant at) {
    long seq = nextSeq++;
    outbox.put(seq, new OpEnvelope(new OpId(edgeId, seq), new Hlc(at.toEpochMilli(), 0), "asha", dock, "s1",
        new Op.Link(parent, child)));
    madeAt.put(seq, at);
    return seq;
  }

  /** A conflict the hub sent (as a pull would record it). */
  public synchronized void addConflict(LocalConflict c) {
    conflicts.put(c.id(), c);
  }

  /** How often the worker asked for a batch (it asks once more after the last one, finding none). */
  public synchronized int batchAsks() {
    return batchAsks;
  }

  public synchronized long answered() {
    return answered;
  }

  synchronized long cursor() {
    return cursor;
  }

  @Override
  public synchronized Optional<PushBatch> nextBatch(int max, String version) {
    return nextBatch(0, max, version);
  }

  @Override
  public synchronized Optional<PushBatch> nextBatch(long afterSeq, int max, String version) {
    batchAsks++;
    long from = Math.max(answered, afterSeq);
    List<OpEnvelope> ops = outbox.tailMap(from, false).values().stream().limit(max).toList();
    if (ops.isEmpty()) {
      return Optional.empty();
    }
    long first = ops.getFirst().id().seq();
    return Optional.of(new PushBatch(edgeId, dock, ops.getLast().hlc(), outbox.tailMap(from, false).size(),
        madeAt.get(first).toEpochMilli(), version, ops));
  }

  @Override
  public synchronized PushCounts recordReply(PushBatch sent, PushReply reply) {
    replies.add(reply);
    int applied = 0;
    int duplicates = 0;
    int rejected = 0;
    int held = 0;
    for (OpOutcome o : reply.outcomes()) {
      switch (o.status()) {
        case APPLIED -> applied++;
        case DUPLICATE -> duplicates++;
        case HELD -> held++;
        case REJECTED -> {
          rejected++;
          OpEnvelope op = outbox.get(o.seq());
          Op.Link link = op != null && op.op() instanceof Op.Link l ? l : null;
          long id = o.conflictId() == null ? -o.seq() : o.conflictId();
          conflicts.put(id, new LocalConflict(id, o.seq(), o.code(), o.message(), "link",
              link == null ? null : link.parent(), link == null ? null : link.child(), null, null, "asha", "s1",
              reply.hubTime(), null, null, null, null, null, null));
        }
      }
    }
    answered = Math.max(answered, reply.lastSeq());
    outbox.headMap(answered, true).clear();
    return new PushCounts(sent.ops().size(), applied, duplicates, rejected, held);
  }

  @Override
  public synchronized long pullCursor() {
    return cursor;
  }

  @Override
  public synchronized boolean needsSnapshot() {
    return needsSnapshot;
  }

  @Override
  public synchronized void requireSnapshot() {
    needsSnapshot = true;
  }

  @Override
  public synchronized int applyPage(ChangePage page) {
    applied.addAll(page.entries());
    cursor = Math.max(cursor, page.next());
    return page.entries().size();
  }

  @Override
  public SnapshotLoader snapshotLoader() {
    List<SnapshotLine> taken = new ArrayList<>();
    long[] total = {0};
    return new SnapshotLoader() {
      @Override
      public void accept(SnapshotLine line) {
        if (line instanceof SnapshotLine.Begin b) {
          total[0] = b.bags() + b.users() + b.conflicts();
        }
        taken.add(line);
      }

      @Override
      public Progress progress() {
        long rows = taken.stream().filter(l -> !(l instanceof SnapshotLine.Begin) && !(l instanceof SnapshotLine.End)).count();
        return new Progress(rows, total[0]);
      }

      @Override
      public void finish() {
        if (taken.isEmpty() || !(taken.getLast() instanceof SnapshotLine.End end)) {
          throw new IllegalStateException("the snapshot has no End line");
        }
        synchronized (MemorySyncStore.this) {
          loaded.clear();
          loaded.addAll(taken);
          cursor = end.cursor();
          needsSnapshot = false;
        }
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public synchronized void recordAttempt(boolean online, Instant at, String error) {
    this.online = online;
    if (online) {
      lastSyncAt = at;
    }
    lastError = error;
  }

  private PullError pullError;
  private long pullErrors;

  @Override
  public synchronized void recordPullError(long position, String reason) {
    pullError = new PullError(position, reason);
    pullErrors++;
    needsSnapshot = true;
  }

  @Override
  public synchronized SyncStatus status(Instant now) {
    Long oldest = outbox.isEmpty() ? null : now.toEpochMilli() - madeAt.get(outbox.firstKey()).toEpochMilli();
    int open = (int) conflicts.values().stream().filter(c -> c.acknowledgedAt() == null).count();
    return new SyncStatus("http://hub.test", online, lastSyncAt, outbox.size(), oldest, open, lastError, pullError,
        pullErrors, null, null);
  }

  @Override
  public synchronized List<LocalConflict> conflicts(boolean openOnly, int max) {
    return conflicts.values().stream().filter(c -> !openOnly || c.acknowledgedAt() == null)
        .sorted(Comparator.comparing(LocalConflict::id).reversed()).limit(max).toList();
  }

  @Override
  public synchronized boolean acknowledge(long conflictId, String user, Instant at) {
    LocalConflict c = conflicts.get(conflictId);
    if (c == null || c.acknowledgedAt() != null) {
      return false;
    }
    conflicts.put(conflictId, new LocalConflict(c.id(), c.seq(), c.code(), c.message(), c.opType(), c.parent(), c.child(),
        c.otherParent(), c.otherDock(), c.actor(), c.station(), c.hubAt(), c.resolution(), c.resolvedBy(), c.resolvedAt(), c.childNowOn(), at, user));
    return true;
  }

  private final java.util.Set<Long> acksSent = new java.util.HashSet<>();

  @Override
  public synchronized List<Long> unsentAcks(int max) {
    return conflicts.values().stream().filter(c -> c.acknowledgedAt() != null && !acksSent.contains(c.id()))
        .map(LocalConflict::id).sorted().limit(max).toList();
  }

  @Override
  public synchronized void ackSent(long conflictId) {
    acksSent.add(conflictId);
  }

  /** Receipts closed at the dock, by key, and the hub's word on each (null while unsent). */
  final java.util.Map<String, io.tracetrack.sync.ReceiptReport> receipts = new java.util.LinkedHashMap<>();
  final java.util.Map<String, String> receiptAnswers = new java.util.HashMap<>();

  @Override
  public synchronized List<io.tracetrack.sync.ReceiptReport> unsentReceipts(int max) {
    return receipts.values().stream().filter(r -> !receiptAnswers.containsKey(r.key())).limit(max).toList();
  }

  @Override
  public synchronized void receiptAnswered(String key, Long hubId, String refusal) {
    receiptAnswers.put(key, refusal == null ? "taken as " + hubId : refusal);
  }
}
