package io.tracetrack.edge.archfixture;

import io.tracetrack.hub.archfixture.HubThing;

/** An edge class reaching into the hub. */
public final class EdgeIntoHub {
  String name() {
    return new HubThing().toString();
  }
}
