package io.tracetrack.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestClock;
import io.tracetrack.hub.auth.Actor;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The audit trail's hash chain on a real database: intact as written, broken by any edit made
 * outside the hub, and still intact after client addresses are cut to their networks
 * ({@code --audit-address-days}, issue #16 item 4).
 */
class AuditChainTest {

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  private static final Actor FROM_OFFICE = new Actor("amir", "203.0.113.77", "req-1");
  private static final Actor FROM_V6 = new Actor("bina", "2001:db8:85a3::7", "req-2");

  private record Trail(HubDatabase db, TestClock clock, AuditLog audit) implements AutoCloseable {
    static Trail on(String kind) {
      HubDatabase db = TestDatabases.fresh(kind, 3);
      TestClock clock = new TestClock(Instant.parse("2026-09-01T08:00:00Z"));
      return new Trail(db, clock, new AuditLog(db, clock));
    }

    void record(Actor actor, String id) {
      db.transaction(tx -> {
        audit.record(tx, actor, AuditAction.AREA_CREATED, id, null, Map.of("id", id));
        return null;
      });
    }

    List<AuditLog.Entry> entries() {
      return audit.query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 100);
    }

    void sql(String statement) {
      db.dsl().execute(statement);
    }

    @Override
    public void close() {
      db.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void addressesCutAfterTheirDays_keepTheirNetwork_andTheChainStaysIntact(String kind) {
    try (Trail t = Trail.on(kind)) {
      t.record(FROM_OFFICE, "NORTH");
      t.record(FROM_V6, "SOUTH");
      t.clock.advance(Duration.ofDays(91));
      t.record(FROM_OFFICE, "EAST"); // recent: keeps its full address
      assertThat(t.audit.verify().intact()).isTrue();

      int cut = t.audit.cutAddresses(OffsetDateTime.ofInstant(t.clock.instant().minus(Duration.ofDays(90)), ZoneOffset.UTC));

      assertThat(cut).isEqualTo(2);
      assertThat(t.entries()).extracting(AuditLog.Entry::entityId, AuditLog.Entry::ip).containsExactly(
          org.assertj.core.groups.Tuple.tuple("EAST", "203.0.113.77"),
          org.assertj.core.groups.Tuple.tuple("SOUTH", "2001:db8:85a3::/48"),
          org.assertj.core.groups.Tuple.tuple("NORTH", "203.0.113.0/24"));
      AuditLog.Verification after = t.audit.verify();
      assertThat(after.intact()).as(after.problem()).isTrue();
      assertThat(after.checked()).isEqualTo(3);
      assertThat(t.audit.cutAddresses(OffsetDateTime.ofInstant(t.clock.instant().minus(Duration.ofDays(90)), ZoneOffset.UTC)))
          .as("once is enough").isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void anEditOutsideTheHub_breaksTheChain_addressesIncluded(String kind) {
    try (Trail t = Trail.on(kind)) {
      t.record(FROM_OFFICE, "NORTH");
      t.record(FROM_OFFICE, "SOUTH");
      t.record(FROM_OFFICE, "EAST");
      t.audit.chain();
      t.sql("update audit_entry set ip = '198.51.100.9' where entity_id = 'SOUTH'");
      AuditLog.Verification v = t.audit.verify();
      assertThat(v.intact()).isFalse();
      assertThat(v.firstBadSeq()).isEqualTo(2);
      t.sql("update audit_entry set ip = '203.0.113.77' where entity_id = 'SOUTH'");
      assertThat(t.audit.verify().intact()).isTrue();

      // a full address swapped for another in the same network: only the commitment tells
      t.sql("update audit_entry set ip = '203.0.113.78' where entity_id = 'EAST'");
      v = t.audit.verify();
      assertThat(v.intact()).isFalse();
      assertThat(v.problem()).contains("client address changed");
      t.sql("update audit_entry set ip = '203.0.113.77' where entity_id = 'EAST'");

      // after the cut, a network rewritten to another is a changed entry too
      t.audit.cutAddresses(OffsetDateTime.ofInstant(t.clock.instant().plusSeconds(1), ZoneOffset.UTC));
      assertThat(t.audit.verify().intact()).isTrue();
      t.sql("update audit_entry set ip = '198.51.100.0/24' where entity_id = 'NORTH'");
      assertThat(t.audit.verify().intact()).isFalse();
    }
  }
}
