/**
 * Bags and links: every change is an op decided by the shared {@link io.tracetrack.sync.Reconciler}
 * against rows locked for the transaction, so concurrent requests can never push a parent past its
 * limit or put a child on two parents.
 */
package io.tracetrack.hub.bag;
