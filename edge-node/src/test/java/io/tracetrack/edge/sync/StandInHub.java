package io.tracetrack.edge.sync;

import io.tracetrack.model.ErrorCode;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The hub's answers to one dock, as the hub's side of the contract gives them, in memory: each
 * {@code (edge, seq)} kept with its op's fingerprint, so a resent op with the same fingerprint is
 * DUPLICATE and a different op under a used seq is {@code SEQ_REUSED} (and every later op of that
 * batch HELD); a gap in seq is HELD; {@code hello} tells the last seq held. A body over
 * {@link #byteLimit} is answered 413, as the hub's body limit would. It keeps no change log: its
 * pages are empty and its snapshot holds nothing.
 */
class StandInHub implements HubApi {

  private final WireCodec codec = new WireCodec();
  /** seq -> fingerprint of the op the hub holds under it. */
  final Map<Long, String> held = new TreeMap<>();
  /** Every op the hub applied, in the order it applied them. */
  final List<OpEnvelope> applied = new ArrayList<>();
  /** Every push body's size and whether it was refused 413, in order. */
  final List<String> bodies = new ArrayList<>();
  final List<Integer> statuses = new ArrayList<>();
  volatile int byteLimit = Integer.MAX_VALUE;
  volatile String area;
  volatile boolean reachable = true;

  @Override
  public URI hub() {
    return URI.create("http://stand-in.hub");
  }

  synchronized long lastSeq() {
    return held.isEmpty() ? 0 : ((TreeMap<Long, String>) held).lastKey();
  }

  @Override
  public synchronized Result<PushReply> push(PushBatch batch) {
    if (!reachable) {
      return new Result.Unreachable<>("partitioned");
    }
    String body = codec.encode(batch);
    bodies.add(body);
    if (body.getBytes(StandardCharsets.UTF_8).length > byteLimit) {
      statuses.add(413);
      return new Result.Refused<>(413, ErrorCode.BODY_TOO_LARGE.name(), "the body is over " + byteLimit + " bytes");
    }
    statuses.add(200);
    List<OpOutcome> outcomes = new ArrayList<>();
    boolean blocked = false;
    for (OpEnvelope op : batch.ops()) {
      long seq = op.id().seq();
      if (blocked) {
        outcomes.add(OpOutcome.held(seq, seq - 1));
        continue;
      }
      String known = held.get(seq);
      if (known != null && known.equals(op.fingerprint())) {
        outcomes.add(OpOutcome.duplicate(seq));
      } else if (known != null) {
        outcomes.add(OpOutcome.rejected(seq, ErrorCode.SEQ_REUSED, "seq " + seq + " holds another op", null));
        blocked = true;
      } else if (seq != lastSeq() + 1) {
        outcomes.add(OpOutcome.held(seq, lastSeq() + 1));
        blocked = true;
      } else {
        held.put(seq, op.fingerprint());
        applied.add(op);
        outcomes.add(OpOutcome.applied(seq));
      }
    }
    return new Result.Ok<>(new PushReply(lastSeq(), Instant.EPOCH, outcomes, null));
  }

  @Override
  public Result<Pulled> changes(long after, int limit, int waitMs) {
    return reachable ? new Result.Ok<>(new Pulled.Page(new ChangePage(List.of(), after, after)))
        : new Result.Unreachable<>("partitioned");
  }

  @Override
  public Result<Long> snapshot(Consumer<SnapshotLine> lines) {
    lines.accept(new SnapshotLine.Begin(0, 0, 0, 0));
    lines.accept(new SnapshotLine.End(0, 0));
    return new Result.Ok<>(2L);
  }

  @Override
  public Result<Long> ack(long conflictId) {
    return new Result.Ok<>(conflictId);
  }

  @Override
  public synchronized Result<Hello> hello() {
    return reachable ? new Result.Ok<>(new Hello("DOCK-T", area, null, Instant.EPOCH, lastSeq()))
        : new Result.Unreachable<>("partitioned");
  }

  /** How many ops the hub applied that do {@code what} (by the op's own text, e.g. "Link[parent=P1001-5, child=C3]"). */
  synchronized long appliedCount(String what) {
    return applied.stream().filter(op -> op.op().toString().contains(what)).count();
  }
}
