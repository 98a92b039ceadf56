/**
 * Classes that break the layering on purpose, each in the way one rule of {@code ArchitectureTest}
 * forbids: the test runs every rule over them to show it still catches what it is for.
 */
package io.tracetrack.hub.archfixture;
