package io.tracetrack.hub.ui;

import io.tracetrack.web.testing.NodeTests;
import org.junit.jupiter.api.Test;

/**
 * The hub's scan field ({@code hub-web/scanner.js}, on the web kit's {@code scan-kit.js}) under
 * Node's test runner: {@code src/test/js}. The biller's browser journey covers it end to end.
 */
class ScannerRulesTest {

  @Test
  void scriptTests_underNode_allPass() throws Exception {
    NodeTests.runAll();
  }
}
