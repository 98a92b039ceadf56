package io.tracetrack.hub.db;

import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;
import static io.tracetrack.hub.db.jooq.Tables.STAT_COUNTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracetrack.hub.TestDatabases;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hot statement is rendered once per dialect and then only re-bound: named values vary, other
 * bind values stay as first rendered, an array stands for any number of values in one SQL text,
 * timestamps read back as jOOQ reads them, and a failing statement fails as jOOQ's do.
 */
class HotQueryTest {

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  private static void counter(DSLContext tx, String name, short shard, long val) {
    tx.insertInto(STAT_COUNTER).set(STAT_COUNTER.NAME, name).set(STAT_COUNTER.AREA, "").set(STAT_COUNTER.DOCK, "")
        .set(STAT_COUNTER.SHARD, shard).set(STAT_COUNTER.VAL, val).execute();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void namedValuesVary_otherBindValuesStay_andTheShapeIsRenderedOnce(String kind) {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      AtomicInteger renders = new AtomicInteger();
      HotQuery valueOf = HotQuery.of(dsl -> {
        renders.incrementAndGet();
        // shard 3 is an ordinary bind value: a constant of this statement
        return dsl.select(STAT_COUNTER.VAL).from(STAT_COUNTER)
            .where(STAT_COUNTER.NAME.eq(DSL.param("name", String.class))).and(STAT_COUNTER.SHARD.eq((short) 3));
      });
      db.transaction(tx -> {
        counter(tx, "a", (short) 3, 10);
        counter(tx, "a", (short) 4, 99);
        counter(tx, "b", (short) 3, 20);
        return null;
      });
      List<Long> ofA = db.transaction(tx -> valueOf.on(tx).set("name", "a").fetch(rs -> rs.getLong(1)));
      assertThat(ofA).containsExactly(10L);
      Optional<Long> ofB = db.transaction(tx -> valueOf.on(tx).set("name", "b").fetchOptional(rs -> rs.getLong(1)));
      assertThat(ofB).hasValue(20L);
      assertThat(valueOf.on(db.dsl()).set("name", "c").fetchOptional(rs -> rs.getLong(1))).isEmpty();
      assertThat(renders).hasValue(1);
      assertThat(valueOf.sql(db.dsl())).isSameAs(valueOf.sql(db.dsl()));

      HotQuery add = HotQuery.of(dsl -> dsl.update(STAT_COUNTER)
          .set(STAT_COUNTER.VAL, STAT_COUNTER.VAL.plus(DSL.param("delta", Long.class)))
          .where(STAT_COUNTER.NAME.eq(DSL.param("name", String.class))));
      int added = db.transaction(tx -> add.on(tx).set("delta", 5L).set("name", "a").execute());
      assertThat(added).isEqualTo(2);
      assertThat(db.dsl().select(DSL.sum(STAT_COUNTER.VAL)).from(STAT_COUNTER).fetchSingle().value1().longValue())
          .isEqualTo(10 + 99 + 20 + 10);
    }
  }

