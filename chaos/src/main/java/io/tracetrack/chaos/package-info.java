/**
 * Real-process chaos ({@code ./tracetrack chaos}): a real hub on its embedded PostgreSQL and real
 * dock processes, each behind a seeded TCP {@link io.tracetrack.chaos.FaultProxy}, driven through
 * their HTTP APIs while a seeded {@link io.tracetrack.chaos.Schedule} kills and restarts them and
 * cuts their lines; then everything heals, the fleet goes quiet, and {@link io.tracetrack.chaos.Checker}
 * holds the sync invariants of DESIGN.md against the hub's API and each dock.
 *
 * <p>It uses none of the apps' classes: it starts their jars and speaks HTTP, as an operator and a
 * scanner do, and reads a dock's SQLite file read-only only for its station view and pull cursor.
 */
package io.tracetrack.chaos;
