package io.tracetrack.edge.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.internal.scanner.Scanner;

/**
 * Flyway's view of one set of migration folders, scanned once. Flyway has no public cache for its
 * class-path scan; its own {@code Scanner} is the resource and class provider it would build at
 * every migrate, so handing it the one built here changes nothing but the repeated scan.
 */
final class Migrations {

  private final String[] locations;
  private final Scanner<JavaMigration> scanner;

  Migrations(String... locations) {
    this.locations = locations.clone();
    FluentConfiguration config = Flyway.configure().locations(locations).failOnMissingLocations(true);
    this.scanner = new Scanner<>(JavaMigration.class, config,
        java.util.Arrays.stream(config.getLocations()).toArray(Location[]::new));
  }

  /** A configuration over these migrations; the caller adds the data source. */
  FluentConfiguration configure() {
    return Flyway.configure()
        .locations(locations)
        .failOnMissingLocations(true)
        .resourceProvider(scanner)
        .javaMigrationClassProvider(scanner);
  }
}