  /** One SQL text for any number of values: jOOQ's IN list (and its ANY on H2) changes with the count. */
  @ParameterizedTest
  @MethodSource("kinds")
  void anArray_standsForAnyNumberOfValues_inOneSqlText(String kind) {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      HotQuery byNames = HotQuery.of(dsl -> dsl.select(STAT_COUNTER.NAME).from(STAT_COUNTER)
          .where(DSL.condition("{0} = any({1})", STAT_COUNTER.NAME, DSL.param("names", String[].class)))
          .orderBy(STAT_COUNTER.NAME));
      db.transaction(tx -> {
        for (String name : List.of("a", "b", "c", "d")) {
          counter(tx, name, (short) 0, 1);
        }
        return null;
      });
      String sql = byNames.sql(db.dsl());
      assertThat(byNames.on(db.dsl()).set("names", new String[0]).fetch(rs -> rs.getString(1))).isEmpty();
      assertThat(byNames.on(db.dsl()).set("names", new String[] {"c"}).fetch(rs -> rs.getString(1))).containsExactly("c");
      assertThat(byNames.on(db.dsl()).set("names", new String[] {"d", "a", "x"}).fetch(rs -> rs.getString(1)))
          .containsExactly("a", "d");
      assertThat(byNames.sql(db.dsl())).isSameAs(sql).doesNotContain("false");
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void aTimestamp_readsBackEqualToJooqsReading(String kind) {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      OffsetDateTime at = OffsetDateTime.of(2026, 12, 6, 21, 30, 15, 123_456_000, ZoneOffset.ofHours(2));
      db.dsl().insertInto(BAG_EVENT).set(BAG_EVENT.AT, at).set(BAG_EVENT.KIND, "HOT").set(BAG_EVENT.BAG_CODE, "P1001-30")
          .set(BAG_EVENT.ACTOR, "t").set(BAG_EVENT.SOURCE, "API").execute();
      HotQuery atOf = HotQuery.of(dsl -> dsl.select(BAG_EVENT.AT).from(BAG_EVENT)
          .where(BAG_EVENT.BAG_CODE.eq(DSL.param("bag", String.class))));
      OffsetDateTime read = atOf.on(db.dsl()).set("bag", "P1001-30").fetchOptional(rs -> rs.getObject(1, OffsetDateTime.class))
          .orElseThrow();
      assertThat(read).isEqualTo(db.dsl().select(BAG_EVENT.AT).from(BAG_EVENT).fetchSingle().value1());
      assertThat(read.toInstant()).isEqualTo(at.toInstant());
      HotQuery since = HotQuery.of(dsl -> dsl.selectCount().from(BAG_EVENT).where(BAG_EVENT.AT.ge(DSL.param("t", OffsetDateTime.class))));
      assertThat(since.on(db.dsl()).set("t", at).fetchOptional(rs -> rs.getInt(1))).hasValue(1);
      assertThat(since.on(db.dsl()).set("t", at.plusNanos(1_000)).fetchOptional(rs -> rs.getInt(1))).hasValue(0);
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void mistakes_areRefusedClearly_andAFailedStatementFailsAsJooqsDo(String kind) {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      HotQuery insert = HotQuery.of(dsl -> dsl.insertInto(STAT_COUNTER)
          .set(STAT_COUNTER.NAME, DSL.param("name", String.class)).set(STAT_COUNTER.AREA, "").set(STAT_COUNTER.DOCK, "")
          .set(STAT_COUNTER.SHARD, (short) 0).set(STAT_COUNTER.VAL, 1L));
      assertThatThrownBy(() -> insert.on(db.dsl()).set("nmae", "a"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no parameter named nmae");
      assertThatThrownBy(() -> insert.on(db.dsl()).execute())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("parameter name not set");
      assertThat(db.dsl().fetchCount(STAT_COUNTER)).isZero();
      int inserted = db.transaction(tx -> insert.on(tx).set("name", "a").execute());
      assertThat(inserted).isEqualTo(1);
      assertThatThrownBy(() -> db.transaction(tx -> insert.on(tx).set("name", "a").execute()))
          .isInstanceOf(DataAccessException.class)
          .satisfies(e -> assertThat(HubDatabase.isUniqueViolation((DataAccessException) e)).isTrue());
      HotQuery twice = HotQuery.of(dsl -> dsl.selectOne().from(STAT_COUNTER)
          .where(STAT_COUNTER.NAME.eq(DSL.param("n", String.class))).or(STAT_COUNTER.AREA.eq(DSL.param("n", String.class))));
      assertThatThrownBy(() -> twice.on(db.dsl())).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("each parameter name must be used once");
    }
  }

  /** A batch: every row goes in with one prepared statement, a row left unset runs none, a clash fails as one. */
  @ParameterizedTest
  @MethodSource("kinds")
  void aBatch_runsEveryRow_orNoneWhenOneIsIncomplete_andAClashFailsAsAUniqueViolation(String kind) {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      HotQuery insert = HotQuery.of(dsl -> dsl.insertInto(STAT_COUNTER)
          .set(STAT_COUNTER.NAME, DSL.param("name", String.class)).set(STAT_COUNTER.AREA, "").set(STAT_COUNTER.DOCK, "")
          .set(STAT_COUNTER.SHARD, DSL.param("shard", Short.class)).set(STAT_COUNTER.VAL, DSL.param("val", Long.class)));
      int[] counts = db.transaction(tx -> {
        HotQuery.Batch batch = insert.batch(tx);
        for (int i = 0; i < 2_500; i++) {
          batch.row().set("name", "n" + i).set("shard", (short) (i % 16)).set("val", (long) i);
        }
        return batch.execute();
      });
      assertThat(counts).hasSize(2_500);
      assertThat(java.util.Arrays.stream(counts).allMatch(c -> c == 1 || c == java.sql.Statement.SUCCESS_NO_INFO)).isTrue();
      assertThat(db.dsl().select(DSL.sum(STAT_COUNTER.VAL)).from(STAT_COUNTER).fetchSingle().value1().longValue())
          .isEqualTo(2_499L * 2_500 / 2);
      int[] none = db.transaction(tx -> insert.batch(tx).execute());
      assertThat(none).isEmpty();

      assertThatThrownBy(() -> db.transaction(tx -> {
        HotQuery.Batch batch = insert.batch(tx);
        batch.row().set("name", "x").set("shard", (short) 0).set("val", 1L);
        batch.row().set("name", "y").set("shard", (short) 0);
        return batch.execute();
      })).isInstanceOf(IllegalStateException.class).hasMessageContaining("parameter val not set");
      assertThat(db.dsl().fetchCount(STAT_COUNTER, STAT_COUNTER.NAME.in("x", "y"))).isZero();

      assertThatThrownBy(() -> db.transaction(tx -> {
        HotQuery.Batch batch = insert.batch(tx);
        batch.row().set("name", "z").set("shard", (short) 0).set("val", 1L);
        batch.row().set("name", "n7").set("shard", (short) 7).set("val", 1L);
        return batch.execute();
      })).isInstanceOf(DataAccessException.class)
          .satisfies(e -> assertThat(HubDatabase.isUniqueViolation(e)).isTrue());
      assertThat(db.dsl().fetchCount(STAT_COUNTER)).isEqualTo(2_500);
    }
  }

  /**
   * Several statements in one exchange (PostgreSQL): run in order, each seeing what the ones before
   * did, the rows of each query to the reader under its index, a write's count skipped; one failing
   * fails them all as jOOQ's failures do, and its transaction keeps nothing.
   */
  @Test
  void together_runsInOrder_routesEachQuerysRows_andOneFailureFailsTheTransaction() {
    try (HubDatabase db = TestDatabases.fresh("postgresql", 2)) {
      HotQuery insert = HotQuery.of(dsl -> dsl.insertInto(STAT_COUNTER)
          .set(STAT_COUNTER.NAME, DSL.param("name", String.class)).set(STAT_COUNTER.AREA, "").set(STAT_COUNTER.DOCK, "")
          .set(STAT_COUNTER.SHARD, (short) 0).set(STAT_COUNTER.VAL, DSL.param("val", Long.class)));
      HotQuery values = HotQuery.of(dsl -> dsl.select(STAT_COUNTER.NAME, STAT_COUNTER.VAL).from(STAT_COUNTER)
          .where(DSL.condition("{0} = any({1})", STAT_COUNTER.NAME, DSL.param("names", String[].class))).orderBy(STAT_COUNTER.NAME));
      List<String> read = new java.util.ArrayList<>();
      db.transaction(tx -> {
        HotQuery.together(tx, List.of(insert.on(tx).set("name", "a").set("val", 1L),
            values.on(tx).set("names", new String[] {"a", "b"}),
            insert.on(tx).set("name", "b").set("val", 2L),
            values.on(tx).set("names", new String[] {"a", "b"}),
            values.on(tx).set("names", new String[0])), (statement, rs) -> {
              StringBuilder rows = new StringBuilder(statement + ":");
              while (rs.next()) {
                rows.append(' ').append(rs.getString(1)).append('=').append(rs.getLong(2));
              }
              read.add(rows.toString());
            });
        return null;
      });
      assertThat(read).containsExactly("1: a=1", "3: a=1 b=2", "4:");

      assertThatThrownBy(() -> db.transaction(tx -> {
        HotQuery.together(tx, List.of(insert.on(tx).set("name", "c").set("val", 3L), insert.on(tx).set("name", "a").set("val", 9L),
            values.on(tx).set("names", new String[] {"c"})), (statement, rs) -> read.add("after the failure"));
        return null;
      })).isInstanceOf(DataAccessException.class).satisfies(e -> assertThat(HubDatabase.isUniqueViolation(e)).isTrue());
      assertThat(read).hasSize(3);
      assertThat(db.dsl().fetchCount(STAT_COUNTER)).isEqualTo(2);
      assertThatThrownBy(() -> HotQuery.together(db.dsl(), List.of(insert.on(db.dsl()).set("name", "d")), (statement, rs) -> { }))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("parameter val not set");
    }
  }
}
