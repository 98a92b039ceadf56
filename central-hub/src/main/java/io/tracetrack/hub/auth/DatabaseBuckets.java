package io.tracetrack.hub.auth;

import static io.tracetrack.hub.db.jooq.Tables.RATE_BUCKET;

import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.web.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Token buckets kept in the hub's database ({@code rate_bucket}), so every hub instance on it
 * spends from the same ones. bucket4j does the arithmetic and the serialising; this class is its
 * storage, the row of a bucket locked with {@code SELECT ... FOR UPDATE} for the few microseconds a
 * take lasts (bucket4j's generic select-for-update proxy, the way its own PostgreSQL module works,
 * written over jOOQ so it runs on H2 too).
 */
@Store
final class DatabaseBuckets extends AbstractSelectForUpdateBasedProxyManager<String> {

  private final HubDatabase db;
  private final Clock clock;

  DatabaseBuckets(HubDatabase db, Clock clock, ClientSideConfig config) {
    super(config);
    this.db = db;
    this.clock = clock;
  }

  @Override
  protected SelectForUpdateBasedTransaction allocateTransaction(String key, Optional<Long> timeoutNanos) {
    Connection connection;
    try {
      connection = db.pool().getConnection();
    } catch (SQLException e) {
      throw new IllegalStateException("no database connection for a rate limit", e);
    }
    DSLContext dsl = DSL.using(connection, db.dialect());
    return new SelectForUpdateBasedTransaction() {
      @Override
      public void begin(Optional<Long> timeout) {
        sql(() -> connection.setAutoCommit(false));
      }

      @Override
      public void rollback() {
        sql(connection::rollback);
      }

      @Override
      public void commit(Optional<Long> timeout) {
        sql(connection::commit);
      }

      @Override
      public LockAndGetResult tryLockAndGet(Optional<Long> timeout) {
        var row = dsl.select(RATE_BUCKET.STATE).from(RATE_BUCKET).where(RATE_BUCKET.ID.eq(key)).forUpdate().fetchOptional();
        return row.isPresent() ? LockAndGetResult.locked(row.get().value1()) : LockAndGetResult.notLocked();
      }

      @Override
      public boolean tryInsertEmptyData(Optional<Long> timeout) {
        // state left out (null until the first update): H2's emulation of the upsert cannot cast a null to binary
        try {
          return dsl.insertInto(RATE_BUCKET).set(RATE_BUCKET.ID, key)
              .set(RATE_BUCKET.TOUCHED_AT, clock.millis()).onConflictDoNothing().execute() > 0;
        } catch (org.jooq.exception.DataAccessException e) {
          // H2 runs "on conflict do nothing" as a MERGE, and two at once can both find no row and
          // the second insert then fails on the key: the row is there, as a lost race leaves it on
          // PostgreSQL, so say "not inserted" and bucket4j locks the other's row (an H2 statement's
          // failure leaves its transaction usable). SharedSignInLimiterTest's burst met this once.
          if (HubDatabase.isUniqueViolation(e)) {
            return false;
          }
          throw e;
        }
      }

      @Override
      public void update(byte[] data, RemoteBucketState state, Optional<Long> timeout) {
        dsl.update(RATE_BUCKET).set(RATE_BUCKET.STATE, data).set(RATE_BUCKET.TOUCHED_AT, clock.millis())
            .where(RATE_BUCKET.ID.eq(key)).execute();
      }

      @Override
      public void release() {
        sql(connection::close);
      }
    };
  }

  @Override
  public void removeProxy(String key) {
    db.dsl().deleteFrom(RATE_BUCKET).where(RATE_BUCKET.ID.eq(key)).execute();
  }

  /** Deletes buckets nobody took from for {@code idle}: full again by then, and a missing one is full. */
  int forgetIdle(Duration idle) {
    return db.dsl().deleteFrom(RATE_BUCKET).where(RATE_BUCKET.TOUCHED_AT.lt(clock.millis() - idle.toMillis())).execute();
  }

  @FunctionalInterface
  private interface SqlStep {
    void run() throws SQLException;
  }

  private static void sql(SqlStep step) {
    try {
      step.run();
    } catch (SQLException e) {
      throw new IllegalStateException("rate limit storage: " + e.getMessage(), e);
    }
  }
}
