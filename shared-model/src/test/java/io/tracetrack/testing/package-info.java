/**
 * Property tests without a framework: {@link io.tracetrack.testing.Property} runs a check over
 * many seeded random cases and, when one fails, names the seed that reproduces it;
 * {@link io.tracetrack.testing.Gen} draws the values, leaning towards the edges of each range.
 * {@link io.tracetrack.testing.SourceLiterals} finds stable names spelled as string literals.
 * Shipped as shared-model's test-jar so every module (and the sync simulator) uses the same one.
 */
package io.tracetrack.testing;
