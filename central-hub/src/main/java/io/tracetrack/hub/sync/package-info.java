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
 *
 * <p>Push ({@link io.tracetrack.hub.sync.Ingest}, SQL in {@link io.tracetrack.hub.sync.IngestStore}):
 * a dock's ops applied exactly once per {@code (edgeId, seq)} in one transaction per batch, decided by
 * the shared Reconciler over the locked rows ({@link io.tracetrack.hub.sync.Overlay}); every refusal
 * becomes a {@code sync_conflict} row with both sides. The fleet view reads the edges' progress.
 */
package io.tracetrack.hub.sync;
