package io.tracetrack.hub;

import io.tracetrack.hub.db.PoolSize;
import io.tracetrack.hub.mail.SmtpSettings;
import io.tracetrack.web.HostPolicy;
import io.tracetrack.web.TrustedProxies;
import io.tracetrack.web.cli.Cli;
import io.tracetrack.web.cli.Env;
import io.tracetrack.web.cli.Flags;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The hub's command line: its flags, each with its {@code HUB_*} variable, checked and turned
 * into a {@link HubConfig}. Secrets (database, admin and mail passwords, the token key) have no
 * flag: a secret given as a flag would sit in the process list and shell history, so a flag
 * named like one is refused, without echoing its value.
 */
public final class HubCommandLine {

  private HubCommandLine() {}

  /** The settings read only from the environment, and what they are (for {@code --help}). */
  private static final Map<String, String> SECRETS = secrets();

  private static Map<String, String> secrets() {
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("HUB_DB_PASSWORD", "PostgreSQL password (environment only)");
    secrets.put("HUB_ADMIN_PASSWORD", "password of the first admin, 'admin' (environment only; else generated and printed once)");
    secrets.put("HUB_JWT_SECRET", "base64 HMAC-SHA256 key for tokens, 32+ bytes (environment only; else generated into the data folder)");
    secrets.put("HUB_SMTP_PASSWORD", "mail server password (environment only)");
    return secrets;
  }

  /**
   * Parses the command line and environment: a config to run, or a text to print (help, completion).
   *
   * @throws io.tracetrack.web.cli.UsageException (an {@link IllegalArgumentException}) naming the bad flag or value
   */
  public static Cli.Parsed<HubConfig> parse(String[] args, Map<String, String> env) {
    return Cli.parse(commandLine(env), args, parsed -> switch (parsed.commandSpec().userObject()) {
      case Hub hub -> hub.config(env);
      default -> throw new IllegalStateException("no config for " + parsed.commandSpec().qualifiedName());
    });
  }

  /** The picocli command line, with the environment behind its flags (tests read its help). */
  static CommandLine commandLine(Map<String, String> env) {
    return Cli.commandLine(new Hub(), env, SECRETS);
  }

