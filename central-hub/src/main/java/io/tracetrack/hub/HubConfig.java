package io.tracetrack.hub;

import io.tracetrack.hub.db.PoolSize;

import io.tracetrack.hub.mail.SmtpSettings;
import io.tracetrack.web.TrustedProxies;
import io.tracetrack.web.cli.Cli;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The hub's configuration, read once at start by {@link HubCommandLine}: flags, then environment,
 * then defaults. Secrets (database password, admin password, token signing key, mail password) are
 * read from the environment only; a secret given as a flag would sit in the process list and shell
 * history, so it is refused.
 *
 * @param port HTTP port (0 = any free port)
 * @param bind listen address
 * @param dataDir folder of the embedded database and the generated signing key
 * @param dbUrl a PostgreSQL JDBC URL, or {@code null} for the embedded database
 * @param dbUser PostgreSQL user
 * @param dbPassword PostgreSQL password (environment only), or {@code null}
 * @param adminPassword password of the first admin (environment only), or {@code null} to generate one
 * @param jwtSecret base64 HMAC key (environment only), or {@code null} to generate and keep one
 * @param tokenLifetime how long an access token is valid
 * @param pool database connections, and why that many ({@code --pool-size}, or the database's cores)
 * @param dbQueueTimeout how long a request waits its turn for a connection before a 503 {@code DATABASE_BUSY}
 * @param db which database: PostgreSQL (external with {@code dbUrl}, else embedded) or embedded H2
 * @param allowedHosts the only Host names answered (DNS rebinding, a hub on a private network); empty
 *     answers any Host, the default, since the hub usually runs behind a proxy that picks the name
 * @param trustedProxies the reverse proxies whose {@code X-Forwarded-For} names the client; none by
 *     default, since a header anyone can send must not choose the address locks and audits key on
 * @param changeLogRetention how long change-log entries are kept; a dock whose cursor is older loads a snapshot
 * @param sessionIdle how long a web UI session lasts without its user doing anything
 * @param sessionMaxAge how long a web UI session lasts at most, however busy
 * @param zone the deployment's time zone: where a day (end of day, export date ranges) starts and ends
 * @param smtp the mail server the end-of-day summary goes through, or {@code null}: no mail is sent
 * @param eodMailAt local time (in {@code zone}) after which the day's summary is mailed
 * @param dockSilentAfter how long without contact (push, hello or a poll of the change log) before
 *     the Fleet page calls a dock silent
 * @param auditAddressRetention how long the audit trail keeps a client's full address before cutting it
 *     to its network (the hash chain stays verifiable)
 * @param events where committed changes go as events ({@code --kafka}), or {@code null}: no relay
 * @param webhooks where webhooks may be sent and how long an endpoint has to answer
 */
public record HubConfig(
    int port,
    String bind,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String adminPassword,
    String jwtSecret,
    Duration tokenLifetime,
    PoolSize pool,
    Duration dbQueueTimeout,
    Db db,
    List<String> allowedHosts,
    TrustedProxies trustedProxies,
    Duration changeLogRetention,
    Duration sessionIdle,
    Duration sessionMaxAge,
    ZoneId zone,
    SmtpSettings smtp,
    LocalTime eodMailAt,
    Duration dockSilentAfter,
    Duration auditAddressRetention,
    Events events,
    WebhookSettings webhooks) {

  public static final int DEFAULT_PORT = 8080;

  /** How many database connections the hub keeps. */
  public int poolSize() {
    return pool.connections();
  }

  /**
   * The event relay's settings.
   *
   * @param bootstrap the Kafka brokers, {@code host:port} separated by commas
   * @param topic the topic every event goes to
   */
  public record Events(String bootstrap, String topic) {}

  /**
   * The webhook sender's settings.
   *
   * @param allowedHosts hosts webhooks may be sent to although they are loopback, private or
   *     link-local addresses ({@code --webhook-allowed-hosts}); public hosts need no naming
   * @param timeout how long an endpoint has to answer one delivery ({@code --webhook-timeout-ms})
   */
  public record WebhookSettings(List<String> allowedHosts, Duration timeout) {
    public WebhookSettings {
      allowedHosts = List.copyOf(allowedHosts);
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /** The database kinds {@code --db} names. */
  public enum Db {
    /** PostgreSQL: the server at {@code --db-url}, or without it one the hub runs in {@code <data>/pg}. */
    POSTGRES,
    /** H2 in {@code <data>/hub.mv.db}: survives a process kill, not a power cut. */
    H2
  }

  public HubConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(db, "db");
    if (db == Db.H2 && dbUrl != null) {
      throw new IllegalArgumentException("--db h2 and --db-url exclude each other: --db-url is a PostgreSQL server");
    }
    allowedHosts = List.copyOf(allowedHosts);
    Objects.requireNonNull(webhooks, "webhooks");
    Objects.requireNonNull(trustedProxies, "trustedProxies");
    Objects.requireNonNull(changeLogRetention, "changeLogRetention");
    Objects.requireNonNull(dbQueueTimeout, "dbQueueTimeout");
    if (sessionMaxAge.compareTo(sessionIdle) < 0) {
      throw new IllegalArgumentException("--session-max-hours must be at least --session-idle-minutes");
    }
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(eodMailAt, "eodMailAt");
  }

  /**
   * Parses a command line that runs the hub (not {@code --help}): what tests and tools use;
   * {@link Main} goes through {@link HubCommandLine#parse}, which also answers help.
   *
   * @throws IllegalArgumentException naming the bad flag or value
   */
  public static HubConfig parse(String[] args, Map<String, String> env) {
    return switch (HubCommandLine.parse(args, env)) {
      case Cli.Parsed.Run<HubConfig> run -> run.config();
      case Cli.Parsed.Print<HubConfig> print -> throw new IllegalArgumentException("prints, does not run: " + String.join(" ", args));
    };
  }

  /** Whether the database lives in the data folder (embedded PostgreSQL or H2). */
  public boolean embedded() {
    return dbUrl == null;
  }
}
