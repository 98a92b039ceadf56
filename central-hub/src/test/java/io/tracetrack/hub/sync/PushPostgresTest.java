package io.tracetrack.hub.sync;

/** {@link PushTest} on PostgreSQL. */
class PushPostgresTest extends PushTest {

  PushPostgresTest() {
    super("postgresql");
  }
}
