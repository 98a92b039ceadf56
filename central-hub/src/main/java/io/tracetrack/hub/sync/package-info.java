/**
 * Sync between dock edge nodes and the hub (issue #7). This first slice is the docks' identity:
 * an admin registers a dock and gets a one-time enrolment code ({@link io.tracetrack.hub.sync.Docks}),
 * the edge exchanges it for a device credential ({@code POST /api/v1/sync/enroll}), and every sync
 * route resolves that credential to its dock and edge with {@link io.tracetrack.hub.sync.DockAuth},
 * reading the database on every request so a revocation takes effect at once. Only hashes of codes
 * and credentials are stored ({@link io.tracetrack.hub.sync.DockStore}).
 *
 * <p>The second slice is the hub's change log ({@link io.tracetrack.hub.log.ChangeLog}): every change
 * a dock must hear of, as a versioned {@link io.tracetrack.hub.sync.ChangeType} entry at a position in
 * commit order, appended by the bag, bill and user features inside their own transactions. This
 * package must not depend on those features (they depend on it).
 *
 * <p>Push ({@link io.tracetrack.hub.sync.Ingest}, SQL in {@link io.tracetrack.hub.sync.IngestStore}):
 * a dock's ops applied exactly once per {@code (edgeId, seq)} in one transaction per batch, decided by
 * the shared Reconciler over the locked rows ({@link io.tracetrack.hub.write.Overlay}); every refusal
 * becomes a {@code sync_conflict} row with both sides. One edge id is one dock (unique at enrolment,
 * checked again at push); an op's fingerprint is kept per {@code (edge, seq)} so a restored dock's
 * different op under a used seq is {@code SEQ_REUSED}, never a duplicate; a push obeys the API's
 * area rule and takes only actors who may sign in at the dock. The fleet view reads the edges' progress. On
 * PostgreSQL a batch's rows go in with COPY and array-bound statements ({@link io.tracetrack.hub.log.PgBulk}),
 * a fixed handful of round trips whatever the batch's size; H2 runs the same steps as jOOQ statements.
 *
 * <p>The pull side: {@link io.tracetrack.hub.sync.ChangeFeed} pages the log for one dock (its
 * audience, V25 columns) and long-polls; {@link io.tracetrack.hub.sync.Snapshots} streams a dock's
 * replicated set from one REPEATABLE READ transaction for a dock whose cursor the log no longer
 * holds. Conflicts ({@link io.tracetrack.hub.sync.Conflicts}) are read, resolved and acknowledged
 * here; a MOVE's bag changes are made by the bag feature through
 * {@link io.tracetrack.hub.sync.Conflicts.BagMover}, which {@code Main} wires to {@code BagService::move}.
 */
package io.tracetrack.hub.sync;
