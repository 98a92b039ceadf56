package io.tracetrack.hub.users;

import java.time.OffsetDateTime;

/** A dispatch area, with how many of its dispatcher seats are taken. */
public record AreaView(String id, String name, int maxDispatchers, int dispatchers, OffsetDateTime createdAt) {}
