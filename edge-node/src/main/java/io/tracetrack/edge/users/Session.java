package io.tracetrack.edge.users;

/** A signed-in user at a station. */
public record Session(String station, String user, long expiresAt) {}
