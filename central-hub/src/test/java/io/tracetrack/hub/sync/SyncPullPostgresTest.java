package io.tracetrack.hub.sync;

/** {@link SyncPullTest} on PostgreSQL. */
class SyncPullPostgresTest extends SyncPullTest {

  SyncPullPostgresTest() {
    super("postgresql");
  }
}
