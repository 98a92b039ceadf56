/**
 * The dock edge node: answers every scan from its own SQLite store with no network, and keeps an
 * outbox of ops for the hub. {@link io.tracetrack.edge.Main} is the only place things are built
 * and wired; feature packages: {@code db} (opening the data folder safely), {@code scan} (the scan
 * path shared by page, endpoint and terminal), {@code station} (HTTP and the page), {@code users}
 * (local dispatchers and station sessions), {@code capture} (terminal capture).
 */
package io.tracetrack.edge;
