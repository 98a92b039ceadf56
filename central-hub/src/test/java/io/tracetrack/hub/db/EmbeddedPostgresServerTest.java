package io.tracetrack.hub.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

  @TempDir Path data;

  /**
   * The run asked for one PostgreSQL major ({@code -Ppg14}, the build's oldest-version run): the
   * server the tests got is that one, not whatever binaries the class path happened to hold.
   */
  @Test
  void theServer_isTheMajorTheRunAskedFor() throws Exception {
    Integer major = Integer.getInteger("tracetrack.pg.major");
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data.resolve("pg"), false)) {
      int version = Integer.parseInt(select(pg, "show server_version_num"));
      if (major != null) {
        assertThat(version / 10_000).as("server_version_num " + version).isEqualTo(major);
      }
      assertThat(version / 10_000).isBetween(14, 18);
    }
  }

  @Test
  void secondOwnerOfTheSameFolder_isRefusedClearly_andTheFirstKeepsServing() throws Exception {
    try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data.resolve("pg"), false)) {
      assertThatThrownBy(() -> EmbeddedPostgresServer.start(data.resolve("pg"), false))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another hub");
      assertThat(select(first, "select 1")).isEqualTo("1");
    }
  }

  @Test
  void durabilitySettings_areOn_andCommitsOutliveARestart() throws Exception {
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data.resolve("pg"), false)) {
      assertThat(select(pg, "show fsync")).isEqualTo("on");
      assertThat(select(pg, "show synchronous_commit")).isEqualTo("on");
      assertThat(select(pg, "show full_page_writes")).isEqualTo("on");
      execute(pg, "create table kept (x int)");
      execute(pg, "insert into kept values (42)");
    }
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data.resolve("pg"), false)) {
      assertThat(select(pg, "select x from kept")).isEqualTo("42");
    }
  }

  /**
   * No Unix socket, so no lock file in /tmp: a postmaster killed with SIGKILL leaves
   * {@code /tmp/.s.PGSQL.<port>.lock} behind, and a later server drawing that port refused to start
   * while the dead one's PID belonged to another process (a CI run waited 120 s for it).
   */
  @Test
  void theServer_listensOnTcpOnly_andLeavesNoSocketLockInTmp() throws Exception {
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data.resolve("pg"), false)) {
      assertThat(select(pg, "show unix_socket_directories")).isEmpty();
      // a lock a long-dead server left at this port number may be there (this machine's /tmp holds
      // about 150 from before the fix, and a CI run drew one's port); none may be this server's,
      // whose lock would name its data folder
      Path lock = Path.of("/tmp/.s.PGSQL." + pg.port() + ".lock");
      if (Files.exists(lock)) {
        assertThat(Files.readAllLines(lock)).doesNotContain(pg.folder().toString());
      }
    }
  }

  @Test
  void pidFileNamingAnotherLiveProgram_isNotTakenForARunningServer() throws Exception {
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data.resolve("pg"), false)) {
      execute(pg, "select 1");
    }
    // the number of a dead postmaster, since reused by an unrelated process (this JVM)
    Files.writeString(data.resolve("pg").resolve("postmaster.pid"),
        ProcessHandle.current().pid() + "\n" + data.resolve("pg") + "\n1700000000\n5432\n\n127.0.0.1\n  1  1\nready\n");
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data.resolve("pg"), false)) {
      assertThat(select(pg, "select 1")).isEqualTo("1");
    }
    assertThat(ProcessHandle.current().isAlive()).as("the unrelated process was left alone").isTrue();
  }

  private static String select(EmbeddedPostgresServer pg, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), "");
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void execute(EmbeddedPostgresServer pg, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
