package io.tracetrack.hub.db;

/** {@link AdmissionTest} on H2. */
class AdmissionH2Test extends AdmissionTest {

  AdmissionH2Test() {
    super("h2");
  }
}
