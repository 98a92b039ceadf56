package io.tracetrack.edge.scan;

import io.tracetrack.sync.Hlc;

/** The edge's identity and counters, as stored in its single {@code edge_meta} row. */
public record EdgeMeta(String edgeId, String dock, long lastSeq, Hlc hlc, boolean usersFromHub) {}
