/** A fixture of {@code ArchitectureTest}: see {@link io.tracetrack.hub.archfixture}. */
package io.tracetrack.hub.archfixture.bad;
