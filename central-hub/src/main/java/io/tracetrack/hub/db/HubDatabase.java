package io.tracetrack.hub.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The hub's database: HikariCP pool, Flyway migrations at start, one jOOQ context. PostgreSQL, either
 * external or embedded (the zero-setup default, run by the hub itself from its data folder), or H2
 * in PostgreSQL mode on explicit request. The same migrations and the same jOOQ code serve all.
 */
public final class HubDatabase implements AutoCloseable {

  private static final Settings SETTINGS = new Settings()
      .withRenderSchema(false)
      .withRenderQuotedNames(RenderQuotedNames.NEVER)
      .withExecuteLogging(false);

  private final HikariDataSource pool;
  /** In front of the pool for everything that goes through {@link #dsl} and {@link #transaction}. */
  private final DbGate gate;
  private final DSLContext dsl;
  private final SQLDialect dialect;

  private final Path embeddedFile;
  /** The embedded server this database runs on, stopped after the pool; null if not ours. */
  private final EmbeddedPostgresServer server;
  private final String description;

  private HubDatabase(HikariDataSource pool, SQLDialect dialect, Path embeddedFile, EmbeddedPostgresServer server,
      String description) {
    this.pool = pool;
    this.embeddedFile = embeddedFile;
    this.dialect = dialect;
    this.server = server;
    this.description = description;
    this.gate = new DbGate(pool.getMaximumPoolSize(), DbGate.DEFAULT_DEADLINE);
    this.dsl = DSL.using(gate.guard(pool), dialect, SETTINGS);
  }

  /**
   * The H2 database {@code hub.mv.db} in {@code dataDir}. {@code WRITE_DELAY=0} makes every commit
   * write its chunk to the file before the statement returns (H2's default waits up to 500 ms, and a
   * process kill loses what it held): a commit survives a kill of the process, but H2 does not fsync,
   * so a power cut or an operating-system crash can still lose the last commits.
   */
  public static HubDatabase h2(Path dataDir, int poolSize) {
    String url = "jdbc:h2:file:" + dataDir.resolve("hub").toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000"
        + ";WRITE_DELAY=0"
        // stream large results (exports) instead of materialising them
        + ";LAZY_QUERY_EXECUTION=1";
    Path file = dataDir.resolve("hub.mv.db").toAbsolutePath();
    return open(url, "sa", "", poolSize, SQLDialect.H2, file, null, "H2 in " + file + " (survives a process kill, not a power cut)");
  }

  /**
   * An H2 database held in this process's memory only, with the same mode and settings as
   * {@link #h2} ({@code name} names it within the process; it lives until the SQL {@code SHUTDOWN}). Not
   * used by the product: a seam for the seeded simulation, which re-runs thousands of seeds on one
   * hub database and has no use for a file (nothing outlives the process there). It also keeps
   * more parsed statements per connection ({@code QUERY_CACHE_SIZE}), a cache only.
   */
  public static HubDatabase h2InMemory(String name, int poolSize) {
    String url = "jdbc:h2:mem:" + name
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000"
        + ";LAZY_QUERY_EXECUTION=1;DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=256";
    return open(url, "sa", "", poolSize, SQLDialect.H2, null, null, "H2 in memory (" + name + ")");
  }

