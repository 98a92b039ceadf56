package io.tracetrack.edge.db;

import io.tracetrack.edge.ExitCode;
import io.tracetrack.edge.StartupException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.flywaydb.core.api.FlywayException;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DefaultConfiguration;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

/**
 * The dock's SQLite database: WAL, {@code synchronous=FULL}, migrated at open. All writes go through
 * {@link #write}, one at a time in this process ({@link ReentrantLock}, which does not pin virtual
 * threads) and across processes ({@code BEGIN IMMEDIATE} takes SQLite's write lock before the
 * first read, so a decision and its write see the same state). A write returns only after COMMIT,
 * and with {@code synchronous=FULL} COMMIT returns only after the WAL is fsynced: durable before
 * acknowledged.
 */
public final class EdgeDatabase implements AutoCloseable {

  private static final Settings JOOQ_SETTINGS = new Settings()
      .withRenderSchema(false)
      .withRenderQuotedNames(RenderQuotedNames.NEVER)
      .withExecuteLogging(false)
      .withFetchWarnings(false);

  private final Path file;
  private final Connection writeConnection;
  private final Connection readConnection;
  private final PlainSqlDsl writeDsl;
  private final PlainSqlDsl readDsl;
  private final QueryCache writeQueries;
  private final QueryCache readQueries;
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final ReentrantLock readLock = new ReentrantLock();

  private EdgeDatabase(Path file, Connection writeConnection, Connection readConnection) {
    this.file = file;
    this.writeConnection = writeConnection;
    this.readConnection = readConnection;
    this.writeDsl = dsl(writeConnection);
    this.readDsl = dsl(readConnection);
    this.writeQueries = new QueryCache(writeDsl, writeConnection);
    this.readQueries = new QueryCache(readDsl, readConnection);
  }

  private static PlainSqlDsl dsl(Connection connection) {
    return new PlainSqlDsl(new DefaultConfiguration().set(connection).set(SQLDialect.SQLITE).set(JOOQ_SETTINGS), connection);
  }

  /** One connection's view for a unit of work: its DSL and its kept statements. */
  public record Session(DSLContext dsl, QueryCache queries) {}

  /**
   * The migrations, found on the class path once per process: Flyway would otherwise scan the jar
   * again at every open (a third of an open's cost; the simulation and the tests open thousands of
   * docks). The jar cannot change under a running process, and Flyway still validates every applied
   * migration's checksum against these at each open.
   */
  private static final Migrations MIGRATIONS = new Migrations("classpath:db/edge");

  /**
   * Opens (creating if absent) and migrates the database, refusing anything that is not a healthy
   * SQLite file without modifying it.
   */
  public static EdgeDatabase open(Path file, Duration busyTimeout) {
    DataFolder.checkDatabaseHeader(file);
    String url = "jdbc:sqlite:" + file;
    boolean exists = java.nio.file.Files.exists(file);
    if (exists) {
      checkIntegrity(url, busyTimeout);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout((int) busyTimeout.toMillis());
    config.enforceForeignKeys(true);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(url);
    try {
      MIGRATIONS.migrate(dataSource, exists);
    } catch (FlywayException e) {
      throw classify(file, "migrating", e);
    }
    Connection write = null;
    try {
      write = dataSource.getConnection();
      Connection read = dataSource.getConnection();
      return new EdgeDatabase(file, write, read);
    } catch (SQLException e) {
      closeQuietly(write);
      throw classify(file, "opening", e);
    }
  }

  private static void checkIntegrity(String url, Duration busyTimeout) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout((int) busyTimeout.toMillis());
    try (Connection c = config.createConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
      String verdict = rs.next() ? rs.getString(1) : "no answer";
      if (!"ok".equals(verdict)) {
        throw new StartupException(ExitCode.DATA_CORRUPT, url.substring("jdbc:sqlite:".length())
            + " failed its integrity check (" + verdict + "). It was left untouched; restore a backup or move it away.");
      }
    } catch (SQLException e) {
      throw classify(Path.of(url.substring("jdbc:sqlite:".length())), "checking", e);
    }
  }

