/**
 * The audit trail: who changed what, when, from where, before and after; hash-chained so that
 * editing or deleting an entry is detected by {@link io.tracetrack.hub.audit.AuditLog#verify}.
 */
package io.tracetrack.hub.audit;
