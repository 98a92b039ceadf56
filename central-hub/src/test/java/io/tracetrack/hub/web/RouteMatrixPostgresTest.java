package io.tracetrack.hub.web;

/** {@link RouteMatrixTest} on a real PostgreSQL. */
class RouteMatrixPostgresTest extends RouteMatrixTest {

  RouteMatrixPostgresTest() {
    super("postgresql");
  }
}
