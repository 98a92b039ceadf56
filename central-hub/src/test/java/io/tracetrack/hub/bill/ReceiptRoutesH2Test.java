package io.tracetrack.hub.bill;

class ReceiptRoutesH2Test extends ReceiptRoutesTest {

  ReceiptRoutesH2Test() {
    super("h2");
  }
}
