package io.tracetrack.hub.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;

/**
 * Set-based writes on PostgreSQL with one array per column: {@code insert ... select ... from
 * unnest(?::varchar[], ...)}. A batch of a thousand rows is then one statement of a dozen
 * parameters, where a multi-row VALUES list has a placeholder per cell for the driver to bind and
 * the server to parse (tens of milliseconds per batch, spent while the writer holds its locks).
 * Timestamps go as ISO-8601 text cast by the server, so no driver type mapping is involved.
 */
final class PgArrays {

  private PgArrays() {}

  static boolean isPostgres(DSLContext tx) {
    return tx.dialect().family() == SQLDialect.POSTGRES;
  }

  /** A column's values, made into a SQL array of {@code type} on the statement's connection. */
  record Column(String type, Object[] values) {}

  static Column of(String type, Object[] values) {
    return new Column(type, values);
  }

  /** ISO-8601, which {@code timestamptz} reads back exactly (microseconds, offset); null stays null. */
  static String text(OffsetDateTime at) {
    return at == null ? null : at.toString();
  }

  /**
   * Runs {@code sql} in {@code tx} with {@code params} (scalars, or {@link Column}s bound as arrays)
   * and checks it wrote {@code rows} rows.
   */
  static void execute(DSLContext tx, String sql, int rows, Object... params) {
    int written = tx.connectionResult(c -> run(c, sql, params));
    if (written != rows) {
      // every row of the arrays is one row written: anything else is a bug worth a rollback
      throw new IllegalStateException("wrote " + written + " rows, not " + rows + ": " + sql);
    }
  }

  private static int run(Connection c, String sql, Object[] params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(c, ps, params);
      return ps.executeUpdate();
    }
  }

  static void bind(Connection c, PreparedStatement ps, Object[] params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      if (params[i] instanceof Column col) {
        ps.setArray(i + 1, c.createArrayOf(col.type(), col.values()));
      } else if (params[i] == null) {
        ps.setNull(i + 1, java.sql.Types.VARCHAR);
      } else {
        ps.setObject(i + 1, params[i]);
      }
    }
  }
}
