package io.tracetrack.sync.sim;

import io.tracetrack.model.ErrorCode;
import java.util.List;

/**
 * What travels between a dock and the hub: the HTTP calls of the sync contract and their answers.
 * Bodies are the exact wire text ({@link io.tracetrack.sync.WireCodec}), so every message the
 * simulator delivers has been encoded and is decoded by the receiver. {@code request} pairs an
 * answer with the call it answers; a dock ignores an answer to a call it no longer waits for (it
 * timed out, or crashed since), as an HTTP client would.
 */
sealed interface Message {

  String dock();

  long request();

  /** Travels towards the hub. */
  default boolean toHub() {
    return this instanceof Push || this instanceof Pull || this instanceof SnapshotCall;
  }

  /** {@code POST /api/v1/sync/push}, body = {@code WireCodec.encode(PushBatch)}. */
  record Push(String dock, long request, String body) implements Message {}

  /** {@code GET /api/v1/sync/changes?after=&limit=}. */
  record Pull(String dock, long request, long after, int limit) implements Message {}

  /** {@code GET /api/v1/sync/snapshot}. */
  record SnapshotCall(String dock, long request) implements Message {}

  /** 200 to a push: {@code WireCodec.encode(PushReply)}. */
  record PushAnswer(String dock, long request, String body) implements Message {}

  /** 200 to a pull: {@code WireCodec.encode(ChangePage)}. */
  record PageAnswer(String dock, long request, String body) implements Message {}

  /** 200 to a snapshot: NDJSON lines; a stream cut short arrives without its end line. */
  record SnapshotAnswer(String dock, long request, List<String> lines) implements Message {}

  /** A problem+json answer (410 SNAPSHOT_REQUIRED, 403 FORBIDDEN, 400 ...). */
  record Refused(String dock, long request, ErrorCode code) implements Message {}
}
