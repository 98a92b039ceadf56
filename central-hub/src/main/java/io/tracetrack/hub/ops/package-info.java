/** Operations: Prometheus metrics, request timing per route, and the admins' system-health view. */
package io.tracetrack.hub.ops;
