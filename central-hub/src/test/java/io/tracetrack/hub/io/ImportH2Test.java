package io.tracetrack.hub.io;

/** {@link ImportTest} on H2, the demo database. */
class ImportH2Test extends ImportTest {

  ImportH2Test() {
    super("h2");
  }
}
