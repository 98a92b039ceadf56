package io.tracetrack.edge.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jooq.Configuration;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.InvalidResultException;
import org.jooq.exception.NoDataFoundException;
import org.jooq.exception.TooManyRowsException;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultDSLContext;

/**
 * jOOQ's DSL over one dock connection, where a plain SQL statement (a string with {@code ?} values:
 * {@code dsl.execute("update sync_state set … where id = 1", …)}, {@code dsl.fetchSingle("select …")})
 * runs as a JDBC prepared statement this connection keeps, not through jOOQ's plain-SQL path.
 *
 * <p>Why: the sync store writes most of its statements as plain SQL, and for each one jOOQ scans the
 * string for its bind markers, renders it a second time and matches three regular expressions
 * against it to tell a write from DDL ({@code DefaultExecuteContext.type()}); a fetch asks SQLite's
 * driver for every column's precision and scale, which it answers by parsing the declared type with
 * a regular expression. In a profile of the seeded simulation that was five times the work SQLite
 * did for the same statements. Here a statement is prepared once per connection and bound by
 * position; a fetch names its columns from the result's labels and reads each value as the driver
 * gives it (SQLite's own types: Integer or Long, Double, String, byte[]), which {@code
 * Record.get(i, Long.class)} and its kind convert as before.
 *
 * <p>A statement without values that is not DML or a query (DDL, a PRAGMA, a savepoint) runs as a
 * plain JDBC statement, as jOOQ runs it. What keeps jOOQ's own path: jOOQ's {@code {0}} templating,
 * and a value of any other Java type than the driver binds the way jOOQ would (strings, whole and
 * floating numbers, booleans, bytes, null). Failures are jOOQ's exceptions ({@link DataAccessException} around the driver's, {@link
 * NoDataFoundException}, {@link TooManyRowsException}), so callers see no difference.
 *
 * <p>Not thread-safe, like the connection: {@link EdgeDatabase} uses each one under its lock.
 */
final class PlainSqlDsl extends DefaultDSLContext {

  /** Plain statements kept per connection; most are constants, some vary by their {@code in (?, ?…)}. */
  private static final int KEPT = 256;

