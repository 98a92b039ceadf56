package io.tracetrack.edge.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.InvalidResultException;
import org.jooq.exception.NoDataFoundException;
import org.jooq.exception.TooManyRowsException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteException;

/**
 * {@link PlainSqlDsl} answers every plain SQL statement as jOOQ's own path does on the same SQLite
 * connection: the same rows, values that convert to the same Java values, the same exceptions, and
 * statements jOOQ treats differently (DDL, templates, other value types) left to jOOQ.
 */
class PlainSqlDslTest {

  @TempDir
  Path folder;
  private Connection connection;
  private PlainSqlDsl fast;
  private DSLContext jooq;

  @BeforeEach
  void open() throws SQLException {
    connection = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("t.db"));
    fast = new PlainSqlDsl(new DefaultConfiguration().set(connection).set(SQLDialect.SQLITE), connection);
    jooq = DSL.using(connection, SQLDialect.SQLITE);
    // at is bigint: jOOQ reads a column declared integer as a Java int, cutting epoch milliseconds
    jooq.execute("create table t (id integer primary key, name text not null unique, at bigint, score real, blob blob, flag integer)");
  }

  @AfterEach
  void close() throws SQLException {
    fast.closeKept();
    connection.close();
  }

  @Test
  void writesAndReadsAsJooqDoes() {
    assertThat(fast.execute("insert into t (id, name, at, score, blob, flag) values (?, ?, ?, ?, ?, ?)",
        1, "a", 1_765_000_000_000L, 2.5, new byte[] {1, 2}, true)).isEqualTo(1);
    assertThat(fast.execute("insert into t (id, name, at) values (?, ?, ?)", 2, "b", null)).isEqualTo(1);
    assertThat(fast.execute("update t set score = ? where id > ?", 0.5, 0)).isEqualTo(2);

    for (String sql : List.of("select id, name, at, score, blob, flag from t order by id",
        "select count(*) as n, max(id) from t", "with x as (select name from t) select name from x order by name")) {
      List<List<Object>> mine = fast.fetch(sql).map(PlainSqlDslTest::normal);
      List<List<Object>> theirs = jooq.fetch(sql).map(PlainSqlDslTest::normal);
      assertThat(mine).as(sql).isEqualTo(theirs);
    }
    Record a = fast.fetchSingle("select id, name, at, flag from t where name = ?", "a");
    // whole, even where the driver calls the column an integer (jOOQ's path read it as an int and cut
    // epoch milliseconds to -231558656)
    assertThat(fast.fetchSingle("select max(at) from t").get(0, Long.class)).isEqualTo(1_765_000_000_000L);
    assertThat(a.get("at", Long.class)).isEqualTo(1_765_000_000_000L);
    assertThat(a.get(0, Long.class)).isEqualTo(1L);
    assertThat(a.get("name", String.class)).isEqualTo("a");
    assertThat(a.get("flag", Boolean.class)).isTrue();
    assertThat(fast.fetchSingle("select at from t where id = 2").get(0, Long.class)).isNull();
    assertThat(fast.fetchValue("select count(*) from t")).isInstanceOf(Number.class);
    assertThat(fast.fetchValue("select id from t where id = 9")).isNull();
    assertThat(fast.fetchOptional("select id from t where id = ?", 9)).isEmpty();
    assertThat(fast.fetchOne("select id from t where id = ?", 2).get(0, Integer.class)).isEqualTo(2);
  }

  @Test
  void theSameStatementRunsAgainWithOtherValues() {
    for (int i = 0; i < 300; i++) { // more than it keeps: the eldest are closed and prepared again
      fast.execute("insert into t (id, name) values (?, ?)", i, "n" + i);
      assertThat(fast.fetchSingle("select name from t where id = " + i).get(0, String.class)).isEqualTo("n" + i);
    }
    assertThat(fast.fetchSingle("select count(*) from t").get(0, Integer.class)).isEqualTo(300);
  }

  @Test
  void failuresAreJooqsExceptionsAndTheStatementIsPreparedAgain() {
    fast.execute("insert into t (id, name) values (?, ?)", 1, "a");
    assertThatThrownBy(() -> fast.execute("insert into t (id, name) values (?, ?)", 2, "a"))
        .isInstanceOf(DataAccessException.class)
        .hasMessageContaining("UNIQUE")
        .hasCauseInstanceOf(SQLiteException.class);
    assertThat(fast.execute("insert into t (id, name) values (?, ?)", 2, "b")).isEqualTo(1);
    assertThatThrownBy(() -> fast.fetchSingle("select id from t where id = 9")).isInstanceOf(NoDataFoundException.class);
    assertThatThrownBy(() -> fast.fetchOne("select id from t")).isInstanceOf(TooManyRowsException.class);
    assertThatThrownBy(() -> fast.fetchValue("select id, name from t where id = 1")).isInstanceOf(InvalidResultException.class);
    assertThatThrownBy(() -> fast.fetch("select nope from t")).isInstanceOf(DataAccessException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void whatJooqTreatsDifferentlyStaysWithJooq() {
    // DDL, a {0} template, a value of a type the driver does not bind as jOOQ does, a PRAGMA, savepoints
    fast.execute("create table u (d text)");
    fast.execute("insert into u (d) values ({0})", DSL.inline("x"));
    fast.execute("insert into u (d) values (?)", java.time.LocalDate.of(2026, 12, 6));
    assertThat(fast.fetch("select d from u order by d").getValues(0, String.class)).containsExactly("2026-12-06", "x");
    fast.execute("  PRAGMA user_version = 3");
    assertThat(fast.fetchValue("pragma user_version")).isEqualTo(3);
    fast.execute("savepoint s");
    fast.execute("insert into u (d) values (?)", "undone");
    fast.execute("rollback to savepoint s");
    fast.execute("release savepoint s");
    assertThat(fast.fetch("select d from u").getValues(0, String.class)).doesNotContain("undone");
    assertThatThrownBy(() -> fast.execute("alter table nope rename to nada")).isInstanceOf(DataAccessException.class)
        .hasMessageContaining("nope");
  }

  /** A row as values the callers read it as: numbers as longs or doubles, bytes as a list. */
  private static List<Object> normal(Record r) {
    List<Object> values = new java.util.ArrayList<>();
    for (Object v : r.intoArray()) {
      values.add(v instanceof Integer || v instanceof Long || v instanceof Short ? ((Number) v).longValue()
          : v instanceof Float f ? f.doubleValue()
          : v instanceof byte[] b ? java.util.Arrays.toString(b) : v);
    }
    return values;
  }
}
