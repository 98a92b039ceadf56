package io.tracetrack.hub.sync;

/** {@link SyncPullTest} on H2. */
class SyncPullH2Test extends SyncPullTest {

  SyncPullH2Test() {
    super("h2");
  }
}
