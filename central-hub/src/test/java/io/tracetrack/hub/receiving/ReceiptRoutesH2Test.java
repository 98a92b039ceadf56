package io.tracetrack.hub.receiving;

class ReceiptRoutesH2Test extends ReceiptRoutesTest {

  ReceiptRoutesH2Test() {
    super("h2");
  }
}
