package io.tracetrack.hub.archfixture;

/** Stands in for a hub class in the edge's tests: the edge has no hub classes to reach for. */
public final class HubThing {}
