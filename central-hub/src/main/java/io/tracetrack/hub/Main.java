package io.tracetrack.hub;

import io.helidon.webserver.WebServer;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.audit.AuditRoutes;
import io.tracetrack.hub.audit.ScanTrail;
import io.tracetrack.hub.eod.EndOfDay;
import io.tracetrack.hub.eod.EndOfDayRoutes;
import io.tracetrack.hub.eod.EodMailer;
import io.tracetrack.hub.mail.Mailer;
import io.tracetrack.hub.io.ExportRoutes;
import io.tracetrack.hub.ops.HubInstances;
import io.tracetrack.hub.ops.Metrics;
import io.tracetrack.hub.ops.OpsRoutes;
import io.tracetrack.hub.search.SearchRoutes;
import io.tracetrack.hub.stats.Stats;
import io.tracetrack.hub.stats.StatsRoutes;
import io.tracetrack.hub.sync.DockAuth;
import io.tracetrack.hub.sync.DockRoutes;
import io.tracetrack.hub.sync.Ingest;
import io.tracetrack.hub.sync.Docks;
import io.tracetrack.hub.sync.SyncRoutes;
import io.tracetrack.hub.sync.ChangeFeed;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.hub.sync.ConflictRoutes;
import io.tracetrack.hub.sync.Conflicts;
import io.tracetrack.hub.sync.Snapshots;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import io.tracetrack.hub.auth.AccountCheck;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.users.AuthRoutes;
import io.tracetrack.hub.auth.SignInLimiter;
import io.tracetrack.hub.auth.SigningKey;
import io.tracetrack.hub.auth.Sessions;
import io.tracetrack.hub.auth.Tokens;
import io.tracetrack.hub.bag.BagRoutes;
import io.tracetrack.hub.bag.BagService;
import io.tracetrack.hub.cache.CacheFollower;
import io.tracetrack.hub.bill.BillRoutes;
import io.tracetrack.hub.bill.BillService;
import io.tracetrack.hub.events.EventRelay;
import io.tracetrack.hub.webhooks.Destinations;
import io.tracetrack.hub.webhooks.WebhookDispatcher;
import io.tracetrack.hub.webhooks.WebhookRoutes;
import io.tracetrack.hub.webhooks.Webhooks;
import io.tracetrack.hub.receiving.ReceiptRoutes;
import io.tracetrack.hub.receiving.Receipts;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.users.AreaRoutes;
import io.tracetrack.hub.users.MeRoutes;
import io.tracetrack.hub.users.OpenBills;
import io.tracetrack.hub.users.PromotionRoutes;
import io.tracetrack.hub.users.Promotions;
import io.tracetrack.hub.users.TwoFactor;
import io.tracetrack.hub.users.UserAdmin;
import io.tracetrack.hub.users.UserRoutes;
import io.tracetrack.hub.users.Users;
import io.tracetrack.hub.web.ClientAddresses;
import io.tracetrack.hub.web.HealthRoutes;
import io.tracetrack.hub.web.HubServer;
import io.tracetrack.hub.web.LegacyRoutes;
import io.tracetrack.hub.ui.UiRoutes;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.WeightPolicy;
import io.tracetrack.web.cli.Cli;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The composition root: configuration, database, services, routes, server. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    configureLogging();
    if (io.tracetrack.web.Passwords.atTestCost()) {
      System.err.println("central-hub: -Dtracetrack.test.cheap-password-hashes is for the build's tests only: it would store"
          + " weak password hashes; remove it");
      System.exit(78);
    }
    HubConfig config;
    try {
      switch (HubCommandLine.parse(args, System.getenv())) {
        case Cli.Parsed.Print<HubConfig> print -> {
          System.out.print(print.text());
          return;
        }
        case Cli.Parsed.Run<HubConfig> run -> config = run.config();
      }
    } catch (IllegalArgumentException e) {
      System.err.println("central-hub: " + e.getMessage());
      System.exit(64);
      return;
    }
    Hub hub;
    try {
      hub = Hub.start(config, Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      System.err.println("central-hub: " + e.getMessage());
      System.exit(64);
      return;
    } catch (RuntimeException e) {
      // the usual causes: database unreachable or refusing the credentials, port in use
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      System.err.println("central-hub: cannot start: " + e.getMessage() + (root != e ? " (" + root.getMessage() + ")" : ""));
      System.exit(75);
      return;
    }
    // close order: web server, then pool, then the embedded database server
    Runtime.getRuntime().addShutdownHook(new Thread(hub::close, "hub-shutdown"));
    System.out.println("TraceTrack hub on " + hub.database().description());
    int instances = hub.instances().live();
    System.out.println("Database pool: " + hub.database().poolSize() + " connections ("
        + (config.pool().shared() && instances > 1
            ? instances + " hub instances on the database share " + config.pool().connections() + ", at least "
                + io.tracetrack.hub.db.PoolSize.MINIMUM + " each: "
            : "") + config.pool().reason() + ")");
    hub.generatedAdminPassword().ifPresent(p ->
        System.out.println("First admin created: user 'admin', password " + p + " (shown once; change it)"));
    String address = "http://" + ("0.0.0.0".equals(config.bind()) ? "127.0.0.1" : config.bind()) + ":" + hub.server().port();
    System.out.println("Web UI: " + address + "/");
    System.out.println("API: " + address + "/api/v1");
  }

  private static void configureLogging() {
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
    io.tracetrack.web.Logging.configureDefaults("central-hub");
  }

  /**
   * A running hub: what tests and Main both start.
   *
   * @param mounts the routes it serves (tests walk them, so no route escapes the role matrix)
   * @param relay the event relay to Kafka, when {@code --kafka} is set
   * @param instances the hub instances on the database, this one's row renewed on {@code beats}
   */
  public record Hub(HubDatabase database, WebServer server, Optional<String> generatedAdminPassword,
      ScheduledExecutorService background, List<HubServer.Mount> mounts, Optional<EventRelay> relay,
      WebhookDispatcher webhooks, HubInstances instances, ScheduledExecutorService beats) implements AutoCloseable {

    public static Hub start(HubConfig config, Clock clock) {
      HubDatabase db = switch (config.db()) {
        case H2 -> HubDatabase.h2(config.dataDir(), config.poolSize());
        case POSTGRES -> config.embedded()
            ? HubDatabase.embeddedPostgres(config.dataDir(), config.poolSize())
            : HubDatabase.postgres(config.dbUrl(), config.dbUser(), config.dbPassword(), config.poolSize());
      };
      try {
        return start(config, db, clock);
      } catch (RuntimeException e) {
        // the embedded server must not outlive a start that failed (port in use, bad key)
        db.close();
        throw e;
      }
    }

    public static Hub start(HubConfig config, HubDatabase db, Clock clock) {
      db.gate().deadline(config.dbQueueTimeout());
      String instanceName = instanceName();
      // the other instances on this database, and this one's share of its connections, before
      // serving; the budget is the pool as opened (the size the configuration gave it)
      HubInstances instances = new HubInstances(db, instanceName, version(),
          config.pool().shared() ? OptionalInt.of(db.poolSize()) : OptionalInt.empty(), clock);
      instances.beat();
      try {
        return start(config, db, clock, instances);
      } catch (RuntimeException e) {
        // a start that failed (port in use, bad key) is no instance: the others keep their share
        instances.close();
        throw e;
      }
    }

    private static Hub start(HubConfig config, HubDatabase db, Clock clock, HubInstances instances) {
      String instanceName = instances.name();
      Users users = new Users(db, clock);
      Optional<String> generated = users.ensureFirstAdmin(config.adminPassword());
      Tokens tokens = new Tokens(SigningKey.load(config.jwtSecret(), config.dataDir()), clock, config.tokenLifetime());
      AccountCheck accounts = new AccountCheck(db, clock);
      ClientAddresses addresses = new ClientAddresses(config.trustedProxies());
      Sessions sessions = new Sessions(tokens, clock, config.sessionIdle(), config.sessionMaxAge());
      Access access = new Access(sessions, accounts, addresses);
      AuditLog audit = new AuditLog(db, clock);
      BagService bags = new BagService(db, CodeGrammar.defaults(), audit, clock);
      BillService bills = new BillService(db, CodeGrammar.defaults(), bags, WeightPolicy.defaults(), audit, clock);
      Receipts receipts = new Receipts(db, clock);
      // a biller with open bills keeps the role: counted from the bill table
      OpenBills openBills = bills::openBillsOf;
      UserAdmin userAdmin = new UserAdmin(db, audit, openBills, clock);
      // names from before the one user-name rule that the V21 migration could not lower-case
      userAdmin.namesOutsideTheRule().warning()
          .ifPresent(line -> java.util.logging.Logger.getLogger(Main.class.getName()).warning(line));
      Promotions promotions = new Promotions(db, userAdmin, audit, clock);
      TwoFactor twoFactor = new TwoFactor(db, audit, clock);
      // sign-in budgets in the database: every hub instance on it spends from the same buckets
      SignInLimiter signInLimiter = SignInLimiter.shared(db, clock, "sign-in");
      Metrics metrics = new Metrics(db, clock);
      instances.register(metrics.registry());
      Stats stats = new Stats(db, clock);
      metrics.watch("dashboard", stats.cache());
      Docks docks = new Docks(db, audit, clock, Docks.DEFAULT_CODE_LIFETIME);
      DockAuth dockAuth = new DockAuth(docks);
      ChangeLog changeLog = new ChangeLog(db);
      // read caches: this hub's writes evicted before they answer; other instances' at the next poll.
      // The first commit listener: nothing a commit wakes (a dock's long poll, say) may read a view
      // the commit made stale
      CacheFollower caches = new CacheFollower(changeLog, bags.views(), bills.summaries(), accounts::forget);
      db.afterEachCommit(caches::committed);
      ChangeFeed feed = new ChangeFeed(changeLog, io.tracetrack.hub.ops.CpuLoad.system());
      // committed changes to Kafka: one instance relays at a time, from the position kept in the database
      Optional<EventRelay> relay = Optional.ofNullable(config.events()).map(events -> {
        EventRelay r = new EventRelay(db, changeLog, EventRelay.producer(events.bootstrap(), "tracetrack-hub"),
            events.topic(), EventRelay.SOURCE, instanceName, clock);
        r.register(metrics.registry());
        db.afterEachCommit(r::nudge);
        return r;
      });
      // webhooks: one instance sends at a time, each endpoint on a thread of its own
      Destinations destinations = Destinations.of(config.webhooks().allowedHosts());
      WebhookDispatcher webhookSender = new WebhookDispatcher(db, changeLog, destinations, EventRelay.SOURCE, instanceName,
          clock, WebhookDispatcher.SCHEDULE, config.webhooks().timeout());
      webhookSender.register(metrics.registry());
      Webhooks webhooks = new Webhooks(db, destinations, audit, clock);
      db.afterEachCommit(webhookSender::nudge);
      // long-polling docks on this instance wake at a commit here; other instances' by re-checking
      db.afterEachCommit(feed::signal);
      metrics.watch("bag_views", bags.views().cache());
      metrics.watch("bill_summaries", bills.summaries().cache());
      metrics.watch("account_checks", accounts.cache());
      Conflicts conflicts = new Conflicts(db, audit, bags::move, clock);
      // end of day (F-EOD): days in the deployment's zone; mailed only when SMTP is configured
      EndOfDay endOfDay = new EndOfDay(db, WeightPolicy.defaults());
      EodMailer eodMailer = new EodMailer(db, endOfDay, Optional.ofNullable(config.smtp()).map(smtp -> new Mailer(smtp, clock)),
          config.zone(), config.eodMailAt(), audit, clock, instanceName);
      List<HubServer.Mount> mounts = List.of(
          new HubServer.Mount("/", new OpsRoutes(metrics, db, access, relay, webhooks, instances)),
          new HubServer.Mount("/health", new HealthRoutes(db)),
          new HubServer.Mount("/api/v1/auth", new AuthRoutes(users, sessions, signInLimiter, access, accounts, addresses)),
          new HubServer.Mount("/api/v1/areas", new AreaRoutes(userAdmin, access)),
          new HubServer.Mount("/api/v1/users", new UserRoutes(userAdmin, access)),
          // a budget of its own: a day's sign-ins must not lock someone out of changing a password
          new HubServer.Mount("/api/v1/me", new MeRoutes(userAdmin, twoFactor, promotions, access, SignInLimiter.shared(db, clock, "me"), accounts)),
          new HubServer.Mount("/api/v1/promotion-requests", new PromotionRoutes(promotions, access)),
          new HubServer.Mount("/api/v1", new BagRoutes(bags, access)),
          new HubServer.Mount("/api/v1", new BillRoutes(bills, access)),
          new HubServer.Mount("/api/v1", new StatsRoutes(stats, access)),
          new HubServer.Mount("/api/v1", new AuditRoutes(audit, new ScanTrail(db), access)),
          new HubServer.Mount("/api/v1", new SearchRoutes(db, access)),
          new HubServer.Mount("/api/v1", new ExportRoutes(db, access, config.zone())),
          new HubServer.Mount("/api/v1", new io.tracetrack.hub.io.ImportRoutes(
              new io.tracetrack.hub.io.ImportService(db, CodeGrammar.defaults(), audit, clock), access,
              io.tracetrack.hub.io.ImportRoutes.DEFAULT_MAX_BYTES)),
          new HubServer.Mount("/api/v1", new DockRoutes(docks, access, clock, config.dockSilentAfter())),
          // enrolment codes get a guessing budget of their own, apart from the users' sign-ins
          new HubServer.Mount("/api/v1/sync", new SyncRoutes(docks, dockAuth, SignInLimiter.shared(db, clock, "enrol"), addresses,
              new Ingest(db, CodeGrammar.defaults(), clock, metrics.registry()), feed, new Snapshots(db), conflicts)),
          // the events feed: the relay's envelopes, long-polled from the change log
          new HubServer.Mount("/api/v1", new io.tracetrack.hub.events.EventRoutes(feed, access)),
          new HubServer.Mount("/api/v1", new WebhookRoutes(webhooks, access)),
          // receiving a load: docks send closed receipts, billers read them
          new HubServer.Mount("/api/v1", new ReceiptRoutes(receipts, bills, dockAuth, access)),
          new HubServer.Mount("/api/v1", new ConflictRoutes(conflicts, access)),
          new HubServer.Mount("/api/v1", new EndOfDayRoutes(endOfDay, eodMailer, access, clock, config.zone())),
          // last: the pages and the old system's routes (308 to their successors, with Deprecation
          // and Link headers) share no path with the API, and Helidon tries every route in front of
          // a request's own (in front, route matching was 11 % of a bag lookup's CPU; after, 8 %)
          new HubServer.Mount("/", new LegacyRoutes()),
          new HubServer.Mount("/", new UiRoutes()));
      WebServer server = HubServer.start(HubServer.settings(config.bind(), config.port(), config.allowedHosts()), mounts,
          List.of(metrics.requestFilter()));
      if (!server.isRunning()) {
        // Helidon logs a bind failure and returns a stopped server; a hub without a port must not run on
        throw new IllegalStateException("cannot listen on " + config.bind() + ":" + config.port() + " (in use?)");
      }
      ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "audit-chainer");
        t.setDaemon(true);
        return t;
      });
      // chaining runs after commit, off the request path; verify() chains first anyway
      every(background, "audit chaining", Duration.ofSeconds(2), Duration.ofSeconds(2), audit::chain);
      // unqueued: a refused poll would drop the caches, under load exactly when they help most
      background.scheduleWithFixedDelay(() -> db.gate().unqueued(caches::catchUp), 500, 500, TimeUnit.MILLISECONDS);
      // retention: at start, then daily; never the newest entry, so a dock at the head stays current
      every(background, "change-log pruning", Duration.ZERO, Duration.ofDays(1), () -> {
        OffsetDateTime before = OffsetDateTime.ofInstant(clock.instant().minus(config.changeLogRetention()), ZoneOffset.UTC);
        // entries Kafka has not acknowledged, or a webhook has not queued, stay, however old: neither leaves a gap
        long keepAfter = Math.min(relay.map(EventRelay::position).orElse(Long.MAX_VALUE), webhookSender.keepAfter());
        int pruned = changeLog.prune(before, keepAfter);
        if (pruned > 0) {
          java.util.logging.Logger.getLogger(Main.class.getName()).info("change log: pruned " + pruned + " entries older than "
              + config.changeLogRetention().toDays() + " days");
        }
      });
      // rate-limit buckets idle long enough to be full again: a missing row is a full bucket
      every(background, "rate limit clean-up", Duration.ofMinutes(10), Duration.ofMinutes(10),
          () -> SignInLimiter.forgetIdle(db, clock));
      // client addresses: full for --audit-address-days, then their network; at start, then hourly
      every(background, "audit address retention", Duration.ZERO, Duration.ofHours(1), () -> {
        int cut = audit.cutAddresses(OffsetDateTime.ofInstant(clock.instant().minus(config.auditAddressRetention()), ZoneOffset.UTC));
        if (cut > 0) {
          java.util.logging.Logger.getLogger(Main.class.getName()).info("audit: cut " + cut + " client addresses older than "
              + config.auditAddressRetention().toDays() + " days to their networks");
        }
      });
      if (eodMailer.configured()) {
        // each instance looks every minute; the eod_mail row lets only one of them send a day's mail
        every(background, "end-of-day mail", Duration.ofMinutes(1), Duration.ofMinutes(1), eodMailer::tick);
      }
      relay.ifPresent(EventRelay::start);
      webhookSender.start();
      // a thread of its own: a long prune on the background thread must not make the others count this one gone
      ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hub-instance-beat");
        t.setDaemon(true);
        return t;
      });
      every(beats, "instance beat", HubInstances.BEAT, HubInstances.BEAT, instances::beat);
      return new Hub(db, server, generated, background, mounts, relay, webhookSender, instances, beats);
    }

    /**
     * Runs {@code task} on the background thread after {@code first}, then {@code period} after each
     * run ends; a failure is logged as a warning and the next run comes as planned.
     */
    private static void every(ScheduledExecutorService background, String what, Duration first, Duration period, Runnable task) {
      background.scheduleWithFixedDelay(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          java.util.logging.Logger.getLogger(Main.class.getName()).warning(what + " failed: " + e.getMessage());
        }
      }, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The hub's version, from its jar's manifest ("dev" when run from classes). */
    static String version() {
      return Optional.ofNullable(Main.class.getPackage().getImplementationVersion()).orElse("dev");
    }

    /**
     * This instance's name among the hubs on the database (its row, the relay's and the webhooks'
     * lease, the end-of-day mail's claim): host, process id and a start-time stamp.
     */
    private static String instanceName() {
      String host;
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "unknown-host";
      }
      String name = host + "/" + ProcessHandle.current().pid() + "/" + Long.toHexString(System.nanoTime());
      return name.length() > 100 ? name.substring(name.length() - 100) : name;
    }

    @Override
    public void close() {
      relay.ifPresent(EventRelay::close);
      webhooks.close();
      beats.shutdownNow();
      background.shutdownNow();
      try {
        // a beat under way would write the row back after it is deleted below
        beats.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server.stop();
      // once it no longer serves: the others take its share of the connections at their next beat
      instances.close();
      database.close();
    }
  }
}
