/**
 * Terminal capture: a scanner typing into a terminal. Reads codes line by line from standard input
 * and prints one JSON object per scan, through the same scan path as the station page.
 */
package io.tracetrack.edge.capture;
