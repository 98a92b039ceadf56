package io.tracetrack.hub.sync;

/** {@link DockEnrolmentTest} on the embedded default (H2). */
class DockEnrolmentH2Test extends DockEnrolmentTest {

  DockEnrolmentH2Test() {
    super("h2");
  }
}
