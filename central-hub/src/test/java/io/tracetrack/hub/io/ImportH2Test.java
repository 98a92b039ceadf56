package io.tracetrack.hub.io;

/** {@link ImportTest} on the embedded default (H2). */
class ImportH2Test extends ImportTest {

  ImportH2Test() {
    super("h2");
  }
}
