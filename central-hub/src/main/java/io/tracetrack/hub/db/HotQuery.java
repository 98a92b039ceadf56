package io.tracetrack.hub.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;

/**
 * One of the hub's hot statements: written with jOOQ against the generated schema, rendered by jOOQ
 * once per SQL dialect, then run on the caller's connection as a JDBC prepared statement with its
 * values bound by position. jOOQ's manual suggests exactly this for hot paths (cache the SQL jOOQ
 * generates and prepare your own statements): for the hub's point reads and counter updates,
 * rendering the query and binding by walking its tree cost more CPU than the database's own work
 * (one dock credential read was a fifteenth of the seeded simulation's CPU). The SQL text is the
 * same string every time, which is what the databases' statement caches key on (H2's per-session
 * query cache, pgjdbc's server-side prepared statements). The edge's {@code QueryCache} does the
 * same for the scan path.
 *
 * <p>Values that vary are named {@code DSL.param("name", type)}s, each name used once; any other
 * bind value is a constant of the statement, bound as it was first rendered. Thread-safe: the
 * rendered form is immutable once made, and each run prepares on the connection of the {@code tx}
 * it is given.
 */
public final class HotQuery {

  /** Reads one row of a result. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** The SQL and where each named value goes, for one dialect. */
  private record Rendered(String sql, Map<String, Integer> positions, Object[] constants) {}

  private final Function<DSLContext, ? extends Query> shape;
  private final Map<SQLDialect, Rendered> rendered = new ConcurrentHashMap<>(2);

  private HotQuery(Function<DSLContext, ? extends Query> shape) {
    this.shape = shape;
  }

  /** A statement of this shape; rendered on first use with each dialect. */
  public static HotQuery of(Function<DSLContext, ? extends Query> shape) {
    return new HotQuery(shape);
  }

  /** A run of the statement in {@code tx} (its connection, its transaction). */
  public Run on(DSLContext tx) {
    return new Run(tx, rendered.computeIfAbsent(tx.dialect(), d -> render(shape.apply(tx))));
  }

  /**
   * Many rows of the statement in {@code tx}, sent as one JDBC batch: prepared once, each row's
   * values bound by position. For the many rows of one shape H2 writes (a push's or an import's
   * bags, their history, the change log's entries): a multi-row VALUES list is a new statement of
   * thousands of values that jOOQ renders and H2 parses at every chunk (an 80,000-row import on H2
   * spent about a third of its CPU so).
   */
  public Batch batch(DSLContext tx) {
    return new Batch(tx, rendered.computeIfAbsent(tx.dialect(), d -> render(shape.apply(tx))));
  }

  /** The SQL this statement is on {@code tx}'s dialect (tests and error messages). */
  public String sql(DSLContext tx) {
    return on(tx).rendered.sql();
  }

  private static Rendered render(Query query) {
    // inline values (DSL.inline: a literal of the SQL, like 'hub' or 1) take no position
    Map<String, Param<?>> params = new LinkedHashMap<>(query.getParams());
    params.values().removeIf(Param::isInline);
    List<Object> bindValues = query.getBindValues();
    if (params.size() != bindValues.size()) {
      throw new IllegalArgumentException("each parameter name must be used once: " + query.getSQL());
    }
    Map<String, Integer> positions = new HashMap<>();
    Object[] constants = new Object[params.size()];
    int position = 0;
    for (Map.Entry<String, Param<?>> entry : params.entrySet()) {
      if (entry.getValue().getParamName() != null) {
        positions.put(entry.getKey(), position + 1);
      } else {
        constants[position] = bindValues.get(position);
      }
      position++;
    }
    return new Rendered(query.getSQL(), Map.copyOf(positions), constants);
  }

  /** Reads the rows of one of {@link #together}'s queries, by the statement's index (a write's count is not read). */
  @FunctionalInterface
  public interface Results {
    void read(int statement, ResultSet rows) throws SQLException;
  }

