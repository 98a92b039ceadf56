/** A fixture of the edge's {@code ArchitectureTest}: a hub package to point at. */
package io.tracetrack.hub.archfixture;
