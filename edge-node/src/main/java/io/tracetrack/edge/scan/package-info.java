/**
 * The scan path: one {@link io.tracetrack.edge.scan.ScanService} that the station page, the JSON
 * endpoint and terminal capture all call. Normalise, decide with the shared Reconciler, write the
 * effect and its op in one durable transaction, and only then answer.
 */
package io.tracetrack.edge.scan;
