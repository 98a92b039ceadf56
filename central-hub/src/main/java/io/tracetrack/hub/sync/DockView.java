package io.tracetrack.hub.sync;

import java.time.OffsetDateTime;

/**
 * A dock as the fleet listing shows it. Never a code or a credential, not even their hashes.
 *
 * @param enrolled an edge holds a working credential (enrolled and not revoked since)
 * @param edgeId the edge node that last enrolled, or {@code null}
 * @param codeExpiresAt when the pending enrolment code expires; {@code null} when none is pending
 *     (used, replaced by revocation, or never issued)
 * @param lastSeenAt when the current edge last called the hub (hello, push, or a poll of the change log, to
 *     the nearest 15 s); {@code null} if never
 * @param lastSeq the highest {@code seq} of the current edge the hub has answered (0 before its first push)
 * @param backlog ops still waiting on the edge after its last push (what it reported, less what that push delivered)
 * @param oldestPendingAt when the oldest of them was made, as reported; {@code null} if none
 * @param clockOffsetMs the edge's clock minus the hub's at its last push (positive: the edge runs ahead)
 * @param version the edge's software version, as reported
 * @param openConflicts conflicts of this dock still OPEN (of any of its edges)
 * @param seqReusedAt when the hub last refused an op of the current edge as {@code SEQ_REUSED}: the
 *     dock was restored from a backup (or its folder copied); {@code null} if never
 */
public record DockView(String name, String area, boolean enrolled, String edgeId, OffsetDateTime enrolledAt,
    OffsetDateTime revokedAt, OffsetDateTime codeExpiresAt, OffsetDateTime createdAt, OffsetDateTime lastSeenAt,
    long lastSeq, long backlog, OffsetDateTime oldestPendingAt, Long clockOffsetMs, String version, long openConflicts,
    OffsetDateTime seqReusedAt) {}
