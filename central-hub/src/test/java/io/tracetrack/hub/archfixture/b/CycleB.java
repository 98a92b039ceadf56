package io.tracetrack.hub.archfixture.b;

import io.tracetrack.hub.archfixture.a.CycleA;

/** Uses {@link CycleA}, which uses this: a package cycle. */
public final class CycleB {
  public CycleA other() {
    return new CycleA();
  }
}
