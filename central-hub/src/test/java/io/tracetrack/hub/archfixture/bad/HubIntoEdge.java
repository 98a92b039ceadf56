package io.tracetrack.hub.archfixture.bad;

import io.tracetrack.edge.archfixture.EdgeThing;

/** A hub class reaching into the edge. */
public final class HubIntoEdge {
  String name() {
    return new EdgeThing().toString();
  }
}
