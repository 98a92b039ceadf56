/** F-EOD: the end-of-day summary for one day in a chosen time zone. */
package io.tracetrack.hub.eod;
