package io.tracetrack.hub.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.db.HubDatabase;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

/**
 * Queued writes run in their order, with the last statement's result read back; a statement that
 * changes other than the rows it must, or fails, takes the whole transaction back with it.
 */
class PgPipelineTest {

  private static final String EVENT = "insert into bag_event (at, kind, bag_code, parent_code, actor, dock, source, station)"
      + " values (?::timestamptz, ?, ?, ?, ?, ?, ?, ?)";
  private static final PgPipeline.Reader<Long> FIRST_NUMBER = rs -> {
    rs.next();
    return rs.getLong(1);
  };

  @Test
  void queuedWrites_runInOrder_beforeTheLastStatement_whoseResultIsRead() {
    try (HubDatabase db = TestDatabases.postgres(2)) {
      long count = db.transaction(tx -> {
        PgPipeline pipeline = new PgPipeline();
        pipeline.add(EVENT, event("PIPE", "P1001-30"), 1, "first");
        pipeline.add(EVENT, event("PIPE", "P1002-30"), 1, "second");
        // reads what the two before it wrote: they ran first
        pipeline.add("update bag_event set actor = 'both' where kind = 'PIPE'", new Object[0], 2, "both");
        assertThat(pipeline.isEmpty()).isFalse();
        long seen = pipeline.send(tx, "select count(*) from bag_event where kind = ? and actor = 'both'", new Object[] {"PIPE"},
            FIRST_NUMBER);
        assertThat(pipeline.isEmpty()).as("sent: nothing left to send").isTrue();
        return seen;
      });
      assertThat(count).isEqualTo(2);
      assertThat(db.dsl().fetchValue("select string_agg(bag_code, ',' order by id) from bag_event where kind = 'PIPE'"))
          .isEqualTo("P1001-30,P1002-30");
    }
  }

  @Test
  void aWrongRowCount_orAFailedStatement_takesTheWholeTransactionBack() {
    try (HubDatabase db = TestDatabases.postgres(2)) {
      assertThatThrownBy(() -> db.transaction(tx -> {
        PgPipeline pipeline = new PgPipeline();
        pipeline.add(EVENT, event("WRONG", "P1003-30"), 1, "an event");
        pipeline.add("update bag_event set actor = 'x' where kind = 'NONE'", new Object[0], 1, "the update of one row");
        pipeline.flush(tx);
        return null;
      })).hasMessageContaining("the update of one row changed 0 rows, not 1");
      assertThatThrownBy(() -> db.transaction(tx -> {
        PgPipeline pipeline = new PgPipeline();
        pipeline.add(EVENT, event("FAILED", "P1004-30"), 1, "an event");
        pipeline.add("insert into change_log_head (id, last_seq) values (1, 0)", new Object[0], 1, "a second head");
        pipeline.flush(tx);
        return null;
      })).isInstanceOf(DataAccessException.class)
          .satisfies(e -> assertThat(HubDatabase.isUniqueViolation((DataAccessException) e)).isTrue());
      assertThat(db.dsl().fetchCount(db.dsl().selectFrom("bag_event").where("kind in ('WRONG', 'FAILED')"))).isZero();
      assertThatThrownBy(() -> new PgPipeline().add("select 1; select 2", new Object[0], -1, "two"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /**
   * With {@code commitWithLast} the transaction is committed by the time the last statement's result
   * is read, before the transaction's own commit (which then finds nothing left to commit): another
   * connection already sees the rows, and the connection is out of its transaction.
   */
  @Test
  void theCommitGoesWithTheLastStatement_whenAsked() {
    try (HubDatabase db = TestDatabases.postgres(2)) {
      String seenElsewhere = db.transaction(tx -> {
        PgPipeline pipeline = new PgPipeline();
        pipeline.add(EVENT, event("COMMITTED", "P1005-30"), 1, "an event");
        pipeline.commitWithLast();
        long written = pipeline.send(tx, "select count(*) from bag_event where kind = ?", new Object[] {"COMMITTED"},
            FIRST_NUMBER);
        assertThat(written).isEqualTo(1);
        String state = tx.connectionResult(c -> c.unwrap(org.postgresql.core.BaseConnection.class).getTransactionState().name());
        long elsewhere;
        try (HubDatabase other = TestDatabases.another(db)) {
          elsewhere = other.dsl().fetchCount(other.dsl().selectFrom("bag_event").where("kind = 'COMMITTED'"));
        }
        return state + " " + elsewhere;
      });
      assertThat(seenElsewhere).as("out of its transaction, and the row committed for everyone").isEqualTo("IDLE 1");
      assertThat(db.dsl().fetchCount(db.dsl().selectFrom("bag_event").where("kind = 'COMMITTED'"))).isEqualTo(1);
    }
  }

  private static Object[] event(String kind, String bag) {
    return new Object[] {"2026-12-06T09:00:00Z", kind, bag, null, "tester", "DOCK-1", "EDGE", "gate-1"};
  }
}
