package io.tracetrack.hub.sync;

/** {@link PushTest} on the embedded default (H2). */
class PushH2Test extends PushTest {

  PushH2Test() {
    super("h2");
  }
}
