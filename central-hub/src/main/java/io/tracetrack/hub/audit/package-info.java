/**
 * The audit trail: who changed what, when, from where, before and after; hash-chained so that
 * editing or deleting an entry is detected by {@link io.tracetrack.hub.audit.AuditLog#verify}.
 *
 * <p>Arrows: features that change data ({@code bag}, {@code bill}, {@code users}) call {@link
 * io.tracetrack.hub.audit.AuditLog#record} in their own transaction; this package uses {@code auth}
 * (the {@link io.tracetrack.hub.auth.Actor} it records, the admin check on its routes) and nothing
 * of theirs: the before and after snapshots arrive as plain objects, written as JSON.
 *
 * <p>What happened is an {@link io.tracetrack.hub.audit.AuditAction} ({@code <ENTITY>_<PAST_TENSE>},
 * names frozen by a golden file); the entity type comes with the action.
 */
package io.tracetrack.hub.audit;
