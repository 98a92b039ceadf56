/** Dashboard figures from counters maintained in the same transactions as the writes. */
package io.tracetrack.hub.stats;
