package io.tracetrack.hub.web;

/** {@link HostileRequestsTest} on the embedded default (H2). */
class HostileRequestsH2Test extends HostileRequestsTest {

  HostileRequestsH2Test() {
    super("h2");
  }
}
