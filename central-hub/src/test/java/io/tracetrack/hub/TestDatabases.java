package io.tracetrack.hub;

import io.tracetrack.hub.db.EmbeddedPostgresServer;
import io.tracetrack.hub.db.HubDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Real databases for tests: a fresh H2 file database, and a fresh database on a real PostgreSQL
 * server, with fsync on. The PostgreSQL server is the hub's own embedded server (the binaries from
 * Maven Central), started once per test JVM in a throwaway folder; {@code TRACETRACK_TEST_PG_URL} (with {@code TRACETRACK_TEST_PG_USER} and
 * {@code TRACETRACK_TEST_PG_PASSWORD}) points the tests at an external server instead.
 */
public final class TestDatabases {

  private static final AtomicInteger NEXT = new AtomicInteger();
  /** How to open another pool on the database behind each handed-out one (a second hub instance). */
  private static final Map<HubDatabase, Supplier<HubDatabase>> REOPEN = new ConcurrentHashMap<>();
  private static EmbeddedPostgresServer postgres;
  private static String template;
  private static Path h2Template;

  private TestDatabases() {}

  /** The database kinds every repository test runs against. */
  public static Stream<String> kinds() {
    return Stream.of("h2", "postgresql");
  }

  public static HubDatabase fresh(String kind, int poolSize) {
    return switch (kind) {
      case "h2" -> h2(poolSize);
      case "postgresql" -> postgres(poolSize);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /**
   * Another pool on the same database as {@code db} (which this class handed out): what a second
   * hub instance over the same database has. Closing it leaves {@code db} open.
   */
  public static HubDatabase another(HubDatabase db) {
    Supplier<HubDatabase> reopen = REOPEN.get(db);
    if (reopen == null) {
      throw new IllegalArgumentException("not a database from TestDatabases");
    }
    return reopen.get();
  }

  public static HubDatabase h2(int poolSize) {
    try {
      Path dir = Files.createTempDirectory("hub-h2-");
      // a closed H2 database is one file: a copy of a migrated one saves the migrations
      Files.copy(migratedH2Template().resolve("hub.mv.db"), dir.resolve("hub.mv.db"));
      // H2 in one JVM: a second pool on the same file shares the one open database
      HubDatabase db = HubDatabase.h2(dir, poolSize);
      REOPEN.put(db, () -> HubDatabase.h2(dir, poolSize));
      return db;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An empty database that nothing has migrated yet: for tests of a migration, which bring it to an
   * older version with Flyway ({@link #migrations}), write rows as an older hub did, then
   * {@link #open} it as the hub does (migrating it to the latest version).
   */
  public record Unmigrated(String kind, String url, String user, String password, Supplier<HubDatabase> opener) {
    /** The hub's migrations for this kind of database, up to {@code version}, not yet run. */
    public org.flywaydb.core.Flyway migrations(String version) {
      String[] locations = kind.equals("postgresql")
          ? new String[] {"classpath:db/hub/common", "classpath:db/hub/postgresql"}
          : new String[] {"classpath:db/hub/common"};
      return org.flywaydb.core.Flyway.configure().dataSource(url, user, password).locations(locations)
          .target(version).load();
    }

    public Connection connect() throws java.sql.SQLException {
      return java.sql.DriverManager.getConnection(url, user, password);
    }

    /** Opens the hub's pool on it, which migrates it to the latest version. */
    public HubDatabase open() {
      return opener.get();
    }
  }

  public static Unmigrated unmigrated(String kind) {
    try {
      return switch (kind) {
        case "h2" -> {
          Path dir = Files.createTempDirectory("hub-h2-");
          // the settings HubDatabase.h2 opens the same file with
          String url = "jdbc:h2:file:" + dir.resolve("hub").toAbsolutePath()
              + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
          yield new Unmigrated(kind, url, "sa", "", () -> HubDatabase.h2(dir, 2));
        }
        case "postgresql" -> {
          if (System.getenv("TRACETRACK_TEST_PG_URL") != null) {
            throw new IllegalStateException("unmigrated databases need the embedded test server");
          }
          String url = postgresServer().database("tt_test_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet());
          String user = postgres.user();
          yield new Unmigrated(kind, url, user, "", () -> HubDatabase.postgres(url, user, "", 2));
        }
        default -> throw new IllegalArgumentException(kind);
      };
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static synchronized EmbeddedPostgresServer postgresServer() throws IOException {
    if (postgres == null) {
      // the same launcher as the hub's default, so fsync is on: durability is tested as it runs
      postgres = EmbeddedPostgresServer.start(Files.createTempDirectory("hub-pg-").resolve("pg"), true);
      Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "test-postgres-stop"));
    }
    return postgres;
  }

  private static synchronized Path migratedH2Template() throws IOException {
    if (h2Template == null) {
      Path dir = Files.createTempDirectory("hub-h2-template-");
      HubDatabase.h2(dir, 2).close();
      h2Template = dir;
    }
    return h2Template;
  }

  /**
   * A database this JVM migrated once, which each fresh one is copied from: PostgreSQL copies a
   * template in a fraction of the time the migrations take, and the hub's Flyway then finds every
   * migration applied (its validation still runs, so a copy that drifted would fail).
   */
  private static synchronized String migratedTemplate() throws IOException {
    if (template == null) {
      String name = "tt_template_" + ProcessHandle.current().pid();
      String url = postgresServer().database(name);
      HubDatabase.postgres(url, postgres.user(), "", 2).close();
      template = name;
    }
    return template;
  }

  /** A new database on the shared PostgreSQL server, migrated to the latest version. */
  public static synchronized HubDatabase postgres(int poolSize) {
    String name = "tt_test_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    String external = System.getenv("TRACETRACK_TEST_PG_URL");
    try {
      if (external != null) {
        String user = System.getenv().getOrDefault("TRACETRACK_TEST_PG_USER", "postgres");
        String password = System.getenv().getOrDefault("TRACETRACK_TEST_PG_PASSWORD", "");
        try (Connection c = java.sql.DriverManager.getConnection(external, user, password);
            Statement s = c.createStatement()) {
          s.execute("create database " + name);
        }
        String url = external.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
        HubDatabase db = HubDatabase.postgres(url, user, password, poolSize);
        REOPEN.put(db, () -> HubDatabase.postgres(url, user, password, poolSize));
        return db;
      }
      String url = postgresServer().databaseFrom(migratedTemplate(), name);
      HubDatabase db = HubDatabase.postgres(url, postgres.user(), "", poolSize);
      REOPEN.put(db, () -> HubDatabase.postgres(url, postgres.user(), "", poolSize));
      return db;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start or reach PostgreSQL for tests: " + e.getMessage(), e);
    }
  }
}
