package io.tracetrack.hub.sync;

import java.time.OffsetDateTime;

/**
 * A dock as the fleet listing shows it. Never a code or a credential, not even their hashes.
 *
 * @param enrolled an edge holds a working credential (enrolled and not revoked since)
 * @param edgeId the edge node that last enrolled, or {@code null}
 * @param codeExpiresAt when the pending enrolment code expires; {@code null} when none is pending
 *     (used, replaced by revocation, or never issued)
 */
public record DockView(String name, String area, boolean enrolled, String edgeId, OffsetDateTime enrolledAt,
    OffsetDateTime revokedAt, OffsetDateTime codeExpiresAt, OffsetDateTime createdAt) {}
