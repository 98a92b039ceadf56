/**
 * Bills (F-BILL): dispatch manifests of parent bags. Every change is one transaction that first
 * locks the bill's row, so concurrent additions can never push a bill past its capacity and a
 * finalize never races an addition. A parent is on at most one bill (its code is the key of
 * {@code bill_parent}). Finalizing marks the bill's parents {@code on_finalized_bill}, which the
 * shared {@link io.tracetrack.sync.Reconciler} reads, so links to them are refused everywhere;
 * reopening clears the mark. Counts and weights are derived from the current links when read,
 * never stored.
 */
package io.tracetrack.hub.bill;
