package io.tracetrack.edge.archfixture;

/** Stands in for an edge class in the hub's tests: the hub has no edge classes to reach for. */
public final class EdgeThing {}
