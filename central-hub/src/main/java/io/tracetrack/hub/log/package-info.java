/**
 * The hub's change log: every change a dock, a cache or an integrator must hear of, at a position
 * in commit order ({@link io.tracetrack.hub.log.ChangeLog}), appended by every writer inside its own
 * transaction, and the PostgreSQL bulk-write helpers those writers share ({@link
 * io.tracetrack.hub.log.PgBulk}). It sits at the bottom of the hub: every feature that writes
 * imports it, it imports no feature. The dock protocol that reads it ({@code sync/}) is one reader
 * among several (the read caches, and the event relay to come).
 */
package io.tracetrack.hub.log;
