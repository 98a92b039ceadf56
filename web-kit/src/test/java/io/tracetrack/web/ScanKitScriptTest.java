package io.tracetrack.web;

import io.tracetrack.web.testing.NodeTests;
import org.junit.jupiter.api.Test;

/**
 * The web kit's scripts ({@code web-kit/scan-kit.js}: scan framing, the bounce filter, tones and
 * flash, which the station and the hub both serve) under Node's test runner: {@code src/test/js}.
 */
class ScanKitScriptTest {

  @Test
  void scriptTests_underNode_allPass() throws Exception {
    NodeTests.runAll();
  }
}
