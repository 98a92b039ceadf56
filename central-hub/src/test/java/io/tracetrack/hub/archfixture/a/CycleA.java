package io.tracetrack.hub.archfixture.a;

import io.tracetrack.hub.archfixture.b.CycleB;

/** Uses {@link CycleB}, which uses this: a package cycle. */
public final class CycleA {
  public CycleB other() {
    return new CycleB();
  }
}
