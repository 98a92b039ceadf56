package io.tracetrack.edge.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.exception.DataAccessException;

/**
 * The scan path's hot statements: written with jOOQ (typed against the generated schema), rendered
 * by jOOQ once, then kept as JDBC prepared statements and re-bound for every execution. Rendering
 * and jOOQ's name-based re-binding were most of a scan's CPU time; caching the SQL jOOQ generates
 * and preparing it once is what jOOQ's manual recommends for such paths.
 *
 * <p>Not thread-safe: each instance belongs to one connection and is only used under that
 * connection's lock in {@link EdgeDatabase}.
 */
public final class QueryCache implements AutoCloseable {

  private final DSLContext dsl;
  private final Connection connection;
  private final Map<String, Prepared> statements = new HashMap<>();

  QueryCache(DSLContext dsl, Connection connection) {
    this.dsl = dsl;
    this.connection = connection;
  }

  /**
   * The statement registered under {@code key}; {@code factory} builds it on first use. Values
   * to vary must be named {@code DSL.param("name", type)}s, each name used once; other bind values
   * are fixed at their first value in this process (the SQL of a key is rendered once per process,
   * see {@link #RENDERED}); inline values ({@code DSL.inline}) are literals of the SQL.
   */
  public Prepared statement(String key, Function<DSLContext, Query> factory) {
    Prepared prepared = statements.get(key);
    if (prepared == null || prepared.broken) {
      // a statement that failed to run (SQLITE_FULL, an I/O error) may be finalized by the driver:
      // prepare it anew, or every later scan would fail on it after the disk has room again
      prepared = Prepared.of(RENDERED.computeIfAbsent(key, k -> Rendered.of(factory.apply(dsl))), connection);
      statements.put(key, prepared);
    }
    return prepared;
  }

  /**
   * What jOOQ rendered for each key, for the whole process: the SQL of a key is the same on every
   * connection (one dialect, one set of settings), and the simulation and the tests open thousands
   * of dock databases, each of which rendered every statement again (a tenth of jOOQ's share of a
   * simulated seed).
   */
  private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();

  /** A statement's SQL, where each named value sits, and the constants bound at the other places. */
  private record Rendered(String sql, Map<String, Integer> positions, Map<Integer, Object> constants) {

    static Rendered of(Query query) {
      // inline values (DSL.inline: a literal in the SQL, like 'hub' or 1) take no position
      Map<String, Param<?>> params = new java.util.LinkedHashMap<>(query.getParams());
      params.values().removeIf(Param::isInline);
      List<Object> bindValues = query.getBindValues();
      String sql = query.getSQL();
      if (params.size() != bindValues.size()) {
        throw new IllegalArgumentException("each parameter name must be used once: " + sql);
      }
      Map<String, Integer> positions = new HashMap<>();
      Map<Integer, Object> constants = new HashMap<>();
      int position = 1;
      for (Map.Entry<String, Param<?>> entry : params.entrySet()) {
        if (entry.getValue().getParamName() != null) {
          positions.put(entry.getKey(), position);
        } else {
          constants.put(position, entry.getValue().getValue()); // a constant of the query
        }
        position++;
      }
      return new Rendered(sql, Map.copyOf(positions), constants);
    }
  }

  /** Reads one row of a result. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** One prepared statement and where each named parameter sits in it. */
  public static final class Prepared {
    private final PreparedStatement statement;
    private final Map<String, Integer> positions;

    private Prepared(PreparedStatement statement, Map<String, Integer> positions) {
      this.statement = statement;
      this.positions = positions;
    }

    static Prepared of(Rendered rendered, Connection connection) {
      try {
        PreparedStatement statement = connection.prepareStatement(rendered.sql());
        for (Map.Entry<Integer, Object> constant : rendered.constants().entrySet()) {
          statement.setObject(constant.getKey(), constant.getValue());
        }
        return new Prepared(statement, rendered.positions());
      } catch (SQLException e) {
        throw new DataAccessException("preparing " + rendered.sql(), e);
      }
    }

    public Prepared set(String name, Object value) {
      Integer position = positions.get(name);
      if (position == null) {
        throw new IllegalArgumentException("no parameter named " + name);
      }
      try {
        statement.setObject(position, value);
      } catch (SQLException e) {
        throw new DataAccessException("binding " + name, e);
      }
      return this;
    }

    /**
     * Binds the {@code position}-th value (1-based) directly: for statements of many rows (a
     * multi-row INSERT has thousands of values), where a name lookup per value would cost more
     * than the binding. Only for statements whose every value is a named parameter.
     */
    public Prepared set(int position, Object value) {
      try {
        statement.setObject(position, value);
      } catch (SQLException e) {
        throw new DataAccessException("binding value " + position, e);
      }
      return this;
    }

    public int execute() {
      try {
        return statement.executeUpdate();
      } catch (SQLException e) {
        throw failed(e);
      }
    }

    /** Set when a run failed: the cache prepares the statement again on its next use. */
    private boolean broken;

    private DataAccessException failed(SQLException e) {
      broken = true;
      close();
      return new DataAccessException(e.getMessage(), e);
    }

    public <T> Optional<T> fetchOne(RowMapper<T> mapper) {
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
      } catch (SQLException e) {
        throw failed(e);
      }
    }

    /** Every row of the result, mapped. */
    public <T> List<T> fetch(RowMapper<T> mapper) {
      try (ResultSet rs = statement.executeQuery()) {
        List<T> rows = new java.util.ArrayList<>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return rows;
      } catch (SQLException e) {
        throw failed(e);
      }
    }

    void close() {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // closing with the connection
      }
    }
  }

  @Override
  public void close() {
    statements.values().forEach(Prepared::close);
    statements.clear();
  }
}
