package io.tracetrack.sim;

import io.tracetrack.hub.sync.ChangeFeed;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.hub.sync.Docks;
import io.tracetrack.hub.sync.Ingest;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.sync.CodecException;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.WireCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The hub's side of the simulated network: what {@code SyncRoutes} and {@code DockAuth} do with a
 * request's text, calling the hub's own objects (whichever {@link SimHub} objects are current, so a
 * hub restart takes effect at the next request). Requests and answers are wire text, encoded and
 * decoded with the product's {@link WireCodec}. A push's outcomes are also reported to the
 * simulation's oracle ({@link Oracle}): the hub's own word on which op it took, before the network
 * may lose the reply.
 */
final class HubEndpoint {

  /** An HTTP answer in short: the status, and the body (a problem's code and detail for a 4xx). */
  record Answer(int status, String body, String code, String detail) {
    static Answer ok(String body) {
      return new Answer(200, body, null, null);
    }

    static Answer problem(int status, ErrorCode code, String detail) {
      return new Answer(status, null, code.name(), detail);
    }
  }

  /** Told of every op the hub took (APPLIED or REJECTED): the edge that pushed it and its fingerprint. */
  interface Oracle {
    void took(String edgeId, long seq, String fingerprint, OpOutcome outcome);
  }

  /** One mapper for every hello (thread-safe once configured; making one per call cost more than the answer). */
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private final WireCodec wire = new WireCodec();
  private final Supplier<SimHub> hub;
  private final Oracle oracle;

  HubEndpoint(Supplier<SimHub> hub, Oracle oracle) {
    this.hub = hub;
    this.oracle = oracle;
  }

  private sealed interface Auth {
    record Ok(Docks.Device.Known device) implements Auth {}

    record No(Answer answer) implements Auth {}
  }

  private Auth auth(String credential, String edgeHeader) {
    return switch (hub.get().docks.device(credential)) {
      case Docks.Device.Known k when !k.edgeId().equals(edgeHeader) -> new Auth.No(Answer.problem(403, ErrorCode.FORBIDDEN,
          "this credential was issued to another edge node of dock " + k.dock()));
      case Docks.Device.Known k -> new Auth.Ok(k);
      case Docks.Device.Revoked r -> new Auth.No(Answer.problem(401, ErrorCode.DOCK_REVOKED, "dock " + r.dock() + " was revoked"));
      case Docks.Device.Unknown u -> new Auth.No(Answer.problem(401, ErrorCode.UNAUTHENTICATED, "a valid dock credential is required"));
    };
  }

  /** {@code POST /api/v1/sync/push}. */
  Answer push(String credential, String edgeHeader, String body) {
    if (!(auth(credential, edgeHeader) instanceof Auth.Ok(Docks.Device.Known device))) {
      return ((Auth.No) auth(credential, edgeHeader)).answer();
    }
    PushBatch batch;
    try {
      batch = wire.decodePush(body);
    } catch (CodecException e) {
      return Answer.problem(e.code().status(), e.code(), e.getMessage());
    }
    return switch (hub.get().ingest.push(device, batch)) {
      case Ingest.Result.Done d -> {
        report(batch, d.reply());
        yield Answer.ok(wire.encode(d.reply()));
      }
      case Ingest.Result.Refused r -> Answer.problem(r.status(), r.code(), r.message());
    };
  }

  private void report(PushBatch batch, PushReply reply) {
    Map<Long, OpEnvelope> bySeq = new HashMap<>();
    batch.ops().forEach(op -> bySeq.put(op.id().seq(), op));
    for (OpOutcome o : reply.outcomes()) {
      // SEQ_REUSED is no verdict on the op: the dock renumbers it and sends it again
      boolean verdict = o.status() == OpOutcome.Status.APPLIED
          || o.status() == OpOutcome.Status.REJECTED && !ErrorCode.SEQ_REUSED.name().equals(o.code());
      if (verdict) {
        OpEnvelope op = bySeq.get(o.seq());
        if (op != null) {
          oracle.took(batch.edgeId(), o.seq(), op.fingerprint(), o);
        }
      }
    }
  }

  /** {@code GET /api/v1/sync/changes} (never waits: the simulation has no time to wait in). */
  Answer changes(String credential, String edgeHeader, long after, int limit) {
    if (!(auth(credential, edgeHeader) instanceof Auth.Ok(Docks.Device.Known device))) {
      return ((Auth.No) auth(credential, edgeHeader)).answer();
    }
    ChangeFeed.Result result;
    try {
      result = hub.get().feed.changes(after, Math.min(limit, ChangeLog.MAX_PAGE), 0,
          new ChangeLog.Audience(device.dock(), device.area()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return switch (result) {
      case ChangeFeed.Result.Page p -> Answer.ok(p.wire());
      case ChangeFeed.Result.SnapshotRequired s -> Answer.problem(410, ErrorCode.SNAPSHOT_REQUIRED,
          "this hub no longer holds the changes after " + after + " (it holds " + s.oldest() + ".." + s.head() + ")");
    };
  }

  /** {@code GET /api/v1/sync/snapshot}: the whole NDJSON text. */
  Answer snapshot(String credential, String edgeHeader) {
    if (!(auth(credential, edgeHeader) instanceof Auth.Ok(Docks.Device.Known device))) {
      return ((Auth.No) auth(credential, edgeHeader)).answer();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    hub.get().snapshots.write(new ChangeLog.Audience(device.dock(), device.area()), out);
    return Answer.ok(out.toString(StandardCharsets.UTF_8));
  }

  /** {@code POST /api/v1/sync/conflicts/{id}/ack}. */
  /** {@code GET /api/v1/sync/hello}: the same fields as SyncRoutes answers. */
  Answer hello(String credential, String edgeHeader) {
    if (!(auth(credential, edgeHeader) instanceof Auth.Ok(Docks.Device.Known device))) {
      return ((Auth.No) auth(credential, edgeHeader)).answer();
    }
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("dock", device.dock());
    out.put("area", device.area());
    out.put("edgeId", device.edgeId());
    out.put("lastSeq", hub.get().ingest.seen(device));
    try {
      return new Answer(200, JSON.writeValueAsString(out), null, null);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a map of strings and a number always serializes", e);
    }
  }

  Answer ack(String credential, String edgeHeader, long id) {
    if (!(auth(credential, edgeHeader) instanceof Auth.Ok(Docks.Device.Known device))) {
      return ((Auth.No) auth(credential, edgeHeader)).answer();
    }
    return hub.get().conflicts.acknowledge(device.dock(), id) ? new Answer(204, "", null, null)
        : Answer.problem(404, ErrorCode.CONFLICT_NOT_FOUND, "no conflict " + id);
  }
}
