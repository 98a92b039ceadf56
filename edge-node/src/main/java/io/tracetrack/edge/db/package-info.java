/**
 * Opening the dock's data folder safely: refuse a folder that is not writable, a file that is not
 * a SQLite database (never truncating or overwriting it), a database that fails its integrity
 * check, and a second server on the same folder; then migrate and hand out one serialised,
 * durable write path.
 */
package io.tracetrack.edge.db;
