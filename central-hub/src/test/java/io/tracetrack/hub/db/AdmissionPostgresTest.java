package io.tracetrack.hub.db;

/** {@link AdmissionTest} on PostgreSQL. */
class AdmissionPostgresTest extends AdmissionTest {

  AdmissionPostgresTest() {
    super("postgresql");
  }
}
