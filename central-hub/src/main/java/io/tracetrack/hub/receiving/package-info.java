/**
 * Receiving a load at the destination (issue #16 item 9): the receipts docks close after scanning a
 * bill's manifest QR and the parents coming off the vehicle. A dock sends each closed receipt once
 * ({@code POST /api/v1/sync/receipts}, device credential); the hub judges it against the bill as it
 * then holds it (received, missing, extra), keeps that, logs {@code bill.received.v1} and shows it
 * at {@code GET /api/v1/bills/{id}/receipts} and on the bill's page. It reads bills and docks; neither
 * depends on it.
 */
package io.tracetrack.hub.receiving;
