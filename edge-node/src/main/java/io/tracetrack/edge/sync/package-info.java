/**
 * The edge's side of sync with the hub (issue #7). So far: enrolment, which exchanges an admin's
 * one-time code for this dock's device credential ({@link io.tracetrack.edge.sync.HubEnrolment})
 * and keeps it in the data folder, readable by the edge's user only
 * ({@link io.tracetrack.edge.sync.DeviceCredential}). Push and pull build on these.
 */
package io.tracetrack.edge.sync;
