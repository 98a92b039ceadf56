package io.tracetrack.edge.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.internal.scanner.Scanner;

/**
 * Flyway's view of one set of migration folders, scanned once, and the schema history Flyway last
 * left up to date.
 *
 * <p>Flyway has no public cache for its class-path scan; its own {@code Scanner} is the resource and
 * class provider it would build at every migrate, so handing it the one built here changes nothing
 * but the repeated scan.
 *
 * <p>Reopening a database whose history is exactly the one a successful migrate left (every
 * applied migration's rank, version, description, type, script, checksum and success) skips
 * Flyway: Flyway decides from that history and these migrations alone, and both are the ones it
 * accepted. Anything else, a missing table, one more or one fewer row, another checksum, goes
 * through Flyway as before. A process opens many databases only in tests and the simulation (a
 * tenth of a simulated seed was Flyway validating databases it had just migrated); a dock opens one.
 */
final class Migrations {

  private static final String HISTORY = "select installed_rank, version, description, type, script, checksum, success"
      + " from flyway_schema_history order by installed_rank";

  private final String[] locations;
  private final Scanner<JavaMigration> scanner;
  /** The history a successful migrate left in this process, or null before the first. */
  private volatile List<List<Object>> upToDate;

  Migrations(String... locations) {
    this.locations = locations.clone();
    FluentConfiguration config = Flyway.configure().locations(locations).failOnMissingLocations(true);
    this.scanner = new Scanner<>(JavaMigration.class, config,
        Arrays.stream(config.getLocations()).toArray(Location[]::new));
  }

  /**
   * Brings the database behind {@code dataSource} up to date; {@code exists} says whether it has a
   * file yet (a new one always goes through Flyway, and is not created just to be read).
   */
  void migrate(DataSource dataSource, boolean exists) {
    List<List<Object>> known = upToDate;
    if (exists && known != null && known.equals(history(dataSource))) {
      return;
    }
    configure().dataSource(dataSource).load().migrate();
    upToDate = history(dataSource);
  }

  /** A configuration over these migrations; the caller adds the data source. */
  FluentConfiguration configure() {
    return Flyway.configure()
        .locations(locations)
        .failOnMissingLocations(true)
        .resourceProvider(scanner)
        .javaMigrationClassProvider(scanner);
  }

  /** The schema history's rows, or null when it cannot be read (no such table: Flyway decides). */
  private static List<List<Object>> history(DataSource dataSource) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(HISTORY)) {
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(Collections.unmodifiableList(Arrays.asList(rs.getInt(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getObject(6) == null ? null : rs.getInt(6), rs.getBoolean(7))));
      }
      return List.copyOf(rows);
    } catch (SQLException e) {
      return null;
    }
  }
}
