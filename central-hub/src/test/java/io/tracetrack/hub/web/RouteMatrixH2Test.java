package io.tracetrack.hub.web;

/** {@link RouteMatrixTest} on the embedded default (H2). */
class RouteMatrixH2Test extends RouteMatrixTest {

  RouteMatrixH2Test() {
    super("h2");
  }
}
