/**
 * Receiving a load at the destination: a station scans a bill's manifest QR (one scan opens a
 * receipt), then each parent as it comes off the vehicle, and closes the receipt; sync sends it to
 * the hub ({@code POST /api/v1/sync/receipts}). The manifest carries the bill's parents, so a
 * receipt needs no network; the replica adds what it knows (a parent's children).
 */
package io.tracetrack.edge.receiving;