  /**
   * Runs {@code runs} in one exchange with the server, in their order, as one statement text joined
   * by {@code ;}: PostgreSQL's driver sends them together and the server runs them one after the
   * other, in the caller's transaction, exactly as if sent one by one (each sees what the ones
   * before did; locks are taken in the same order). Each query's rows go to {@code results} with
   * the statement's index; a write's update count is not read. PostgreSQL only: H2 runs one
   * statement a prepare.
   */
  public static void together(DSLContext tx, List<Run> runs, Results results) {
    StringBuilder sql = new StringBuilder();
    List<Object> values = new ArrayList<>();
    for (Run run : runs) {
      run.checkSet();
      sql.append(sql.isEmpty() ? "" : "; ").append(run.rendered.sql());
      java.util.Collections.addAll(values, run.values);
    }
    tx.connection(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
        for (int i = 0; i < values.size(); i++) {
          statement.setObject(i + 1, values.get(i));
        }
        boolean rows = statement.execute();
        for (int i = 0; i < runs.size(); i++) {
          if (rows) {
            try (ResultSet rs = statement.getResultSet()) {
              results.read(i, rs);
            }
          }
          rows = statement.getMoreResults();
        }
      } catch (SQLException e) {
        throw new DataAccessException("SQL [" + sql + "]; " + e.getMessage(), e);
      }
    });
  }

  /** What a named value holds until it is set: a statement never runs with one left NULL by mistake. */
  private static final Object UNSET = new Object();

  /** One execution: set every named value, then run it once. */
  public static final class Run {
    private final DSLContext tx;
    private final Rendered rendered;
    private final Object[] values;

    private Run(DSLContext tx, Rendered rendered) {
      this.tx = tx;
      this.rendered = rendered;
      this.values = rendered.constants().clone();
      for (int position : rendered.positions().values()) {
        values[position - 1] = UNSET;
      }
    }

    /** Binds the parameter named {@code name}. */
    public Run set(String name, Object value) {
      Integer position = rendered.positions().get(name);
      if (position == null) {
        throw new IllegalArgumentException("no parameter named " + name + " in " + rendered.sql());
      }
      values[position - 1] = value;
      return this;
    }

    /** Runs an INSERT, UPDATE or DELETE: the rows it changed. */
    public int execute() {
      return run(PreparedStatement::executeUpdate);
    }

    /** The first row of the result, if any. */
    public <T> Optional<T> fetchOptional(RowMapper<T> mapper) {
      return run(statement -> {
        try (ResultSet rs = statement.executeQuery()) {
          return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
        }
      });
    }

    /** Every row of the result, mapped. */
    public <T> List<T> fetch(RowMapper<T> mapper) {
      return run(statement -> {
        try (ResultSet rs = statement.executeQuery()) {
          List<T> rows = new ArrayList<>();
          while (rs.next()) {
            rows.add(mapper.map(rs));
          }
          return rows;
        }
      });
    }

    private interface Step<T> {
      T run(PreparedStatement statement) throws SQLException;
    }

    private void bind(PreparedStatement statement) throws SQLException {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i]);
      }
    }

    private void checkSet() {
      for (Map.Entry<String, Integer> named : rendered.positions().entrySet()) {
        if (values[named.getValue() - 1] == UNSET) {
          throw new IllegalStateException("parameter " + named.getKey() + " not set for " + rendered.sql());
        }
      }
    }

    private <T> T run(Step<T> step) {
      checkSet();
      return tx.connectionResult(connection -> {
        try (PreparedStatement statement = connection.prepareStatement(rendered.sql())) {
          bind(statement);
          return step.run(statement);
        } catch (SQLException e) {
          // as jOOQ reports a failed statement, so callers (unique violations, retries) see one kind
          throw new DataAccessException("SQL [" + rendered.sql() + "]; " + e.getMessage(), e);
        }
      });
    }
  }

  /** Rows for one JDBC batch: {@link #row()} for each, its values set, then {@link #execute()} once. */
  public static final class Batch {
    private final DSLContext tx;
    private final Rendered rendered;
    private final List<Run> rows = new ArrayList<>();

    private Batch(DSLContext tx, Rendered rendered) {
      this.tx = tx;
      this.rendered = rendered;
    }

    /** A new row of the batch, to set every named value of. */
    public Run row() {
      Run row = new Run(tx, rendered);
      rows.add(row);
      return row;
    }

    /** Runs every row, in order, in one batch: the rows each changed (or {@code SUCCESS_NO_INFO}). */
    public int[] execute() {
      if (rows.isEmpty()) {
        return new int[0];
      }
      rows.forEach(Run::checkSet);
      return tx.connectionResult(connection -> {
        try (PreparedStatement statement = connection.prepareStatement(rendered.sql())) {
          for (Run row : rows) {
            row.bind(statement);
            statement.addBatch();
          }
          return statement.executeBatch();
        } catch (SQLException e) {
          // as jOOQ reports a failed statement; a batch's failure carries its first row's SQL state
          throw new DataAccessException("SQL [" + rendered.sql() + "] (a batch of " + rows.size() + " rows); "
              + e.getMessage(), e);
        }
      });
    }
  }
}
