package io.tracetrack.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tracetrack.hub.TestClock;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.db.HubDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hub instances find each other through the database and share its connections: two real pools on
 * one database (what two hub processes have), each instance's row renewed by its beat, time moved
 * by a test clock.
 */
class HubInstancesTest {

  private static final int BUDGET = 5;

  @ParameterizedTest
  @MethodSource("io.tracetrack.hub.TestDatabases#kinds")
  void instancesShareTheDatabasesConnections_andTakeBackAGoneOnesShare(String kind) {
    TestClock clock = new TestClock(Instant.parse("2026-12-07T06:00:00Z"));
    try (HubDatabase dbA = TestDatabases.fresh(kind, BUDGET); HubDatabase dbB = TestDatabases.another(dbA)) {
      HubInstances a = new HubInstances(dbA, "host-a/1", "1.0", OptionalInt.of(BUDGET), clock);
      HubInstances b = new HubInstances(dbB, "host-b/2", "1.1", OptionalInt.of(BUDGET), clock);
      assertThat(a.beat()).as("alone").isEqualTo(1);
      assertThat(dbA.poolSize()).as("alone: the whole budget").isEqualTo(BUDGET);

      assertThat(b.beat()).as("the second instance counts both").isEqualTo(2);
      assertThat(dbB.poolSize()).as("half of 5, but never below 3").isEqualTo(3);
      assertThat(dbB.pool().getMaximumPoolSize()).as("the pool itself, not only the queue in front of it").isEqualTo(3);
      assertThat(dbA.poolSize()).as("the first has not beaten since").isEqualTo(BUDGET);
      clock.advance(HubInstances.BEAT);
      assertThat(a.beat()).isEqualTo(2);
      assertThat(dbA.poolSize()).isEqualTo(3);
      assertThat(a.list()).extracting(HubInstances.Instance::name, HubInstances.Instance::here, HubInstances.Instance::version,
          HubInstances.Instance::poolSize)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("host-a/1", true, "1.0", 3),
              org.assertj.core.groups.Tuple.tuple("host-b/2", false, "1.1", 3));

      // b is killed: it stops beating; once its row is LIVE_FOR old, a takes the whole budget back
      clock.advance(HubInstances.LIVE_FOR.minus(HubInstances.BEAT).minus(Duration.ofSeconds(1)));
      assertThat(a.beat()).as("b seen " + HubInstances.LIVE_FOR.minusSeconds(1) + " ago still counts").isEqualTo(2);
      clock.advance(Duration.ofSeconds(2));
      assertThat(a.beat()).as("b gone").isEqualTo(1);
      assertThat(dbA.poolSize()).isEqualTo(BUDGET);
      assertThat(dbA.pool().getMaximumPoolSize()).isEqualTo(BUDGET);
      assertThat(a.list()).extracting(HubInstances.Instance::name).containsExactly("host-a/1");

      // b back, then stopping cleanly: a grows at its next beat, without waiting out LIVE_FOR
      b.beat();
      assertThat(a.beat()).isEqualTo(2);
      b.close();
      assertThat(a.beat()).isEqualTo(1);
      assertThat(dbA.poolSize()).isEqualTo(BUDGET);

      // a row not renewed for a day is deleted, not merely left out
      HubInstances ghost = new HubInstances(dbB, "host-c/3", "1.1", OptionalInt.of(BUDGET), clock);
      ghost.beat();
      clock.advance(HubInstances.FORGET_AFTER.plusSeconds(1));
      a.beat();
      assertThat(dbA.dsl().fetchCount(io.tracetrack.hub.db.jooq.Tables.HUB_INSTANCE)).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @MethodSource("io.tracetrack.hub.TestDatabases#kinds")
  void aPoolGivenByTheOperator_isKeptAsGiven_andCounted(String kind) {
    TestClock clock = new TestClock(Instant.parse("2026-12-07T06:00:00Z"));
    try (HubDatabase dbA = TestDatabases.fresh(kind, 8); HubDatabase dbB = TestDatabases.another(dbA)) {
      HubInstances a = new HubInstances(dbA, "host-a/1", "1.0", OptionalInt.empty(), clock);
      HubInstances b = new HubInstances(dbB, "host-b/2", "1.0", OptionalInt.empty(), clock);
      a.beat();
      assertThat(b.beat()).isEqualTo(2);
      assertThat(a.beat()).isEqualTo(2);
      assertThat(dbA.poolSize()).isEqualTo(8);
      assertThat(dbB.poolSize()).isEqualTo(8);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      a.register(registry);
      assertThat(registry.scrape()).contains("hub_instances 2.0");
    }
  }
}