  private final transient Connection connection;
  private final transient Map<String, Kept> kept = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
      if (size() > KEPT) {
        eldest.getValue().close();
        return true;
      }
      return false;
    }
  };

  PlainSqlDsl(Configuration configuration, Connection connection) {
    super(configuration);
    this.connection = connection;
  }

  /** One prepared statement and, once it has been read, the fields its rows are read into. */
  private static final class Kept {
    final PreparedStatement statement;
    Field<?>[] fields;

    Kept(PreparedStatement statement) {
      this.statement = statement;
    }

    void close() {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // a statement of a connection being given up; nothing to do about it
      }
    }
  }

  // ------------------------------------------------------------------ the plain SQL jOOQ would run

  @Override
  public int execute(String sql) {
    return execute(sql, NO_VALUES);
  }

  @Override
  public int execute(String sql, Object... bindings) {
    if (!direct(sql, bindings)) {
      if (bindings.length == 0 && sql.indexOf('{') < 0) {
        // DDL, a PRAGMA, a savepoint: jOOQ runs a statement without values as a plain JDBC one too
        try (Statement statement = connection.createStatement()) {
          statement.execute(sql);
          return Math.max(0, statement.getUpdateCount());
        } catch (SQLException e) {
          throw new DataAccessException("SQL [" + sql + "]; " + e.getMessage(), e);
        }
      }
      return super.execute(sql, bindings);
    }
    Kept k = statement(sql);
    try {
      bind(k.statement, bindings);
      return k.statement.executeUpdate();
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  @Override
  public Result<Record> fetch(String sql) {
    return fetch(sql, NO_VALUES);
  }

  @Override
  public Result<Record> fetch(String sql, Object... bindings) {
    return direct(sql, bindings) ? rows(sql, bindings, Integer.MAX_VALUE) : super.fetch(sql, bindings);
  }

  @Override
  public Record fetchOne(String sql) {
    return fetchOne(sql, NO_VALUES);
  }

  @Override
  public Record fetchOne(String sql, Object... bindings) {
    if (!direct(sql, bindings)) {
      return super.fetchOne(sql, bindings);
    }
    Result<Record> rows = rows(sql, bindings, 2);
    if (rows.size() > 1) {
      throw new TooManyRowsException("Cursor returned more than one result");
    }
    return rows.isEmpty() ? null : rows.get(0);
  }

  @Override
  public Record fetchSingle(String sql) {
    return fetchSingle(sql, NO_VALUES);
  }

  @Override
  public Record fetchSingle(String sql, Object... bindings) {
    // fetchOne picks the path (kept statement or jOOQ's); the contract on top is jOOQ's
    Record record = fetchOne(sql, bindings);
    if (record == null) {
      throw new NoDataFoundException("Cursor returned no rows");
    }
    return record;
  }

  @Override
  public Optional<Record> fetchOptional(String sql) {
    return Optional.ofNullable(fetchOne(sql));
  }

  @Override
  public Optional<Record> fetchOptional(String sql, Object... bindings) {
    return Optional.ofNullable(fetchOne(sql, bindings));
  }

  @Override
  public Object fetchValue(String sql) {
    return fetchValue(sql, NO_VALUES);
  }

  @Override
  public Object fetchValue(String sql, Object... bindings) {
    Record record = fetchOne(sql, bindings);
    if (record == null) {
      return null;
    }
    if (record.size() != 1) {
      throw new InvalidResultException("Record contains more than one value : " + record);
    }
    return record.get(0);
  }

  // ------------------------------------------------------------------ how

  private static final Object[] NO_VALUES = {};

  /**
   * Whether {@code sql} is plain DML or a query whose values the driver binds as jOOQ would. jOOQ
   * treats anything else differently (DDL is run inlined, a {@code {0}} is a template), so it keeps
   * those.
   */
  private static boolean direct(String sql, Object[] bindings) {
    if (sql.indexOf('{') >= 0) {
      return false;
    }
    int start = 0;
    while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
      start++;
    }
    int end = start;
    while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
      end++;
    }
    switch (sql.substring(start, end).toLowerCase(Locale.ROOT)) {
      case "select", "insert", "update", "delete", "replace", "with" -> { }
      default -> {
        return false;
      }
    }
    for (Object value : bindings) {
      if (!(value == null || value instanceof String || value instanceof Long || value instanceof Integer
          || value instanceof Short || value instanceof Double || value instanceof Float
          || value instanceof Boolean || value instanceof byte[])) {
        return false;
      }
    }
    return true;
  }

  private Kept statement(String sql) {
    Kept k = kept.get(sql);
    if (k == null) {
      try {
        k = new Kept(connection.prepareStatement(sql));
      } catch (SQLException e) {
        throw failed(sql, e);
      }
      kept.put(sql, k);
    }
    return k;
  }

  private static void bind(PreparedStatement statement, Object[] bindings) throws SQLException {
    for (int i = 0; i < bindings.length; i++) {
      if (bindings[i] == null) {
        statement.setNull(i + 1, Types.NULL);
      } else {
        statement.setObject(i + 1, bindings[i]);
      }
    }
  }

  /** At most {@code limit} rows of the query, as jOOQ records named by the result's column labels. */
  private Result<Record> rows(String sql, Object[] bindings, int limit) {
    Kept k = statement(sql);
    try {
      bind(k.statement, bindings);
      try (ResultSet rs = k.statement.executeQuery()) {
        if (k.fields == null) {
          ResultSetMetaData meta = rs.getMetaData();
          Field<?>[] fields = new Field<?>[meta.getColumnCount()];
          for (int i = 0; i < fields.length; i++) {
            fields[i] = DSL.field(DSL.name(meta.getColumnLabel(i + 1)));
          }
          k.fields = fields;
        }
        Result<Record> result = newResult(k.fields);
        while (result.size() < limit && rs.next()) {
          Record record = newRecord(k.fields);
          for (int i = 0; i < k.fields.length; i++) {
            @SuppressWarnings("unchecked")
            Field<Object> field = (Field<Object>) k.fields[i];
            record.set(field, rs.getObject(i + 1));
          }
          record.changed(false);
          result.add(record);
        }
        return result;
      }
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  /**
   * jOOQ's exception for a failed statement; the statement is given up, since the driver may have
   * finalized it (a full disk, an I/O error), and prepared anew at its next use.
   */
  private DataAccessException failed(String sql, SQLException e) {
    Kept k = kept.remove(sql);
    if (k != null) {
      k.close();
    }
    return new DataAccessException("SQL [" + sql + "]; " + e.getMessage(), e);
  }

  /** Closes the kept statements (before the connection). */
  void closeKept() {
    kept.values().forEach(Kept::close);
    kept.clear();
  }
}
