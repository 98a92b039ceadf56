/**
 * Benchmarks: each measures its own limit beside itself in the same run (raw SQLite durable
 * inserts on the same disk, say) and writes median, p99 and the ratio to BENCHMARKS.md together
 * with the command that produced them. Run with {@code ./tracetrack bench edge}.
 */
package io.tracetrack.bench;
