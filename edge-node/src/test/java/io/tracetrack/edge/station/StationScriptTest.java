package io.tracetrack.edge.station;

import io.tracetrack.web.testing.NodeTests;
import org.junit.jupiter.api.Test;

/**
 * The station page's modules ({@code web/station/}) under Node's test runner, on a fake page:
 * framing and the bounce filter as the station applies them, the n / limit counter's states, and
 * the command barcodes; {@code src/test/js}. The browser test ({@code StationPageIT}) runs the same
 * page in Chromium.
 */
class StationScriptTest {

  @Test
  void scriptTests_underNode_allPass() throws Exception {
    NodeTests.runAll();
  }
}
