package io.tracetrack.hub;

import io.tracetrack.hub.mail.SmtpSettings;
import io.tracetrack.web.TrustedProxies;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The hub's configuration, read once at start: flags, then environment, then defaults. Secrets
 * (database password, admin password, token signing key) are read from the environment only; a
 * secret given as a flag would sit in the process list and shell history, so it is refused.
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
 * @param poolSize database connections
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
    int poolSize,
    Db db,
    List<String> allowedHosts,
    TrustedProxies trustedProxies,
    Duration changeLogRetention,
    Duration sessionIdle,
    Duration sessionMaxAge,
    ZoneId zone,
    SmtpSettings smtp,
    LocalTime eodMailAt) {

  public static final int DEFAULT_PORT = 8080;

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
    Objects.requireNonNull(trustedProxies, "trustedProxies");
    Objects.requireNonNull(changeLogRetention, "changeLogRetention");
    if (sessionMaxAge.compareTo(sessionIdle) < 0) {
      throw new IllegalArgumentException("--session-max-hours must be at least --session-idle-minutes");
    }
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(eodMailAt, "eodMailAt");
  }

  /** Flags and their environment variables; secrets have no flag. */
  private record Setting(String flag, String env, String help) {}

  private static final List<Setting> SETTINGS = List.of(
      new Setting("--port", "HUB_PORT", "HTTP port (default 8080; 0 = any free port)"),
      new Setting("--bind", "HUB_BIND", "listen address (default 0.0.0.0)"),
      new Setting("--data", "HUB_DATA", "folder of the embedded database and the token key (default ./hub-data)"),
      new Setting("--db", "HUB_DB", "postgres (default: embedded in <data>/pg, or --db-url) or h2 (<data>/hub.mv.db)"),
      new Setting("--db-url", "HUB_DB_URL", "PostgreSQL JDBC URL; without it the hub runs its own PostgreSQL"),
      new Setting("--db-user", "HUB_DB_USER", "PostgreSQL user"),
      new Setting(null, "HUB_DB_PASSWORD", "PostgreSQL password (environment only)"),
      new Setting(null, "HUB_ADMIN_PASSWORD", "password of the first admin, 'admin' (environment only; else generated and printed once)"),
      new Setting(null, "HUB_JWT_SECRET", "base64 HMAC-SHA256 key for tokens, 32+ bytes (environment only; else generated into the data folder)"),
      new Setting("--token-minutes", "HUB_TOKEN_MINUTES", "access token lifetime in minutes (default 15)"),
      new Setting("--pool-size", "HUB_POOL_SIZE", "database connections (default 20)"),
      new Setting("--allowed-hosts", "HUB_ALLOWED_HOSTS", "comma-separated Host names answered (default: any)"),
      new Setting("--trusted-proxies", "HUB_TRUSTED_PROXIES",
          "comma-separated proxy addresses or CIDR ranges whose X-Forwarded-For is believed (default: none)"),
      new Setting("--change-log-retention", "HUB_CHANGE_LOG_RETENTION_DAYS",
          "days the sync change log is kept; a dock offline longer reloads a snapshot (default 30)"),
      new Setting("--session-idle-minutes", "HUB_SESSION_IDLE_MINUTES",
          "web UI: minutes without activity before a browser session ends (default 30)"),
      new Setting("--session-max-hours", "HUB_SESSION_MAX_HOURS",
          "web UI: hours a browser session lasts at most, however busy (default 12)"),
      // end of day (F-EOD) and its e-mail; no --smtp-host: no mail
      new Setting("--zone", "HUB_ZONE", "the deployment's time zone, e.g. Asia/Kolkata (default: the system's)"),
      new Setting("--smtp-host", "HUB_SMTP_HOST", "mail server for the end-of-day e-mail (default: none, no mail)"),
      new Setting("--smtp-port", "HUB_SMTP_PORT", "mail server port (default 587 with TLS, else 25)"),
      new Setting("--smtp-user", "HUB_SMTP_USER", "mail server user (default: none, no authentication)"),
      new Setting(null, "HUB_SMTP_PASSWORD", "mail server password (environment only)"),
      new Setting("--smtp-from", "HUB_SMTP_FROM", "sender address of the end-of-day e-mail (default tracetrack@<smtp-host>)"),
      new Setting("--smtp-tls", "HUB_SMTP_TLS", "starttls (default), tls (implicit, port 465) or none"),
      new Setting("--eod-mail-at", "HUB_EOD_MAIL_AT", "local time HH:MM after which the day's summary is mailed (default 23:30)"));

  public static String usage() {
    StringBuilder out = new StringBuilder("TraceTrack central hub.\n\nUsage: java -jar central-hub.jar [flags]\n\n");
    for (Setting s : SETTINGS) {
      out.append(String.format(Locale.ROOT, "  %-20s %-21s %s%n", s.flag() == null ? "" : s.flag() + " V",
          "[" + s.env() + "]", s.help()));
    }
    return out.toString();
  }

  /**
   * @throws IllegalArgumentException naming the bad flag or value
   */
  public static HubConfig parse(String[] args, Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (name.equals("--db-password") || name.equals("--admin-password") || name.equals("--jwt-secret")
          || name.equals("--smtp-password")) {
        throw new IllegalArgumentException(name + " is a secret: pass it in the environment ("
            + "HUB_" + name.substring(2).toUpperCase(Locale.ROOT).replace('-', '_') + "), never on the command line");
      }
      String flag = name;
      Setting setting = SETTINGS.stream().filter(s -> flag.equals(s.flag())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown flag " + flag + " (see --help)"));
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      values.put(setting.env(), value);
    }
    for (Setting s : SETTINGS) {
      String fromEnv = env.get(s.env());
      if (!values.containsKey(s.env()) && fromEnv != null && !fromEnv.isBlank()) {
        values.put(s.env(), fromEnv);
      }
    }
    String dbUrl = values.get("HUB_DB_URL");
    if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--db-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host/db)");
    }
    return new HubConfig(
        number(values, "HUB_PORT", DEFAULT_PORT, 0, 65_535),
        values.getOrDefault("HUB_BIND", "0.0.0.0"),
        dataDir(values.getOrDefault("HUB_DATA", "hub-data")),
        dbUrl,
        values.get("HUB_DB_USER"),
        values.get("HUB_DB_PASSWORD"),
        values.get("HUB_ADMIN_PASSWORD"),
        values.get("HUB_JWT_SECRET"),
        Duration.ofMinutes(number(values, "HUB_TOKEN_MINUTES", 15, 1, 24 * 60)),
        number(values, "HUB_POOL_SIZE", 20, 2, 500),
        db(values.getOrDefault("HUB_DB", "postgres")),
        allowedHosts(values.get("HUB_ALLOWED_HOSTS")),
        trustedProxies(values.get("HUB_TRUSTED_PROXIES")),
        Duration.ofDays(number(values, "HUB_CHANGE_LOG_RETENTION_DAYS", 30, 1, 3650)),
        Duration.ofMinutes(number(values, "HUB_SESSION_IDLE_MINUTES", 30, 1, 24 * 60)),
        Duration.ofHours(number(values, "HUB_SESSION_MAX_HOURS", 12, 1, 7 * 24)),
        zone(values.get("HUB_ZONE")),
        smtp(values),
        eodMailAt(values.getOrDefault("HUB_EOD_MAIL_AT", "23:30")));
  }

  private static ZoneId zone(String value) {
    if (value == null) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(value.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("--zone must be a time zone such as Asia/Kolkata or UTC: " + value);
    }
  }

  private static LocalTime eodMailAt(String value) {
    try {
      return LocalTime.parse(value.strip(), DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("--eod-mail-at must be a local time HH:MM, e.g. 23:30: " + value);
    }
  }

  private static SmtpSettings smtp(Map<String, String> values) {
    String host = values.get("HUB_SMTP_HOST");
    if (host == null) {
      for (String other : List.of("HUB_SMTP_PORT", "HUB_SMTP_USER", "HUB_SMTP_FROM", "HUB_SMTP_TLS")) {
        if (values.containsKey(other)) {
          throw new IllegalArgumentException(other + " is set but HUB_SMTP_HOST (--smtp-host) is not: no mail would be sent");
        }
      }
      return null;
    }
    SmtpSettings.Tls tls = SmtpSettings.Tls.parse(values.getOrDefault("HUB_SMTP_TLS", "starttls"));
    int port = number(values, "HUB_SMTP_PORT", tls.defaultPort(), 1, 65_535);
    String from = values.getOrDefault("HUB_SMTP_FROM", "tracetrack@" + host.strip());
    return new SmtpSettings(host.strip(), port, values.get("HUB_SMTP_USER"), values.get("HUB_SMTP_PASSWORD"), from, tls);
  }

  private static Db db(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "postgres", "postgresql" -> Db.POSTGRES;
      case "h2" -> Db.H2;
      default -> throw new IllegalArgumentException("--db must be postgres or h2: " + value);
    };
  }

  private static List<String> allowedHosts(String value) {
    try {
      return io.tracetrack.web.HostPolicy.parseList(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--allowed-hosts: " + e.getMessage(), e);
    }
  }

  private static TrustedProxies trustedProxies(String value) {
    try {
      return TrustedProxies.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--trusted-proxies: " + e.getMessage(), e);
    }
  }

  private static Path dataDir(String value) {
    try {
      if (value.isBlank() || value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("--data must be a folder path");
      }
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("--data is not a valid path: " + e.getMessage(), e);
    }
  }

  private static int number(Map<String, String> values, String key, int fallback, int min, int max) {
    String text = values.get(key);
    if (text == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n < min || n > max) {
        throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ": " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number");
    }
  }

  /** Whether the database lives in the data folder (embedded PostgreSQL or H2). */
  public boolean embedded() {
    return dbUrl == null;
  }
}
