/**
 * Sync between dock edge nodes and the hub (issue #7). This first slice is the docks' identity:
 * an admin registers a dock and gets a one-time enrolment code ({@link io.tracetrack.hub.sync.Docks}),
 * the edge exchanges it for a device credential ({@code POST /api/v1/sync/enroll}), and every sync
 * route resolves that credential to its dock and edge with {@link io.tracetrack.hub.sync.DockAuth},
 * reading the database on every request so a revocation takes effect at once. Only hashes of codes
 * and credentials are stored ({@link io.tracetrack.hub.sync.DockStore}).
 *
 * <p>The second slice is the hub's change log ({@link io.tracetrack.hub.sync.ChangeLog}): every change
 * a dock must hear of, as a versioned {@link io.tracetrack.hub.sync.ChangeType} entry at a position in
 * commit order, appended by the bag and bill features inside their own transactions. This package
 * must not depend on those features (they depend on it).
 */
package io.tracetrack.hub.sync;
