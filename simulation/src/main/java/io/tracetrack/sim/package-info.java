/**
 * The seeded simulation of the product's own sync code (issue 14, item 1): the hub's
 * {@code Ingest}, {@code ChangeLog}/{@code ChangeFeed}, {@code Snapshots}, {@code Conflicts},
 * {@code Docks} and {@code UserAdmin} on a real database, and each dock's own {@code EdgeDatabase},
 * {@code ScanService}, {@code SqliteSyncStore} (replica, view) and sync loop ({@code SyncOnce}), in
 * one JVM, under one seeded scheduler and clock, through a simulated network that goes through the
 * real wire codec. Faults are chosen by the seed; invariants are checked after every step and at
 * quiescence. Every seed replays alone; a failing seed prints its steps.
 */
package io.tracetrack.sim;
