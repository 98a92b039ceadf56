package io.tracetrack.hub.bag;

/** {@link LookupTest} on PostgreSQL. */
class LookupPostgresTest extends LookupTest {

  LookupPostgresTest() {
    super("postgresql");
  }
}
