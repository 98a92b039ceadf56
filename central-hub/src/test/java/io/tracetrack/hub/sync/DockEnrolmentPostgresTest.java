package io.tracetrack.hub.sync;

/** {@link DockEnrolmentTest} on PostgreSQL. */
class DockEnrolmentPostgresTest extends DockEnrolmentTest {

  DockEnrolmentPostgresTest() {
    super("postgresql");
  }
}
