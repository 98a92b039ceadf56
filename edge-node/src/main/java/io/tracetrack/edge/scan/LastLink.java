package io.tracetrack.edge.scan;

/** The most recent link a station made that still stands: what UNDO would remove. */
public record LastLink(String child, String parent, long linkedAt) {}