  /** Maps a failure at open time to a clear message and exit code. */
  private static StartupException classify(Path file, String doing, Exception e) {
    SQLiteException sqlite = sqliteCause(e);
    String code = sqlite == null ? "" : sqlite.getResultCode().name();
    if (code.startsWith("SQLITE_NOTADB") || code.startsWith("SQLITE_CORRUPT")) {
      return new StartupException(ExitCode.DATA_CORRUPT, file + " is damaged (" + code + ") while " + doing
          + ". It was left untouched; restore a backup or move it away.", e);
    }
    if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
      return new StartupException(ExitCode.LOCKED, file + " is locked by another process while " + doing
          + "; try again when that process is done.", e);
    }
    if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_PERM")
        || code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_FULL")) {
      return new StartupException(ExitCode.CANT_CREATE, "cannot write " + file + " (" + code + ") while " + doing + ".", e);
    }
    return new StartupException(ExitCode.SOFTWARE, "unexpected failure " + doing + " " + file + ": " + e.getMessage(), e);
  }

  static SQLiteException sqliteCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException s) {
        return s;
      }
    }
    return null;
  }

  /**
   * Runs {@code work} in one IMMEDIATE transaction and commits durably before returning.
   *
   * @throws StoreUnavailableException if SQLite could not take the write; nothing was stored
   */
  public <T> T write(Function<DSLContext, T> work) {
    return writeSession(session -> work.apply(session.dsl()));
  }

  /** {@link #write}, with the connection's kept statements for the hot path. */
  public <T> T writeSession(Function<Session, T> work) {
    return writeSession(work, true);
  }

  /**
   * {@link #writeSession} committed with {@code synchronous=NORMAL}: no fsync at COMMIT, for the
   * many short transactions of sync that copy the hub and that a power cut may lose. The commit
   * fsync was most of such a transaction (a step of 200 pulled changes: ~4 ms of work, ~10 ms with
   * its fsync, measured), and a scan waiting for the writer waited through it.
   *
   * <p>Why a lost one is harmless, and nothing else is weakened: in WAL mode a commit appends
   * frames to the WAL; after a crash SQLite replays the WAL's frames up to the last commit whose
   * frames all carry valid (cumulative) checksums, so the file comes back exactly as after some
   * commit, never between two. Every write through here carries the position it covers in the
   * same transaction (the pull cursor with the changes it applied, the snapshot's progress with
   * its rows), so a lost tail of them is pulled again. Every other write still fsyncs the WAL at
   * its COMMIT, and that fsync makes every frame before it durable too: a scan acknowledged to a
   * station never rests on frames a power cut can take away. Checkpoints sync the WAL first
   * under NORMAL as well. (Process crashes lose nothing either way: the OS holds the written frames.)
   */
  public <T> T writeReplayable(Function<Session, T> work) {
    return writeSession(work, false);
  }

  private <T> T writeSession(Function<Session, T> work, boolean durable) {
    writeLock.lock();
    try {
      if (!durable) {
        execute("PRAGMA synchronous = NORMAL");
      }
      try {
        execute("BEGIN IMMEDIATE");
        T result;
        try {
          result = work.apply(new Session(writeDsl, writeQueries));
          execute("COMMIT");
        } catch (RuntimeException | Error e) {
          rollbackQuietly();
          throw e;
        }
        writeFailure = null;
        return result;
      } finally {
        if (!durable) {
          // back before the lock is released: the next write may be a scan
          execute("PRAGMA synchronous = FULL");
        }
      }
    } catch (RuntimeException e) {
      if (sqliteCause(e) != null) {
        String why = describeStoreFailure(e);
        writeFailure = why;
        throw new StoreUnavailableException(why, e);
      }
      throw e;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Why the last write failed (the disk full, the file locked or damaged), or empty once a write
   * succeeded again: reads may still answer while nothing can be stored, and a health check that
   * only reads would call such a dock UP.
   */
  public java.util.Optional<String> writeFailure() {
    return java.util.Optional.ofNullable(writeFailure);
  }

  private volatile String writeFailure;

  /** Runs a read on the read connection (WAL lets it proceed while another process writes). */
  public <T> T read(Function<DSLContext, T> work) {
    return readSession(session -> work.apply(session.dsl()));
  }

  /** {@link #read}, with the connection's kept statements. */
  public <T> T readSession(Function<Session, T> work) {
    readLock.lock();
    try {
      return work.apply(new Session(readDsl, readQueries));
    } catch (RuntimeException e) {
      if (sqliteCause(e) != null) {
        throw new StoreUnavailableException(describeStoreFailure(e), e);
      }
      throw e;
    } finally {
      readLock.unlock();
    }
  }

  /** Whether the read connection answers a trivial query now: what readiness reports. */
  public boolean answers() {
    try {
      return read(dsl -> dsl.selectOne().fetchOne() != null);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String describeStoreFailure(Throwable e) {
    SQLiteException sqlite = sqliteCause(e);
    String code = sqlite.getResultCode().name();
    if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
      return "the dock database is locked by another process";
    }
    if (code.startsWith("SQLITE_FULL")) {
      return "the dock's disk is full";
    }
    return "the dock database failed (" + code + ")";
  }

  private void execute(String sql) {
    try (Statement statement = writeConnection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new org.jooq.exception.DataAccessException(sql + " failed: " + e.getMessage(), e);
    }
  }

  private void rollbackQuietly() {
    try (Statement statement = writeConnection.createStatement()) {
      statement.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // SQLite may have rolled back already (e.g. after SQLITE_FULL); nothing more to undo
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    writeLock.lock();
    readLock.lock();
    try {
      writeQueries.close();
      readQueries.close();
      writeDsl.closeKept();
      readDsl.closeKept();
      closeQuietly(writeConnection);
      closeQuietly(readConnection);
    } finally {
      readLock.unlock();
      writeLock.unlock();
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing at shutdown; nothing useful to do
      }
    }
  }
}
