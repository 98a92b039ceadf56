package io.tracetrack.hub.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The hub's database: HikariCP pool, Flyway migrations at start, one jOOQ context. PostgreSQL in
 * production; H2 in PostgreSQL mode as the zero-setup default. The same migrations and the same
 * jOOQ code serve both.
 */
public final class HubDatabase implements AutoCloseable {

  private static final Settings SETTINGS = new Settings()
      .withRenderSchema(false)
      .withRenderQuotedNames(RenderQuotedNames.NEVER)
      .withExecuteLogging(false);

  private final HikariDataSource pool;
  private final DSLContext dsl;
  private final SQLDialect dialect;

  private final Path embeddedFile;

  private HubDatabase(HikariDataSource pool, SQLDialect dialect, Path embeddedFile) {
    this.pool = pool;
    this.embeddedFile = embeddedFile;
    this.dialect = dialect;
    this.dsl = DSL.using(pool, dialect, SETTINGS);
  }

  /** The embedded H2 database in {@code dataDir}. */
  public static HubDatabase embedded(Path dataDir, int poolSize) {
    String url = "jdbc:h2:file:" + dataDir.resolve("hub").toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000"
        // stream large results (exports) instead of materialising them
        + ";LAZY_QUERY_EXECUTION=1";
    return open(url, "sa", "", poolSize, SQLDialect.H2, dataDir.resolve("hub.mv.db").toAbsolutePath());
  }

  /** A PostgreSQL database. */
  public static HubDatabase postgres(String url, String user, String password, int poolSize) {
    return open(url, user, password, poolSize, SQLDialect.POSTGRES, null);
  }

  private static HubDatabase open(String url, String user, String password, int poolSize, SQLDialect dialect,
      Path embeddedFile) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("hub");
    config.setAutoCommit(true);
    HikariDataSource pool = new HikariDataSource(config);
    try {
      // the shared migrations, then (PostgreSQL only) indexes H2 has no syntax for
      String[] locations = dialect == SQLDialect.POSTGRES
          ? new String[] {"classpath:db/hub/common", "classpath:db/hub/postgresql"}
          : new String[] {"classpath:db/hub/common"};
      Flyway.configure().dataSource(pool).locations(locations).failOnMissingLocations(true).load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new HubDatabase(pool, dialect, embeddedFile);
  }

  public DSLContext dsl() {
    return dsl;
  }

  public SQLDialect dialect() {
    return dialect;
  }

  /** The database's size on disk, in bytes. */
  public long sizeBytes() {
    if (dialect == SQLDialect.POSTGRES) {
      return ((Number) dsl.fetchValue("select pg_database_size(current_database())")).longValue();
    }
    try {
      return java.nio.file.Files.size(embeddedFile);
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  public HikariDataSource pool() {
    return pool;
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  public <T> T transaction(Function<DSLContext, T> work) {
    return dsl.transactionResult(configuration -> work.apply(configuration.dsl()));
  }

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

  @Override
  public void close() {
    pool.close();
  }
}
