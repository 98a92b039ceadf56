package io.tracetrack.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL the hub benchmarks measure against: the embedded binaries with the durability a
 * deployment has ({@code fsync} and {@code synchronous_commit} on), started fresh in the run's folder.
 */
final class BenchPostgres {

  private BenchPostgres() {}

  static EmbeddedPostgres start(Path workDir, int maxConnections) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(workDir.resolve("pg"))
        .setCleanDataDirectory(true)
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("max_connections", Integer.toString(maxConnections))
        .setServerConfig("shared_buffers", "512MB")
        // TCP only, as the hub's own server (EmbeddedPostgresServer says why)
        .setServerConfig("unix_socket_directories", "")
        .start();
  }

  /** Creates database {@code name} and answers its JDBC URL. */
  static String createDatabase(EmbeddedPostgres pg, String name) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("create database " + name);
    }
    return pg.getJdbcUrl("postgres", name);
  }
}
