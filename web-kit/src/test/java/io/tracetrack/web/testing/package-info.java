/**
 * Test helpers both apps share, shipped as web-kit's test-jar: {@link
 * io.tracetrack.web.testing.RawHttp} sends over a plain socket what no well-behaved client would;
 * {@link io.tracetrack.web.testing.ArchitectureRules} builds the layering rules the edge and the
 * hub both enforce, parameterised by each app's packages, so the two cannot drift apart; {@link
 * io.tracetrack.web.testing.NodeTests} runs a module's JavaScript unit tests under Node.
 */
package io.tracetrack.web.testing;
