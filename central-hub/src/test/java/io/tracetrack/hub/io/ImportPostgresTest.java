package io.tracetrack.hub.io;

/** {@link ImportTest} on PostgreSQL. */
class ImportPostgresTest extends ImportTest {

  ImportPostgresTest() {
    super("postgresql");
  }
}
