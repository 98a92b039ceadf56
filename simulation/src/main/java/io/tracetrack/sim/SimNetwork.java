package io.tracetrack.sim;

import io.tracetrack.edge.sync.HubApi;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.sync.CodecException;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import java.net.URI;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One dock's {@link HubApi} over the simulated network: each call is encoded to wire text with the
 * product's {@link WireCodec}, then the seed decides its fate ({@link Policy}): cut off (partition),
 * request lost, reply lost after the hub acted, delivered twice (once more later, out of order),
 * or held back and delivered later while the dock's call times out. Answers are mapped as
 * {@code HubClient} maps HTTP answers: 200 decoded (undecodable text is no usable answer), a 4xx
 * with a problem code refused, anything else unreachable.
 */
final class SimNetwork implements HubApi {

  static final URI HUB = URI.create("sim://hub");

  /** What became of one request. */
  enum Fate { DELIVER, DROP_REQUEST, DROP_REPLY, DUPLICATE, DELAY }

  /** The seed's say over the network. */
  interface Policy {
    boolean cutOff(SimDock dock);

    Fate fate(SimDock dock, String call);

    /** Delivers {@code delivery} to the hub at a later step (its answer goes nowhere). */
    void later(SimDock dock, String call, Runnable delivery);

    /** A prune to run in the middle of this changes call, or null. */
    Runnable pruneUnderReader(SimDock dock);

    /** A fault of the simulation's counted (network faults are counted where they happen). */
    void count(FaultKind kind);

    /** The hub failed with an exception (an HTTP 500): the simulation keeps it in the trace. */
    void hubFailed(SimDock dock, String call, RuntimeException e);
  }

  private final WireCodec wire = new WireCodec();
  private final SimDock dock;
  private final HubEndpoint hub;
  private final Policy policy;

  SimNetwork(SimDock dock, HubEndpoint hub, Policy policy) {
    this.dock = dock;
    this.hub = hub;
    this.policy = policy;
  }

  @Override
  public URI hub() {
    return HUB;
  }

  @Override
  public Result<PushReply> push(PushBatch batch) {
    String body = wire.encode(batch);
    String credential = dock.credential;
    String edge = dock.edgeId;
    return call("push", () -> hub.push(credential, edge, body), wire::decodeReply);
  }

  @Override
  public Result<Pulled> changes(long after, int limit, int waitMs) {
    String credential = dock.credential;
    String edge = dock.edgeId;
    Runnable prune = policy.cutOff(dock) ? null : policy.pruneUnderReader(dock);
    Result<Pulled> result = call("changes", () -> {
      if (prune == null) {
        return hub.changes(credential, edge, after, limit);
      }
      HubEndpoint.Answer[] answer = new HubEndpoint.Answer[1];
      if (PruneTrigger.during(() -> answer[0] = hub.changes(credential, edge, after, limit), 2, prune)) {
        policy.count(FaultKind.PRUNE);
      }
      return answer[0];
    }, text -> new Pulled.Page(wire.decodePage(text)));
    if (result instanceof Result.Refused<Pulled>(int status, String code, String detail)
        && ErrorCode.SNAPSHOT_REQUIRED.name().equals(code)) {
      return new Result.Ok<>(new Pulled.SnapshotRequired(detail));
    }
    return result;
  }

  @Override
  public Result<Long> snapshot(Consumer<SnapshotLine> lines) {
    String credential = dock.credential;
    String edge = dock.edgeId;
    boolean[] cutShort = {false};
    Result<String> text = call("snapshot", () -> hub.snapshot(credential, edge), s -> s, cutShort);
    if (!(text instanceof Result.Ok<String>(String body))) {
      return switch (text) {
        case Result.Refused<String> r -> new Result.Refused<>(r.status(), r.code(), r.detail());
        case Result.Unreachable<String> u -> new Result.Unreachable<>(u.why());
        case Result.Ok<String> ok -> throw new IllegalStateException();
      };
    }
    String[] all = body.split("\n");
    // a reply lost on the way: the stream breaks off after some of its lines
    int upTo = cutShort[0] ? all.length / 2 : all.length;
    long taken = 0;
    boolean ended = false;
    for (int i = 0; i < upTo; i++) {
      if (all[i].isBlank()) {
        continue;
      }
      if (ended) {
        return new Result.Unreachable<>("the snapshot went on after its End line");
      }
      SnapshotLine line;
      try {
        line = wire.decodeSnapshotLine(all[i]);
      } catch (CodecException e) {
        return new Result.Unreachable<>("snapshot line " + (taken + 1) + " is not the hub's: " + e.getMessage());
      }
      lines.accept(line);
      taken++;
      ended = line instanceof SnapshotLine.End;
    }
    return ended ? new Result.Ok<>(taken) : new Result.Unreachable<>("the snapshot stopped short after " + taken + " lines");
  }

  @Override
  public Result<Hello> hello() {
    String credential = dock.credential;
    String edge = dock.edgeId;
    return call("hello", () -> hub.hello(credential, edge), io.tracetrack.edge.sync.HubClient::readHello);
  }

  @Override
  public Result<Long> ack(long conflictId) {
    String credential = dock.credential;
    String edge = dock.edgeId;
    return call("ack", () -> hub.ack(credential, edge, conflictId), text -> conflictId);
  }

  private <T> Result<T> call(String what, java.util.function.Supplier<HubEndpoint.Answer> send, Function<String, T> decode) {
    return call(what, send, decode, null);
  }

  private <T> Result<T> call(String what, java.util.function.Supplier<HubEndpoint.Answer> send, Function<String, T> decode,
      boolean[] cutShort) {
    if (policy.cutOff(dock)) {
      return new Result.Unreachable<>("ConnectException: partitioned");
    }
    HubEndpoint.Answer answer;
    switch (policy.fate(dock, what)) {
      case DROP_REQUEST -> {
        policy.count(FaultKind.DROP);
        return new Result.Unreachable<>("HttpTimeoutException: request lost");
      }
      case DELAY -> {
        policy.count(FaultKind.DELAY);
        policy.later(dock, what, () -> safely(what, send));
        return new Result.Unreachable<>("HttpTimeoutException: request held in the network");
      }
      case DUPLICATE -> {
        policy.count(FaultKind.DUPLICATE);
        policy.later(dock, what, () -> safely(what, send));
        answer = safely(what, send);
      }
      case DROP_REPLY -> {
        policy.count(FaultKind.DROP);
        answer = safely(what, send);
        if (cutShort == null || answer.status() != 200) {
          return new Result.Unreachable<>("IOException: reply lost");
        }
        cutShort[0] = true;
      }
      case DELIVER -> answer = safely(what, send);
      default -> throw new IllegalStateException();
    }
    int status = answer.status();
    if (status == 200 || status == 204) {
      try {
        return new Result.Ok<>(decode.apply(answer.body()));
      } catch (CodecException e) {
        return new Result.Unreachable<>("the hub's answer is not the sync protocol this dock speaks (" + e.code() + ": "
            + e.getMessage() + "); is " + HUB + " a TraceTrack hub?");
      }
    }
    if (status >= 400 && status < 500 && status != 429 && answer.code() != null) {
      return new Result.Refused<>(status, answer.code(), answer.detail() == null ? "" : answer.detail());
    }
    return new Result.Unreachable<>("the hub answered HTTP " + status);
  }

  private HubEndpoint.Answer safely(String what, java.util.function.Supplier<HubEndpoint.Answer> send) {
    try {
      return send.get();
    } catch (RuntimeException e) {
      policy.hubFailed(dock, what, e);
      return new HubEndpoint.Answer(500, null, null, null);
    }
  }
}
