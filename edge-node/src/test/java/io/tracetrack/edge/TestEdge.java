package io.tracetrack.edge;

import io.tracetrack.edge.db.DataFolder;
import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.scan.EdgeIdentity;
import io.tracetrack.edge.scan.ScanService;
import io.tracetrack.edge.users.LocalUsers;
import io.tracetrack.model.BounceFilter;
import io.tracetrack.model.CodeGrammar;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** A real edge store in a temporary folder, wired as Main wires it, with a test clock. */
public final class TestEdge implements AutoCloseable {

  public final Path dir;
  public final TestClock clock = TestClock.atNoon();
  public final EdgeDatabase db;
  public final ScanService scans;
  public final LocalUsers users;

  public TestEdge(Path dir) {
    this(dir, CodeGrammar.defaults());
  }

  public TestEdge(Path dir, CodeGrammar grammar) {
    this.dir = dir;
    DataFolder.prepare(dir);
    this.db = EdgeDatabase.open(dir.resolve("edge.db"), Duration.ofSeconds(5));
    EdgeIdentity.ensure(db, "DOCK-T", clock);
    this.scans = new ScanService(db, grammar, clock, BounceFilter.DEFAULT_WINDOW, Duration.ofMinutes(10));
    this.users = new LocalUsers(db, clock);
  }

  /** Counts rows with a plain JDBC connection of its own, as an outside observer would. */
  public long count(String sql) {
    return count(dir.resolve("edge.db"), sql);
  }

  public static long count(Path dbFile, String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** The row counts that must not move when a scan is refused before the store. */
  public String fingerprint() {
    return count("select count(*) from bag") + "/" + count("select count(*) from outbox") + "/"
        + count("select count(*) from scan_log") + "/" + count("select coalesce(sum(child_count),0) from bag");
  }

  @Override
  public void close() {
    db.close();
  }
}
