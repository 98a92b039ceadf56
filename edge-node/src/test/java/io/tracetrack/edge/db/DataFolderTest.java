package io.tracetrack.edge.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracetrack.edge.ExitCode;
import io.tracetrack.edge.StartupException;
import io.tracetrack.edge.TestEdge;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {

  @TempDir Path dir;

  private static ExitCode exitOf(Runnable r) {
    try {
      r.run();
    } catch (StartupException e) {
      assertThat(e.getMessage()).isNotBlank();
      return e.exitCode();
    }
    throw new AssertionError("expected a StartupException");
  }

  private static String sha(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void aFileWhereTheFolderShouldBe_isRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    assertThat(exitOf(() -> DataFolder.prepare(file))).isEqualTo(ExitCode.CANT_CREATE);
  }

  @Test
  void aFolderThatCannotBeCreated_isRefused_evenForRoot() {
    // /proc refuses new entries to every user, root included, so this holds on CI as root
    assertThat(exitOf(() -> DataFolder.prepare(Path.of("/proc/tracetrack-test/data")))).isEqualTo(ExitCode.CANT_CREATE);
  }

  @Test
  void aReadOnlyFolder_isRefused_whenPermissionsApply() throws Exception {
    Path ro = Files.createDirectory(dir.resolve("ro"));
    ro.toFile().setWritable(false, false);
    try {
      if (Files.isWritable(ro)) {
        return; // running as root: permission bits do not bind; the /proc case above covers it
      }
      assertThat(exitOf(() -> DataFolder.prepare(ro))).isEqualTo(ExitCode.CANT_CREATE);
    } finally {
      ro.toFile().setWritable(true, false);
    }
  }

  @Test
  void aFileThatIsNotSqlite_isRefused_andLeftByteForByteUntouched() throws Exception {
    Path db = dir.resolve("edge.db");
    Files.writeString(db, "these are somebody's notes, not a database\n".repeat(100));
    String before = sha(db);
    assertThat(exitOf(() -> EdgeDatabase.open(db, Duration.ofSeconds(1)))).isEqualTo(ExitCode.DATA_CORRUPT);
    assertThat(sha(db)).isEqualTo(before);
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("edge.db");
  }

  @Test
  void aDamagedSqliteFile_isRefused_andLeftUntouched() throws Exception {
    try (TestEdge edge = new TestEdge(dir)) {
      for (int i = 0; i < 200; i++) {
        edge.clock.advance(Duration.ofSeconds(1));
        edge.scans.scan("s1", "asha", i % 20 == 0 ? "SB" + (10000 + i) : "C" + i);
      }
    }
    Path db = dir.resolve("edge.db");
    Files.deleteIfExists(dir.resolve("edge.db-wal"));
    Files.deleteIfExists(dir.resolve("edge.db-shm"));
    try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
      // keep the 100-byte header, smash the first pages (schema and b-tree roots)
      f.seek(100);
      f.write(new byte[8192]);
      f.seek(4096 + 50);
      f.write("garbage garbage garbage".getBytes());
    }
    String before = sha(db);
    assertThat(exitOf(() -> EdgeDatabase.open(db, Duration.ofSeconds(1)))).isEqualTo(ExitCode.DATA_CORRUPT);
    assertThat(sha(db)).isEqualTo(before);
  }

  @Test
  void aSecondServerOnTheSameFolder_isRefusedAsLocked() {
    DataFolder.prepare(dir);
    FileLock first = DataFolder.lockForServer(dir);
    try {
      assertThat(exitOf(() -> DataFolder.lockForServer(dir))).isEqualTo(ExitCode.LOCKED);
    } finally {
      try {
        first.channel().close();
      } catch (Exception ignored) {
        // test cleanup
      }
    }
  }

  @Test
  void anEmptyFile_isTreatedAsANewDatabase() throws Exception {
    Files.createFile(dir.resolve("edge.db"));
    try (TestEdge edge = new TestEdge(dir)) {
      assertThat(edge.count("select count(*) from edge_meta")).isEqualTo(1);
    }
  }

  /**
   * The reopen fast path ({@code Migrations}) skips Flyway only for a history exactly like the one
   * Flyway last left: a reopened database works, and one whose history no longer matches the
   * migrations (a changed checksum) is still refused by Flyway's validation, after the fast path
   * was armed by a good open in the same process.
   */
  @Test
  void aReopenSkipsNothingFlywayWouldRefuse() throws Exception {
    Path good = dir.resolve("good.db");
    Path tampered = dir.resolve("tampered.db");
    EdgeDatabase.open(good, Duration.ofSeconds(1)).close();
    EdgeDatabase.open(tampered, Duration.ofSeconds(1)).close();
    try (EdgeDatabase db = EdgeDatabase.open(good, Duration.ofSeconds(1))) {
      int rows = db.read(dsl -> dsl.fetchCount(org.jooq.impl.DSL.table("flyway_schema_history")));
      assertThat(rows).isPositive();
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + tampered);
        java.sql.Statement s = c.createStatement()) {
      s.executeUpdate("update flyway_schema_history set checksum = checksum + 1"
          + " where installed_rank = (select max(installed_rank) from flyway_schema_history)");
    }
    assertThat(exitOf(() -> EdgeDatabase.open(tampered, Duration.ofSeconds(1)))).isEqualTo(ExitCode.SOFTWARE);
    EdgeDatabase.open(good, Duration.ofSeconds(1)).close();
  }
}
