package io.tracetrack.hub.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.db.HubDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.jooq.Record;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * V28 on a hub where two docks came to share an edge id (a copied data folder): the dock the hub
 * holds the id's ops for keeps it, or, when it holds none, the one enrolled last; every other dock
 * bound to it loses the binding and is revoked, so its edge hears DOCK_REVOKED instead of losing
 * scans as duplicates. From then on the database refuses a second binding.
 */
class DockEdgeIdMigrationTest {

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void upgrade_withDocksSharingAnEdgeId_keepsOneBinding_revokesTheRest_andRefusesNewDuplicates(String kind)
      throws Exception {
    TestDatabases.Unmigrated empty = TestDatabases.unmigrated(kind);
    empty.migrations("27").migrate();
    try (Connection c = empty.connect(); Statement s = c.createStatement()) {
      s.execute("insert into area (id, name, created_at) values ('NORTH', 'North', current_timestamp)");
      String dock = "insert into dock (name, area_id, edge_id, credential_hash, enrolled_at, created_by, created_at)"
          + " values ('%s', 'NORTH', '%s', '%s', timestamp with time zone '%s', 'admin', timestamp with time zone '2026-01-01 00:00:00+00')";
      // edge-a: D1 pushed under it, D2 (a copy) enrolled later: D1 keeps it
      s.execute(String.format(dock, "D1", "edge-a", "h1", "2026-01-02 00:00:00+00"));
      s.execute(String.format(dock, "D2", "edge-a", "h2", "2026-01-03 00:00:00+00"));
      s.execute("insert into edge_progress (edge_id, dock, last_seq) values ('edge-a', 'D1', 7)");
      // edge-b: no ops at the hub yet: the dock enrolled last keeps it
      s.execute(String.format(dock, "D3", "edge-b", "h3", "2026-01-02 00:00:00+00"));
      s.execute(String.format(dock, "D4", "edge-b", "h4", "2026-01-04 00:00:00+00"));
      s.execute(String.format(dock, "D5", "edge-c", "h5", "2026-01-02 00:00:00+00"));
    }
    try (HubDatabase db = empty.open()) {
      List<Record> docks = db.dsl().fetch("select name, edge_id, revoked_at from dock order by name");
      assertThat(docks).extracting(r -> r.get(0) + " " + r.get(1) + " " + (r.get(2) == null ? "live" : "revoked"))
          .containsExactly("D1 edge-a live", "D2 null revoked", "D3 null revoked", "D4 edge-b live", "D5 edge-c live");
      assertThatThrownBy(() -> db.dsl().execute("update dock set edge_id = 'edge-a' where name = 'D5'"))
          .satisfies(e -> assertThat(HubDatabase.isUniqueViolation((org.jooq.exception.DataAccessException) e)).isTrue());
    }
  }
}
