package io.tracetrack.hub.bill;

class ReceiptRoutesPostgresTest extends ReceiptRoutesTest {

  ReceiptRoutesPostgresTest() {
    super("postgresql");
  }
}
