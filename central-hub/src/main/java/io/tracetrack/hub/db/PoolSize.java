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
 *
 * <p>Whose connections: every hub instance's on the database. The guidance is for the database, so
 * several instances on one database share it: each takes {@link #share} of it, counted again every
 * few seconds ({@link io.tracetrack.hub.ops.HubInstances}). Two hubs of 8 each made PostgreSQL's two
 * cores run 16 backends where one hub gave it 8: push p99 197 ms against 149 ms with 4 each
 * ({@code bench fleet --hubs 2}). A size given with {@code --pool-size} is the operator's and is
 * kept as given.
 *
 * @param connections the connections this instance keeps when it is the only one
 * @param shared whether {@code connections} is the database's budget, shared by the instances on it
 *     (sized from cores), rather than this instance's own fixed size ({@code --pool-size})
 */
public record PoolSize(int connections, String reason, boolean shared) {

  /** The effective spindle count of an SSD (or of a database whose data fits in memory). */
  static final int SPINDLES = 1;
  /** No fewer: one connection for a long read (an export) still leaves one for everybody else. */
  public static final int MINIMUM = 3;

  public PoolSize {
    if (connections < 1) {
      throw new IllegalArgumentException("a pool needs at least one connection, got " + connections);
    }
  }

  /**
   * One instance's share when {@code instances} share a budget of {@code budget} connections: an
   * equal part, rounded down so the instances together stay within it, and never below
   * {@link #MINIMUM} (so many instances may together hold a little more than the budget).
   */
  public static int share(int budget, int instances) {
    if (budget < 1 || instances < 1) {
      throw new IllegalArgumentException("a share needs a budget and instances, got " + budget + " and " + instances);
    }
    return Math.min(budget, Math.max(MINIMUM, budget / instances));
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
      return new PoolSize(poolSize.getAsInt(), "--pool-size", false);
    }
    if (dbCores.isPresent()) {
      return new PoolSize(forCores(dbCores.getAsInt()), "--db-cores " + dbCores.getAsInt() + " × 2 + " + SPINDLES, true);
    }
    int n = forCores(localCores);
    if (dbUrl == null) {
      return new PoolSize(n, "this machine's " + localCores + " cores × 2 + " + SPINDLES + " (the database runs here)", true);
    }
    if (isLocal(dbUrl)) {
      return new PoolSize(n, "this machine's " + localCores + " cores × 2 + " + SPINDLES + " (the database is on loopback)", true);
    }
    return new PoolSize(n, "this machine's " + localCores + " cores × 2 + " + SPINDLES
        + "; the database is on another host: give its cores with --db-cores (or --pool-size)", true);
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