  /**
   * PostgreSQL run by the hub itself, its cluster in {@code dataDir/pg}: started here, stopped by
   * {@link #close()} after the pool.
   */
  public static HubDatabase embeddedPostgres(Path dataDir, int poolSize) {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir.resolve("pg"), false);
    try {
      return open(server.database("tracetrack"), server.user(), "", poolSize, SQLDialect.POSTGRES, null, server,
          "embedded PostgreSQL " + server.version() + " in " + server.folder());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** A PostgreSQL database. */
  public static HubDatabase postgres(String url, String user, String password, int poolSize) {
    return open(url, user, password, poolSize, SQLDialect.POSTGRES, null, null,
        "PostgreSQL at " + url.replaceFirst("\\?.*$", ""));
  }

  /**
   * The migrations, found on the class path once per process (Flyway would scan the jar again for
   * every database; the tests open hundreds): the shared ones, then (PostgreSQL only) indexes H2 has
   * no syntax for. Flyway still validates the applied migrations against these at every open.
   */
  private static final class Scanned {
    static final Migrations POSTGRES = new Migrations("classpath:db/hub/common", "classpath:db/hub/postgresql");
    static final Migrations H2 = new Migrations("classpath:db/hub/common");
  }

  private static HubDatabase open(String url, String user, String password, int poolSize, SQLDialect dialect,
      Path embeddedFile, EmbeddedPostgresServer server, String description) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("hub");
    config.setAutoCommit(true);
    HikariDataSource pool = new HikariDataSource(config);
    try {
      (dialect == SQLDialect.POSTGRES ? Scanned.POSTGRES : Scanned.H2).configure().dataSource(pool).load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new HubDatabase(pool, dialect, embeddedFile, server, description);
  }

  public DSLContext dsl() {
    return dsl;
  }

  public SQLDialect dialect() {
    return dialect;
  }

  /** What and where this database is, for the startup line: e.g. "embedded PostgreSQL 18.6 in /…/pg". */
  public String description() {
    return description;
  }

  /** Whether the database answers a trivial query now: what readiness reports. */
  public boolean answers() {
    try {
      return dsl.selectOne().fetchOne() != null;
    } catch (io.tracetrack.web.ApiProblem busy) {
      // every connection is serving requests: the database answers, it is busy, and readiness
      // must not take a loaded instance out of rotation (its load would land on the others)
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The database's size on disk, in bytes. */
  public long sizeBytes() {
    if (dialect == SQLDialect.POSTGRES) {
      return ((Number) dsl.fetchValue("select pg_database_size(current_database())")).longValue();
    }
    if (embeddedFile == null) {
      return -1;
    }
    try {
      return java.nio.file.Files.size(embeddedFile);
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  /** The connections the pool keeps now (its size as opened, or as last {@link #resize}d). */
  public int poolSize() {
    return gate.size();
  }

  /**
   * Keeps {@code connections} connections from now on: the pool and the admission queue in front of
   * it both change. Growing is at once; shrinking lets the connections in use finish, and the pool
   * replaces its connections as they come back, up to the new size. For an instance's share of a
   * database several instances use ({@link io.tracetrack.hub.ops.HubInstances}).
   */
  public synchronized void resize(int connections) {
    if (connections < 1) {
      throw new IllegalArgumentException("a pool needs at least one connection, got " + connections);
    }
    var config = pool.getHikariConfigMXBean();
    // the pool keeps as many idle as it may hold (Hikari's default, which open() leaves); the order
    // keeps the smallest idle count at or below the largest size at every step
    if (connections < config.getMaximumPoolSize()) {
      config.setMinimumIdle(connections);
      config.setMaximumPoolSize(connections);
      // Hikari closes connections beyond a smaller size only at their max lifetime (30 min), and
      // cannot be told to close just those: when it holds more, every connection is replaced (the
      // idle at once, the busy as they come back) and it refills to the new size. A few new
      // backends when an instance joins, rather than idle ones counted against max_connections
      // for half an hour by every instance an autoscaler adds
      if (pool.getHikariPoolMXBean().getTotalConnections() > connections) {
        pool.getHikariPoolMXBean().softEvictConnections();
      }
    } else {
      config.setMaximumPoolSize(connections);
      config.setMinimumIdle(connections);
    }
    gate.resize(connections);
  }

  /** The fair admission queue in front of the pool: its deadline, queue length and refusals. */
  public DbGate gate() {
    return gate;
  }

  /**
   * The raw pool, for its meters and for work that must bypass the admission queue; a request's
   * queries go through {@link #dsl} so they wait their turn.
   */
  public HikariDataSource pool() {
    return pool;
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  public <T> T transaction(Function<DSLContext, T> work) {
    TransactionLocal.begin();
    try {
      T result = dsl.transactionResult(configuration -> work.apply(configuration.dsl()));
      if (dialect == SQLDialect.H2 && embeddedFile != null) {
        // H2 on a file: even with WRITE_DELAY=0 its store does not always write a commit's changes
        // to the file before the commit returns while other sessions commit at the same moment (a
        // SIGKILL under six concurrent writers lost one acknowledged link of 800, HubKillIT). A
        // CHECKPOINT writes everything committed so far, so what the caller acknowledges next is in
        // the file. PostgreSQL needs none of this: its commit is durable when it returns.
        dsl.execute("checkpoint");
      }
      // committed: what follows (evicting the read caches) must not be refused at the queue; the
      // listeners still see this transaction's TransactionLocal values
      gate.unqueued(() -> afterCommit.forEach(Runnable::run));
      return result;
    } finally {
      TransactionLocal.end();
    }
  }

  /**
   * Runs {@code work} in one read-only-in-spirit REPEATABLE READ transaction on a connection taken
   * straight from the pool (past the admission queue: a long stream must not hold a queue slot),
   * with auto-commit off so PostgreSQL streams a cursor's rows instead of loading them all. Every
   * statement sees the database as of the first one: a consistent picture however long it runs.
   */
  public void repeatableRead(java.util.function.Consumer<DSLContext> work) {
    try (java.sql.Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(java.sql.Connection.TRANSACTION_REPEATABLE_READ);
      try {
        work.accept(org.jooq.impl.DSL.using(c, dialect()));
        c.commit();
      } catch (RuntimeException | Error e) {
        c.rollback();
        throw e;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("read failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code listener} after each transaction of {@link #transaction} commits, on the writer's
   * thread: how long-polling readers on this instance hear of a new change-log entry at once
   * instead of at their next re-check. It must be quick and must not throw.
   */
  public void afterEachCommit(Runnable listener) {
    afterCommit.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  private final java.util.List<Runnable> afterCommit = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Whether a failure is a unique-key violation (another transaction inserted the same key first). */
  public static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql && Objects.equals(sql.getSQLState(), "23505")) {
        return true;
      }
      if (t instanceof DataAccessException dae && "23505".equals(dae.sqlState())) {
        return true;
      }
    }
    return false;
  }

  /** Closes the pool, then stops the embedded server if this database runs one. */
  @Override
  public void close() {
    try {
      pool.close();
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }
}
