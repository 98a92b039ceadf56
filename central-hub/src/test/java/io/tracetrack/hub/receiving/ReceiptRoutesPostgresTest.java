package io.tracetrack.hub.receiving;

class ReceiptRoutesPostgresTest extends ReceiptRoutesTest {

  ReceiptRoutesPostgresTest() {
    super("postgresql");
  }
}
