/**
 * The sync protocol shared by edge and hub: ops with their ids and hybrid-logical-clock stamps, the
 * {@link io.tracetrack.sync.Reconciler} that decides an op against a state, and the versioned JSON
 * codec. Both sides run this exact code, so a dock offline decides a scan as the hub later will;
 * when they disagree (the hub has seen other docks' ops) the hub's commit order wins.
 */
package io.tracetrack.sync;
