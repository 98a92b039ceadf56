package io.tracetrack.hub.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;

/**
 * Set-based writes of a push batch on PostgreSQL. New rows go in with COPY (text format); the
 * statements that must read or lock as they write take one array per column ({@code unnest(?::varchar[],
 * ...)}). Either way a batch of a thousand rows costs a statement or two of a few parameters, where
 * a multi-row VALUES list has a placeholder per cell for jOOQ to render, the driver to bind and the
 * server to parse: tens of milliseconds per batch, much of it while the writer holds its locks.
 * Timestamps travel as ISO-8601 text read by the server, so no driver type mapping is involved.
 * Imports ({@code hub.io}) write their new rows with the same COPY.
 */
public final class PgBulk {

  private PgBulk() {}

  public static boolean isPostgres(DSLContext tx) {
    return tx.dialect().family() == SQLDialect.POSTGRES;
  }

  /** A column's values, made into a SQL array of {@code type} on the statement's connection. */
  public record Column(String type, Object[] values) {}

  public static Column of(String type, Object[] values) {
    return new Column(type, values);
  }

  /** ISO-8601, which {@code timestamptz} reads to the microsecond (as a bound value is); null stays null. */
  public static String text(OffsetDateTime at) {
    return at == null ? null : at.toString();
  }

  /** A value sent untyped, so that the server reads its text with the column's own input function (as COPY does). */
  record Untyped(String text) {}

  /** Binds {@code params} to {@code ps}: scalars, {@link Untyped} texts, or {@link Column}s as arrays made on {@code c}. */
  public static void bind(Connection c, PreparedStatement ps, Object[] params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      if (params[i] instanceof Untyped u) {
        if (u.text() == null) {
          ps.setNull(i + 1, java.sql.Types.OTHER);
        } else {
          ps.setObject(i + 1, u.text(), java.sql.Types.OTHER);
        }
      } else if (params[i] instanceof Column col) {
        ps.setArray(i + 1, c.createArrayOf(col.type(), col.values()));
      } else if (params[i] == null) {
        ps.setNull(i + 1, java.sql.Types.VARCHAR);
      } else {
        ps.setObject(i + 1, params[i]);
      }
    }
  }

  /**
   * Up to this many values (rows × columns) go in as one INSERT instead of a COPY: a COPY is two round
   * trips (its start is answered before the rows go), an INSERT one, and a dock's push of a few ops
   * makes three such writes while it holds its rows locked. Larger batches, imports, still COPY.
   */
  static final int INSERT_AT_MOST = 512;

  /** Rows for {@link #copy}: COPY's text format, one line per row, columns split by tabs. */
  public static final class CopyRows {
    private final StringBuilder text = new StringBuilder(256);
    /** Each value's text (null for null), while there are few enough to be sent as an INSERT. */
    private final List<String> values = new ArrayList<>();
    private int rows;
    private int columns;
    private boolean first = true;

    public CopyRows add(Object value) {
      if (!first) {
        text.append('\t');
      }
      first = false;
      if (values.size() <= INSERT_AT_MOST) {
        values.add(value == null ? null : value.toString());
      }
      if (value == null) {
        text.append("\\N");
        return this;
      }
      String v = value.toString();
      for (int i = 0; i < v.length(); i++) {
        char ch = v.charAt(i);
        switch (ch) {
          case '\\' -> text.append("\\\\");
          case '\t' -> text.append("\\t");
          case '\n' -> text.append("\\n");
          case '\r' -> text.append("\\r");
          default -> text.append(ch);
        }
      }
      return this;
    }

    /** The values kept for an INSERT (for tests: whether these rows go as one). */
    List<String> values() {
      return values;
    }

    public CopyRows end() {
      text.append('\n');
      rows++;
      if (rows == 1) {
        columns = values.size();
      }
      first = true;
      return this;
    }
  }

  /**
   * Writes {@code rows} into {@code table (columns)} in {@code tx}: with one INSERT when they are few
   * ({@link #INSERT_AT_MOST} values), each value sent untyped so that the server reads it with the
   * column's own input function, as COPY does; else with COPY.
   */
  public static void copy(DSLContext tx, String tableAndColumns, CopyRows rows) {
    copy(tx, tableAndColumns, rows, null);
  }

  /**
   * {@link #copy(DSLContext, String, CopyRows)}, or with {@code pipeline} given and the rows few
   * enough for an INSERT, that INSERT queued in it; rows too many for it are COPYed after what the
   * pipeline holds is sent, so the writes keep their order.
   */
  public static void copy(DSLContext tx, String tableAndColumns, CopyRows rows, PgPipeline pipeline) {
    if (rows.rows > 0 && rows.values.size() <= INSERT_AT_MOST && rows.values.size() == rows.rows * rows.columns) {
      // untyped: each column's type reads its text
      Object[] params = rows.values.stream().map(Untyped::new).toArray();
      PgPipeline.write(tx, pipeline, insertSql(tableAndColumns, rows), params, rows.rows, "insert into " + tableAndColumns);
      return;
    }
    if (pipeline != null) {
      pipeline.flush(tx);
    }
    long written = tx.connectionResult(c -> {
      try {
        return c.unwrap(org.postgresql.PGConnection.class).getCopyAPI()
            .copyIn("copy " + tableAndColumns + " from stdin", new java.io.StringReader(rows.text.toString()));
      } catch (java.io.IOException e) {
        throw new SQLException("copy into " + tableAndColumns, e);
      }
    });
    if (written != rows.rows) {
      throw new IllegalStateException("copied " + written + " rows, not " + rows.rows + ": " + tableAndColumns);
    }
  }

  private static String insertSql(String tableAndColumns, CopyRows rows) {
    String row = "(" + String.join(", ", java.util.Collections.nCopies(rows.columns, "?")) + ")";
    return "insert into " + tableAndColumns + " values " + String.join(", ", java.util.Collections.nCopies(rows.rows, row));
  }
}
