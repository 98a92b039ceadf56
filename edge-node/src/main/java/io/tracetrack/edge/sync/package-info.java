/**
 * The edge's side of sync with the hub (issue #7). Enrolment exchanges an admin's one-time code
 * for this dock's device credential ({@link io.tracetrack.edge.sync.HubEnrolment}), kept in the
 * data folder readable by the edge's user only ({@link io.tracetrack.edge.sync.DeviceCredential}).
 * {@link io.tracetrack.edge.sync.HubClient} makes the sync calls with it; the
 * {@link io.tracetrack.edge.sync.SyncWorker} runs push and pull in the background of a serving dock
 * (woken by each committed scan, backing off while the hub is away), and
 * {@link io.tracetrack.edge.sync.SyncOnce} runs the same steps once for {@code sync --once}. They
 * reach the database only through {@link io.tracetrack.edge.sync.SyncStore};
 * {@link io.tracetrack.edge.sync.DockSync} is what the station page sees of it all.
 */
package io.tracetrack.edge.sync;
