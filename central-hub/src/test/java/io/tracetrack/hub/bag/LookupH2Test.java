package io.tracetrack.hub.bag;

/** {@link LookupTest} on H2. */
class LookupH2Test extends LookupTest {

  LookupH2Test() {
    super("h2");
  }
}
