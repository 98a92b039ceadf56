/** A fixture of the hub's {@code ArchitectureTest}: an edge package to point at. */
package io.tracetrack.edge.archfixture;
