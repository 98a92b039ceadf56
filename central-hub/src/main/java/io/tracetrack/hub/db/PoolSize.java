package io.tracetrack.hub.db;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.OptionalInt;

/**
 * How many connections the hub keeps to its database when {@code --pool-size} does not say.
 *
 * <p>Why not "many": a PostgreSQL backend runs a query on one core, and the database has only so
 * many. Forty backends time-sliced on two cores made every request wait for the slowest of them:
 * measured here, 200 clients on a pool of 40 gave a uniform-lookup p99 of 939 ms at 2,451 req/s, on
 * a pool of 6 a p99 of 172 ms at 3,446 req/s. Requests beyond the pool wait in the fair queue in
 * front of it ({@link DbGate}), which is where waiting belongs. The PostgreSQL wiki's and
 * HikariCP's guidance is about {@code cores × 2 + effective spindles}; an SSD counts as one.
 *
 * <p>Whose cores: the database's. The embedded PostgreSQL and H2 run on this machine, and so does a
 * PostgreSQL reached on a loopback address. For a database elsewhere the hub cannot see its cores
 * ({@code --db-cores} says them); without that it uses this machine's and says so in the log.
 */
public record PoolSize(int connections, String reason) {

  /** The effective spindle count of an SSD (or of a database whose data fits in memory). */
  static final int SPINDLES = 1;
  /** No fewer: one connection for a long read (an export) still leaves one for everybody else. */
  static final int MINIMUM = 3;

  public PoolSize {
    if (connections < 1) {
      throw new IllegalArgumentException("a pool needs at least one connection, got " + connections);
    }
  }

  /** The guidance for a database with {@code cores} cores. */
  public static int forCores(int cores) {
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be at least 1, got " + cores);
    }
    return Math.max(MINIMUM, cores * 2 + SPINDLES);
  }

  /**
   * The pool for a hub: {@code --pool-size} when given; else from {@code --db-cores} when given;
   * else from this machine's cores, which are the database's unless {@code dbUrl} names another host.
   *
   * @param dbUrl the JDBC URL of an external database, or null for the embedded ones
   */
  public static PoolSize choose(OptionalInt poolSize, OptionalInt dbCores, String dbUrl, int localCores) {
    if (poolSize.isPresent()) {
      return new PoolSize(poolSize.getAsInt(), "--pool-size");
    }
    if (dbCores.isPresent()) {
      return new PoolSize(forCores(dbCores.getAsInt()), "--db-cores " + dbCores.getAsInt() + " × 2 + " + SPINDLES);
    }
    int n = forCores(localCores);
    if (dbUrl == null) {
      return new PoolSize(n, "this machine's " + localCores + " cores × 2 + " + SPINDLES + " (the database runs here)");
    }
    if (isLocal(dbUrl)) {
      return new PoolSize(n, "this machine's " + localCores + " cores × 2 + " + SPINDLES + " (the database is on loopback)");
    }
    return new PoolSize(n, "this machine's " + localCores + " cores × 2 + " + SPINDLES
        + "; the database is on another host: give its cores with --db-cores (or --pool-size)");
  }

  /** Whether a JDBC URL points at this machine (loopback or a local socket). */
  static boolean isLocal(String jdbcUrl) {
    String rest = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl;
    String host;
    try {
      host = URI.create(rest).getHost();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (host == null || host.isEmpty()) {
      return rest.startsWith("postgresql:///") || !rest.startsWith("postgresql://"); // a socket, or no host at all
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      // only literal addresses: a name is not resolved here (no DNS wait at start-up for a guess)
      if (host.chars().allMatch(c -> Character.isDigit(c) || c == '.') || host.startsWith("[")) {
        return InetAddress.getByName(host).isLoopbackAddress();
      }
    } catch (UnknownHostException e) {
      return false;
    }
    return false;
  }

  /** This JVM's view of the machine's cores (the container's share, where there is one). */
  public static int localCores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