  @Command(name = "central-hub", description = "TraceTrack central hub: the web UI, the API and the docks' sync.",
      synopsisSubcommandLabel = "[COMMAND]",
      subcommands = AutoComplete.GenerateCompletion.class,
      footer = {"", "Shell completion (bash, zsh) for alias central-hub='java -jar central-hub.jar':",
          "  source <(java -jar central-hub.jar generate-completion)"})
  static final class Hub {
    @Spec CommandSpec spec;
    @Mixin Cli.HelpFlag help;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default " + HubConfig.DEFAULT_PORT + "; 0 = any free port)")
    @Env("HUB_PORT")
    String port;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "listen address (default 0.0.0.0)")
    @Env("HUB_BIND")
    String bind;

    @Option(names = "--data", paramLabel = "DIR", description = "folder of the embedded database and the token key (default ./hub-data)")
    @Env("HUB_DATA")
    String data;

    @Option(names = "--db", paramLabel = "KIND", completionCandidates = DbKinds.class,
        description = "postgres (default: embedded in <data>/pg, or --db-url) or h2 (<data>/hub.mv.db)")
    @Env("HUB_DB")
    String db;

    @Option(names = "--db-url", paramLabel = "URL", description = "PostgreSQL JDBC URL; without it the hub runs its own PostgreSQL")
    @Env("HUB_DB_URL")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "PostgreSQL user")
    @Env("HUB_DB_USER")
    String dbUser;

    @Option(names = "--token-minutes", paramLabel = "MINUTES", description = "access token lifetime in minutes (default 15)")
    @Env("HUB_TOKEN_MINUTES")
    String tokenMinutes;

    @Option(names = "--pool-size", paramLabel = "N",
        description = "database connections, kept as given (default: the database's cores × 2 + 1, shared by the hub"
            + " instances on it, at least 3 each)")
    @Env("HUB_POOL_SIZE")
    String poolSize;

    @Option(names = "--db-cores", paramLabel = "N",
        description = "cores of the machine --db-url's PostgreSQL runs on, to size the pool (default: this machine's)")
    @Env("HUB_DB_CORES")
    String dbCores;

    @Option(names = "--db-queue-timeout", paramLabel = "MS",
        description = "milliseconds a request waits its turn for a connection before a 503 (default 3000)")
    @Env("HUB_DB_QUEUE_TIMEOUT")
    String dbQueueTimeout;

    @Option(names = "--allowed-hosts", paramLabel = "HOSTS", description = "comma-separated Host names answered (default: any)")
    @Env("HUB_ALLOWED_HOSTS")
    String allowedHosts;

    @Option(names = "--trusted-proxies", paramLabel = "ADDRESSES",
        description = "comma-separated proxy addresses or CIDR ranges whose X-Forwarded-For is believed (default: none)")
    @Env("HUB_TRUSTED_PROXIES")
    String trustedProxies;

    @Option(names = "--change-log-retention", paramLabel = "DAYS",
        description = "days the sync change log is kept; a dock offline longer reloads a snapshot (default 30)")
    @Env("HUB_CHANGE_LOG_RETENTION_DAYS")
    String changeLogRetention;

    @Option(names = "--session-idle-minutes", paramLabel = "MINUTES",
        description = "web UI: minutes without activity before a browser session ends (default 30)")
    @Env("HUB_SESSION_IDLE_MINUTES")
    String sessionIdleMinutes;

    @Option(names = "--session-max-hours", paramLabel = "HOURS",
        description = "web UI: hours a browser session lasts at most, however busy (default 12)")
    @Env("HUB_SESSION_MAX_HOURS")
    String sessionMaxHours;

    @Option(names = "--dock-silent-minutes", paramLabel = "MINUTES",
        description = "Fleet page: minutes without contact before a dock shows as silent; a connected idle dock "
            + "keeps contact by its change-log poll (default 5)")
    @Env("HUB_DOCK_SILENT_MINUTES")
    String dockSilentMinutes;

    @Option(names = "--audit-address-days", paramLabel = "DAYS",
        description = "days the audit trail keeps a client's full address; then only its network (/24, /48) stays (default 90)")
    @Env("HUB_AUDIT_ADDRESS_DAYS")
    String auditAddressDays;

    // events to Kafka (issue #17); no --kafka: no relay
    @Option(names = "--kafka", paramLabel = "HOST:PORT[,...]",
        description = "Kafka brokers: every committed change goes to them as a CloudEvents event (off when unset)")
    @Env("HUB_KAFKA")
    String kafka;

    @Option(names = "--kafka-topic", paramLabel = "TOPIC", description = "the topic events go to (default tracetrack.events)")
    @Env("HUB_KAFKA_TOPIC")
    String kafkaTopic;

    @Option(names = "--webhook-allowed-hosts", paramLabel = "HOSTS",
        description = "comma-separated hosts webhooks may be sent to although they are loopback, private or link-local "
            + "addresses (default: none; public hosts need no naming)")
    @Env("HUB_WEBHOOK_ALLOWED_HOSTS")
    String webhookAllowedHosts;

    @Option(names = "--webhook-timeout-ms", paramLabel = "MS",
        description = "milliseconds a webhook endpoint has to answer one delivery before it is tried again later (default 10000)")
    @Env("HUB_WEBHOOK_TIMEOUT_MS")
    String webhookTimeoutMs;

    // end of day (F-EOD) and its e-mail; no --smtp-host: no mail
    @Option(names = "--zone", paramLabel = "ZONE", description = "the deployment's time zone, e.g. Asia/Kolkata (default: the system's)")
    @Env("HUB_ZONE")
    String zone;

    @Option(names = "--smtp-host", paramLabel = "HOST", description = "mail server for the end-of-day e-mail (default: none, no mail)")
    @Env("HUB_SMTP_HOST")
    String smtpHost;

    @Option(names = "--smtp-port", paramLabel = "PORT", description = "mail server port (default 587 with TLS, else 25)")
    @Env("HUB_SMTP_PORT")
    String smtpPort;

    @Option(names = "--smtp-user", paramLabel = "USER", description = "mail server user (default: none, no authentication)")
    @Env("HUB_SMTP_USER")
    String smtpUser;

    @Option(names = "--smtp-from", paramLabel = "ADDRESS",
        description = "sender address of the end-of-day e-mail (default tracetrack@<smtp-host>)")
    @Env("HUB_SMTP_FROM")
    String smtpFrom;

    @Option(names = "--smtp-tls", paramLabel = "MODE", completionCandidates = TlsModes.class,
        description = "starttls (default), tls (implicit, port 465) or none; plaintext-auth sends a password in clear on purpose")
    @Env("HUB_SMTP_TLS")
    String smtpTls;

    @Option(names = "--eod-mail-at", paramLabel = "HH:MM",
        description = "local time after which the day's summary is mailed (default 23:30)")
    @Env("HUB_EOD_MAIL_AT")
    String eodMailAt;

    // a secret given as a flag is refused as soon as it is read, without echoing it; arity 0..1 so
    // that even a bare --db-password gets this answer rather than "missing parameter"
    @Option(names = "--db-password", arity = "0..1", hidden = true)
    void dbPasswordFlag(String ignored) {
      throw secretAsFlag("--db-password");
    }

    @Option(names = "--admin-password", arity = "0..1", hidden = true)
    void adminPasswordFlag(String ignored) {
      throw secretAsFlag("--admin-password");
    }

    @Option(names = "--jwt-secret", arity = "0..1", hidden = true)
    void jwtSecretFlag(String ignored) {
      throw secretAsFlag("--jwt-secret");
    }

    @Option(names = "--smtp-password", arity = "0..1", hidden = true)
    void smtpPasswordFlag(String ignored) {
      throw secretAsFlag("--smtp-password");
    }

    private ParameterException secretAsFlag(String flag) {
      return new ParameterException(spec.commandLine(), flag + " is a secret: pass it in the environment ("
          + "HUB_" + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_') + "), never on the command line");
    }

    HubConfig config(Map<String, String> env) {
      if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("--db-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host/db)");
      }
      return new HubConfig(
          Flags.wholeNumber("--port", port, HubConfig.DEFAULT_PORT, 0, 65_535),
          bind == null ? "0.0.0.0" : bind,
          dataDir(data == null ? "hub-data" : data),
          dbUrl,
          dbUser,
          secret(env, "HUB_DB_PASSWORD"),
          secret(env, "HUB_ADMIN_PASSWORD"),
          secret(env, "HUB_JWT_SECRET"),
          Duration.ofMinutes(Flags.wholeNumber("--token-minutes", tokenMinutes, 15, 1, 24 * 60)),
          pool(),
          Duration.ofMillis(Flags.wholeNumber("--db-queue-timeout", dbQueueTimeout, 3000, 10, 600_000)),
          db(db == null ? "postgres" : db),
          allowedHosts(allowedHosts),
          trustedProxies(trustedProxies),
          Duration.ofDays(Flags.wholeNumber("--change-log-retention", changeLogRetention, 30, 1, 3650)),
          Duration.ofMinutes(Flags.wholeNumber("--session-idle-minutes", sessionIdleMinutes, 30, 1, 24 * 60)),
          Duration.ofHours(Flags.wholeNumber("--session-max-hours", sessionMaxHours, 12, 1, 7 * 24)),
          zone(zone),
          smtp(secret(env, "HUB_SMTP_PASSWORD")),
          eodMailAt(eodMailAt == null ? "23:30" : eodMailAt),
          Duration.ofMinutes(Flags.wholeNumber("--dock-silent-minutes", dockSilentMinutes, 5, 1, 24 * 60)),
          Duration.ofDays(Flags.wholeNumber("--audit-address-days", auditAddressDays, 90, 1, 3650)),
          events(),
          new HubConfig.WebhookSettings(webhookAllowedHosts(webhookAllowedHosts),
              Duration.ofMillis(Flags.wholeNumber("--webhook-timeout-ms", webhookTimeoutMs, 10_000, 100, 120_000))));
    }

    /** The relay's settings, or null without {@code --kafka}. */
    private HubConfig.Events events() {
      if (kafka == null || kafka.isBlank()) {
        if (kafkaTopic != null) {
          throw new IllegalArgumentException("--kafka-topic needs --kafka (the brokers to send to)");
        }
        return null;
      }
      String topic = kafkaTopic == null ? "tracetrack.events" : kafkaTopic;
      if (!topic.matches("[A-Za-z0-9._-]{1,249}") || topic.equals(".") || topic.equals("..")) {
        throw new IllegalArgumentException("--kafka-topic must be 1-249 letters, digits, '.', '_' or '-': " + Flags.printable(topic));
      }
      return new HubConfig.Events(Flags.hostPorts("--kafka", kafka), topic);
    }

    /** {@code --pool-size} when given; otherwise sized from the database's cores (see {@link PoolSize}). */
    private PoolSize pool() {
      OptionalInt size = poolSize == null ? OptionalInt.empty() : OptionalInt.of(Flags.wholeNumber("--pool-size", poolSize, 0, 2, 500));
      OptionalInt cores = dbCores == null ? OptionalInt.empty() : OptionalInt.of(Flags.wholeNumber("--db-cores", dbCores, 0, 1, 1024));
      // H2 and the embedded PostgreSQL run on this machine: only --db-url names another
      String external = "h2".equals(db) ? null : dbUrl;
      return PoolSize.choose(size, cores, external, PoolSize.localCores());
    }

    private SmtpSettings smtp(String password) {
      if (smtpHost == null) {
        Map<String, String> others = new LinkedHashMap<>();
        others.put("HUB_SMTP_PORT", smtpPort);
        others.put("HUB_SMTP_USER", smtpUser);
        others.put("HUB_SMTP_FROM", smtpFrom);
        others.put("HUB_SMTP_TLS", smtpTls);
        others.forEach((variable, value) -> {
          if (value != null) {
            throw new IllegalArgumentException(variable + " (--" + variable.substring(4).toLowerCase(Locale.ROOT).replace('_', '-')
                + ") is set but HUB_SMTP_HOST (--smtp-host) is not: no mail would be sent");
          }
        });
        return null;
      }
      SmtpSettings.Tls tls = SmtpSettings.Tls.parse(smtpTls == null ? "starttls" : smtpTls);
      int mailPort = Flags.wholeNumber("--smtp-port", smtpPort, tls.defaultPort(), 1, 65_535);
      String from = smtpFrom == null ? "tracetrack@" + smtpHost.strip() : smtpFrom;
      return new SmtpSettings(smtpHost.strip(), mailPort, smtpUser, password, from, tls);
    }
  }

  /** A secret as the environment has it; blank is unset, as for every other variable. */
  private static String secret(Map<String, String> env, String variable) {
    String value = env.get(variable);
    return value == null || value.isBlank() ? null : value;
  }

  private static ZoneId zone(String value) {
    if (value == null) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(value.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("--zone must be a time zone such as Asia/Kolkata or UTC: " + Flags.printable(value));
    }
  }

  private static LocalTime eodMailAt(String value) {
    try {
      return LocalTime.parse(value.strip(), DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("--eod-mail-at must be a local time HH:MM, e.g. 23:30: " + Flags.printable(value));
    }
  }

  private static HubConfig.Db db(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "postgres", "postgresql" -> HubConfig.Db.POSTGRES;
      case "h2" -> HubConfig.Db.H2;
      default -> throw new IllegalArgumentException("--db must be postgres or h2: " + Flags.printable(value));
    };
  }

  private static List<String> allowedHosts(String value) {
    try {
      return HostPolicy.parseList(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--allowed-hosts: " + e.getMessage(), e);
    }
  }

  private static List<String> webhookAllowedHosts(String value) {
    try {
      return HostPolicy.parseList(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--webhook-allowed-hosts: " + e.getMessage(), e);
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
    if (value.isBlank() || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("--data must be a folder path");
    }
    try {
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("--data is not a valid path: " + Flags.printable(e.getMessage()), e);
    }
  }

  /** The values {@code --db} takes, for completion. */
  static final class DbKinds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("postgres", "h2").iterator();
    }
  }

  /** The values {@code --smtp-tls} takes, for completion. */
  static final class TlsModes implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("starttls", "tls", "none", "plaintext-auth").iterator();
    }
  }
}
