/**
 * The hub's one write path for bags: whoever decided a change with the shared
 * {@link io.tracetrack.sync.Reconciler} (an API call in {@code bag/}, a dock's push in
 * {@code sync/}, an import in {@code io/}, an admin's MOVE through {@code bag/}), its effects are
 * applied to an {@link io.tracetrack.hub.write.Overlay} of the locked rows and written by
 * {@link io.tracetrack.hub.write.BagWriter}: the rows, the history and the counters, with the
 * PostgreSQL and H2 statements side by side in one class. The change-log entry of an op is
 * {@link io.tracetrack.sync.Change#of}, appended by the caller as its transaction's last write.
 * Like {@code log/}, it sits below every feature and imports none.
 */
package io.tracetrack.hub.write;
