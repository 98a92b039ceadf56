/**
 * The rules of TraceTrack (PRODUCT.md: F-CODE, F-SCAN, F-BILL) as pure functions over plain records.
 *
 * <p>Nothing here touches a database, a clock or the network: the edge node and the hub both call
 * these functions with the facts they hold, so a dock with no network decides a scan exactly as the
 * hub would. Time is always passed in.
 */
package io.tracetrack.model;
