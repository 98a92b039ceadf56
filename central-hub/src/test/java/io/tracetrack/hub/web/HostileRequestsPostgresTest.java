package io.tracetrack.hub.web;

/** {@link HostileRequestsTest} on a real PostgreSQL. */
class HostileRequestsPostgresTest extends HostileRequestsTest {

  HostileRequestsPostgresTest() {
    super("postgresql");
  }
}
