package io.tracetrack.edge.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracetrack.edge.TestEdge;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bag table refuses a count past the limit or below zero, whatever code writes it. */
class BagCountCheckTest {

  @TempDir Path dir;

  private static void exec(Path db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  @Test
  void directUpdatePastTheLimit_orBelowZero_isRefused() throws Exception {
    try (TestEdge edge = new TestEdge(dir)) {
      edge.scans.scan("s1", "asha", "P1-3");
      Path db = dir.resolve("edge.db");
      exec(db, "update bag set child_count = 3 where code = 'P1-3'"); // at the limit is allowed

      assertThatThrownBy(() -> exec(db, "update bag set child_count = 4 where code = 'P1-3'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("bag_child_count_within_limit");
      assertThatThrownBy(() -> exec(db, "update bag set child_count = -1 where code = 'P1-3'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("bag_child_count_not_negative");
      assertThat(edge.count("select child_count from bag where code = 'P1-3'")).isEqualTo(3);
    }
  }

  @Test
  void migration_keepsTheBagsOfAnOlderStore() throws Exception {
    Path db = dir.resolve("edge.db");
    Flyway.configure().dataSource("jdbc:sqlite:" + db, null, null).locations("classpath:db/edge").target("1")
        .load().migrate();
    exec(db, "insert into bag (code, role, expected_count, limit_count, child_count, created_at, created_by, "
        + "created_station) values ('P1-3', 'PARENT', 3, 3, 1, 1, 'asha', 's1')");
    exec(db, "insert into bag (code, role, limit_count, created_at, created_by, created_station, parent_code, "
        + "linked_at, linked_by, linked_station, link_seq) values ('C1', 'CHILD', 0, 2, 'asha', 's1', 'P1-3', 2, "
        + "'asha', 's1', 2)");
    try (TestEdge edge = new TestEdge(dir)) {
      assertThat(edge.count("select count(*) from bag where code = 'P1-3' and child_count = 1 and limit_count = 3 "
          + "and expected_count = 3 and created_by = 'asha'")).isEqualTo(1);
      assertThat(edge.count("select count(*) from bag where code = 'C1' and parent_code = 'P1-3' and link_seq = 2"))
          .isEqualTo(1);
      assertThatThrownBy(() -> exec(db, "update bag set child_count = 4 where code = 'P1-3'"))
          .isInstanceOf(SQLException.class);
    }
  }
}
