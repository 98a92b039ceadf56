package io.tracetrack.hub.log;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;

/**
 * The writes of one transaction on PostgreSQL, queued while its writer works and sent in one round
 * trip, with the change-log append as the last of them ({@link ChangeLog#append(DSLContext, List,
 * PgPipeline)}). A dock's push of a few ops wrote its bags, history, fingerprints, progress and
 * counters with a round trip each between its reads and its commit; on a hub that shares its cores
 * each round trip is a wait for the CPU while the rows stay locked ({@code bench fleet}: PostgreSQL
 * sat "idle in transaction", waiting for the hub's next statement, most of a push's time).
 *
 * <p>The statements run in the order they were queued, in the caller's transaction, exactly as if
 * sent one by one: the lock order (bags, then counters, then the log's head) is unchanged, and an
 * error in any of them (a bag another writer created a moment before) fails the whole send as it
 * failed the statement before, so the transaction rolls back. A statement queued with an expected
 * row count is checked against it. The PostgreSQL driver sends statements joined by {@code ;} in one
 * exchange with the server.
 *
 * <p>Whoever queues must send: a writer that ends with nothing to append calls {@link #flush}.
 */
public final class PgPipeline {

  /** One queued statement: its SQL, its values ({@link PgBulk#bind}), the rows it must change (-1: any). */
  record Statement(String sql, Object[] params, int expectedRows, String what) {}

  /** Reads the last statement's result. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private final List<Statement> queued = new ArrayList<>();
  private boolean commitWithLast;

  /**
   * The next {@link #send} with a last statement ends with the transaction's COMMIT, in the same
   * round trip: for a writer whose last statement takes the change log's head, whose row lock is
   * then held only while the server runs the statement and flushes the commit, not while the
   * answer travels back and the writer waits for a core to send its COMMIT.
   */
  public void commitWithLast() {
    commitWithLast = true;
  }

  /** Queues a statement that must change exactly {@code expectedRows} rows (-1: any number). */
  public void add(String sql, Object[] params, int expectedRows, String what) {
    if (sql.indexOf(';') >= 0) {
      throw new IllegalArgumentException("one statement at a time: " + what);
    }
    queued.add(new Statement(sql, params, expectedRows, what));
  }

  /**
   * A write queued in {@code pipeline}, or with none (null) sent at once: the same statement and the
   * same check of the rows it changed ({@code expectedRows}, -1: any) either way.
   */
  public static void write(DSLContext tx, PgPipeline pipeline, String sql, Object[] params, int expectedRows, String what) {
    if (pipeline != null) {
      pipeline.add(sql, params, expectedRows, what);
      return;
    }
    int changed = tx.connectionResult(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        PgBulk.bind(c, ps, params);
        return ps.executeUpdate();
      }
    });
    checkRows(changed, expectedRows, what);
  }

  private static void checkRows(int changed, int expectedRows, String what) {
    if (expectedRows >= 0 && changed != expectedRows) {
      throw new IllegalStateException(what + " changed " + changed + " rows, not " + expectedRows);
    }
  }

  public boolean isEmpty() {
    return queued.isEmpty();
  }

  /** Sends what is queued (nothing when empty), in one round trip. */
  public void flush(DSLContext tx) {
    if (!queued.isEmpty()) {
      send(tx, null, null, rs -> null);
    }
  }

  /**
   * Sends what is queued and then {@code lastSql} (a query: its result goes to {@code reader}), in
   * one round trip; with {@code lastSql} null only the queue. The queue is empty afterwards.
   */
  public <T> T send(DSLContext tx, String lastSql, Object[] lastParams, Reader<T> reader) {
    List<Statement> all = new ArrayList<>(queued);
    queued.clear();
    if (lastSql != null) {
      all.add(new Statement(lastSql, lastParams, -1, "the last statement"));
      if (commitWithLast) {
        all.add(new Statement("commit", new Object[0], -1, "the commit"));
      }
    }
    StringBuilder sql = new StringBuilder();
    List<Object> params = new ArrayList<>();
    for (Statement s : all) {
      sql.append(sql.isEmpty() ? "" : "; ").append(s.sql());
      java.util.Collections.addAll(params, s.params()); // nulls among them
    }
    return tx.connectionResult(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        PgBulk.bind(c, ps, params.toArray());
        T out = null;
        boolean rows = ps.execute();
        for (int i = 0; ; i++) {
          if (rows) {
            try (ResultSet rs = ps.getResultSet()) {
              out = reader.read(rs);
            }
          } else {
            int changed = ps.getUpdateCount();
            if (changed == -1) {
              break;
            }
            Statement s = all.get(i);
            checkRows(changed, s.expectedRows(), s.what());
          }
          rows = ps.getMoreResults();
        }
        return out;
      }
    });
  }
}
