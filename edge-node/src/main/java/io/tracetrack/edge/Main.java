package io.tracetrack.edge;

import io.helidon.webserver.WebServer;
import io.tracetrack.edge.sync.EdgeStatus;
import io.tracetrack.edge.capture.TerminalCapture;
import io.tracetrack.edge.db.DataFolder;
import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.db.StoreUnavailableException;
import io.tracetrack.edge.scan.EdgeIdentity;
import io.tracetrack.edge.scan.EdgeMeta;
import io.tracetrack.edge.receiving.Receiving;
import io.tracetrack.edge.scan.ScanService;
import io.tracetrack.edge.station.EdgeServer;
import io.tracetrack.edge.station.PageRoutes;
import io.tracetrack.edge.station.StationApi;
import io.tracetrack.edge.sync.DeviceCredential;
import io.tracetrack.edge.sync.DockSync;
import io.tracetrack.edge.sync.HubClient;
import io.tracetrack.edge.sync.HubEnrolment;
import io.tracetrack.edge.sync.SyncOnce;
import io.tracetrack.edge.sync.SyncStore;
import io.tracetrack.edge.sync.SyncStores;
import io.tracetrack.edge.sync.SyncWorker;
import io.tracetrack.edge.users.LocalUsers;
import io.tracetrack.web.Json;
import io.tracetrack.web.Logging;
import io.tracetrack.web.cli.Cli;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The composition root: parses the command line, builds everything, runs one command. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    configureLogging();
    if (io.tracetrack.web.Passwords.atTestCost()) {
      System.err.println("edge-node: -Dtracetrack.test.cheap-password-hashes is for the build's tests only: it would store"
          + " weak password hashes; remove it");
      System.exit(ExitCode.CONFIG.code());
    }
    int code;
    try {
      code = switch (EdgeCommandLine.parse(args, System.getenv())) {
        case Cli.Parsed.Print<EdgeConfig> print -> {
          System.out.print(print.text());
          yield ExitCode.OK.code();
        }
        case Cli.Parsed.Run<EdgeConfig> run -> run(run.config(), Clock.systemUTC()).code();
      };
    } catch (StartupException e) {
      System.err.println("edge-node: " + e.getMessage());
      code = e.exitCode().code();
    } catch (StoreUnavailableException e) {
      System.err.println("edge-node: " + e.getMessage() + "; try again when it is free");
      code = ExitCode.LOCKED.code();
    } catch (RuntimeException | Error e) {
      Logger.getLogger(Main.class.getName()).log(Level.SEVERE, "edge-node failed", e);
      code = ExitCode.SOFTWARE.code();
    }
    if (code != ExitCode.OK.code() || !isServing()) {
      System.exit(code);
    }
  }

  private static volatile boolean serving;

  private static boolean isServing() {
    return serving;
  }

  static ExitCode run(EdgeConfig config, Clock clock) {
    return switch (config.command()) {
      case "serve" -> serve(config, clock);
      case "scan" -> scan(config, clock);
      case "users" -> users(config, clock);
      case "status" -> status(config, clock);
      case "enroll" -> enroll(config, clock, HubEnrolment.withDefaults());
      case "sync" -> sync(config, clock, db -> SyncStores.open(db, config.grammar(), clock), HubClient.Timeouts.DEFAULTS);
      default -> throw new StartupException(ExitCode.USAGE, "unknown command " + config.command());
    };
  }

  private static EdgeDatabase openDatabase(EdgeConfig config) {
    DataFolder.prepare(config.dataDir());
    return EdgeDatabase.open(config.databaseFile(), config.busyTimeout());
  }

  private static ExitCode serve(EdgeConfig config, Clock clock) {
    DataFolder.prepare(config.dataDir());
    FileLock lock = DataFolder.lockForServer(config.dataDir());
    EdgeDatabase db = EdgeDatabase.open(config.databaseFile(), config.busyTimeout());
    EdgeMeta meta = EdgeIdentity.ensure(db, config.dock(), clock);
    Optional<DeviceCredential.Stored> enrolment = enrolment(config);
    SyncWorker worker = null;
    DockSync sync = DockSync.notEnrolled();
    if (enrolment.isPresent()) {
      SyncStore store = SyncStores.open(db, config.grammar(), clock);
      HubClient hub = HubClient.of(enrolment.get(), HubClient.Timeouts.DEFAULTS);
      worker = SyncWorker.standard(store, hub, clock, version(), Main::console);
      sync = new DockSync(store, hub, worker, task -> Thread.ofVirtual().name("sync-ack").start(task));
    }
    // the scan path only releases a permit; the worker does the network, never the scan
    ScanService scans = new ScanService(db, config.grammar(), clock, config.bounceWindow(), config.idleReset(),
        worker == null ? () -> { } : worker::nudge);
    LocalUsers users = new LocalUsers(db, clock);
    WebServer server;
    try {
      server = EdgeServer.start(EdgeServer.settings(config.bind(), config.port(), config.allowedHosts()),
          new StationApi(scans, users, db, sync, clock, new Receiving(db, config.grammar(), clock,
              worker == null ? () -> { } : worker::nudge)), new PageRoutes(db));
    } catch (RuntimeException e) {
      db.close();
      throw new StartupException(ExitCode.CANT_CREATE,
          "cannot listen on " + config.bind() + ":" + config.port() + " (" + e.getMessage() + "); is the port in use? try --port", e);
    }
    SyncWorker running = worker;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop();
      if (running != null) {
        running.close();
      }
      db.close();
      try {
        lock.release();
      } catch (IOException ignored) {
        // the OS releases it with the process anyway
      }
    }, "edge-shutdown"));
    serving = true;
    String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
    System.out.printf(Locale.ROOT, "TraceTrack dock %s (edge %s), data %s%n", meta.dock(), meta.edgeId(), config.databaseFile());
    System.out.printf(Locale.ROOT, "Station page: http://%s:%d/%n", host, server.port());
    if (worker != null) {
      System.out.printf(Locale.ROOT, "Syncing with hub %s%n", enrolment.get().hub());
      worker.start();
    } else {
      System.out.println("Not enrolled with a hub: scans stay on this dock (see enroll)");
    }
    System.out.flush();
    return ExitCode.OK;
  }

  private static ExitCode scan(EdgeConfig config, Clock clock) {
    if (config.user() == null) {
      throw new StartupException(ExitCode.USAGE, "scan needs --user NAME (the dispatcher scanning)");
    }
    try (EdgeDatabase db = openDatabase(config)) {
      EdgeIdentity.ensure(db, config.dock(), clock);
      LocalUsers users = new LocalUsers(db, clock);
      Optional<String> refused = users.admitTerminalUser(config.user());
      if (refused.isPresent()) {
        throw new StartupException(ExitCode.NO_PERMISSION, refused.get());
      }
      ScanService scans = new ScanService(db, config.grammar(), clock, config.bounceWindow(), config.idleReset());
      TerminalCapture.Summary summary = new TerminalCapture(scans, config.station(), config.user())
          .run(System.in, new PrintStream(System.out, false, StandardCharsets.UTF_8));
      if (summary.notRecorded() > 0) {
        System.err.printf(Locale.ROOT, "edge-node: %d of %d scans were NOT recorded (see their lines)%n",
            summary.notRecorded(), summary.scans());
        return ExitCode.LOCKED;
      }
      return ExitCode.OK;
    } catch (IOException e) {
      throw new StartupException(ExitCode.SOFTWARE, "reading standard input failed: " + e.getMessage(), e);
    }
  }

  private static ExitCode users(EdgeConfig config, Clock clock) {
    String action = config.arguments().isEmpty() ? "list" : config.arguments().getFirst();
    try (EdgeDatabase db = openDatabase(config)) {
      EdgeIdentity.ensure(db, config.dock(), clock);
      LocalUsers users = new LocalUsers(db, clock);
      switch (action) {
        case "list" -> {
          for (LocalUsers.UserInfo u : users.list()) {
            System.out.printf(Locale.ROOT, "%-24s %-10s %-5s %s%s%n", u.name(), u.role(), u.source(),
                u.hasPassword() ? "password set" : "no password (terminal only)", u.disabled() ? ", disabled" : "");
          }
          return ExitCode.OK;
        }
        case "add" -> {
          if (config.arguments().size() != 2) {
            throw new StartupException(ExitCode.USAGE, "usage: users add NAME [--password-stdin]");
          }
          String name = config.arguments().get(1);
          Optional<String> problem = users.addLocalDispatcher(name, readPassword(config));
          if (problem.isPresent()) {
            throw new StartupException(ExitCode.USAGE, problem.get());
          }
          System.out.println("added local dispatcher " + name);
          return ExitCode.OK;
        }
        case "disable", "enable" -> {
          String name = userArgument(config, "users " + action + " NAME");
          Optional<String> problem = "disable".equals(action) ? users.disable(name) : users.enable(name);
          if (problem.isPresent()) {
            throw new StartupException(ExitCode.USAGE, problem.get());
          }
          System.out.println(action + "d " + name + ("disable".equals(action) ? "; their station sessions have ended" : ""));
          return ExitCode.OK;
        }
        case "passwd" -> {
          String name = userArgument(config, "users passwd NAME [--password-stdin]");
          Optional<String> problem = users.setPassword(name, readPassword(config));
          if (problem.isPresent()) {
            throw new StartupException(ExitCode.USAGE, problem.get());
          }
          System.out.println("password of " + name + " set; their station sessions have ended");
          return ExitCode.OK;
        }
        default -> throw new StartupException(ExitCode.USAGE,
            "users: unknown action '" + action + "' (add, list, passwd, disable, enable)");
      }
    }
  }

  private static String userArgument(EdgeConfig config, String usage) {
    if (config.arguments().size() != 2) {
      throw new StartupException(ExitCode.USAGE, "usage: " + usage);
    }
    return config.arguments().get(1);
  }

  private static String readPassword(EdgeConfig config) {
    if (config.passwordFromStdin()) {
      try {
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? "" : line;
      } catch (IOException e) {
        throw new StartupException(ExitCode.USAGE, "cannot read the password from standard input", e);
      }
    }
    Console console = System.console();
    if (console == null) {
      throw new StartupException(ExitCode.USAGE, "no terminal to ask for the password; use --password-stdin");
    }
    char[] first = console.readPassword("Password: ");
    char[] second = console.readPassword("Again: ");
    if (first == null || second == null || !Arrays.equals(first, second)) {
      throw new StartupException(ExitCode.USAGE, "the passwords did not match");
    }
    return new String(first);
  }

  private static ExitCode status(EdgeConfig config, Clock clock) {
    try (EdgeDatabase db = openDatabase(config)) {
      EdgeIdentity.ensure(db, config.dock(), clock);
      Instant now = clock.instant();
      Optional<SyncStore.SyncStatus> sync = enrolment(config).isPresent()
          ? Optional.of(SyncStores.open(db, config.grammar(), clock).status(now)) : Optional.empty();
      System.out.println(Json.write(EdgeStatus.of(db, now, sync, Optional.empty())));
      return ExitCode.OK;
    }
  }

  /**
   * {@code sync --once}: the worker's push and pull, run once. Exit 0 with one JSON line; 69 when
   * the hub cannot be reached (nothing is lost: pending ops stay pending); 77 when it refuses this
   * dock's credential; 78 when the folder is not enrolled.
   *
   * @param stores opens the sync store (a test hands in its own)
   */
  static ExitCode sync(EdgeConfig config, Clock clock, Function<EdgeDatabase, SyncStore> stores, HubClient.Timeouts timeouts) {
    try (EdgeDatabase db = openDatabase(config)) {
      EdgeIdentity.ensure(db, config.dock(), clock);
      DeviceCredential.Stored enrolled = enrolment(config).orElseThrow(() -> new StartupException(ExitCode.CONFIG,
          "the data folder " + config.dataDir() + " is not enrolled with a hub: run enroll --hub URL --code CODE first"));
      HubClient hub = HubClient.of(enrolled, timeouts);
      SyncStore store = stores.apply(db);
      if (config.resnapshot()) {
        // by hand: the next pull loads a whole snapshot (and clears a pull error when it loads cleanly)
        store.requireSnapshot();
      }
      SyncOnce.Outcome outcome = SyncOnce.run(store, hub, clock, version(), line -> System.err.println(line));
      return switch (outcome) {
        case SyncOnce.Outcome.Done d -> {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("pushed", d.pushed());
          out.put("applied", d.applied());
          out.put("duplicates", d.duplicates());
          out.put("rejected", d.rejected());
          out.put("pulled", d.pulled());
          out.put("pendingOps", d.pendingOps());
          out.put("openConflicts", d.openConflicts());
          System.out.println(Json.write(out));
          yield ExitCode.OK;
        }
        case SyncOnce.Outcome.Unreachable u -> throw new StartupException(ExitCode.UNAVAILABLE, "cannot reach the hub at "
            + enrolled.hub() + " (" + u.why() + "); nothing was lost: pending ops stay and go with the next sync");
        case SyncOnce.Outcome.Refused r -> throw new StartupException(
            r.status() == 401 || r.status() == 403 ? ExitCode.NO_PERMISSION : ExitCode.SOFTWARE, r.detail());
      };
    }
  }

  /** The stored enrolment, if the folder has one; one that cannot be read stops the command. */
  private static Optional<DeviceCredential.Stored> enrolment(EdgeConfig config) {
    try {
      return DeviceCredential.load(config.dataDir());
    } catch (DeviceCredential.NotStored e) {
      throw new StartupException(ExitCode.CONFIG, e.getMessage(), e);
    }
  }

  /** The jar's version (its manifest), or "dev" when run from classes. */
  private static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static void console(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /**
   * Exchanges the admin's code for this dock's device credential. The hub's dock name wins: the
   * edge takes it on, unless the edge already recorded scans under another name (they would go to
   * the hub as the wrong dock), which is refused before anything is kept.
   */
  static ExitCode enroll(EdgeConfig config, Clock clock, HubEnrolment hub) {
    if (config.hub() == null || config.enrollmentCode() == null) {
      throw new StartupException(ExitCode.USAGE, "usage: enroll --data DIR --hub URL --code CODE");
    }
    // a first enrolment that fails leaves the folder as it found it: no edge.db that a later
    // `serve` would take for a dock already set up (and no identity the hub never heard of)
    boolean freshDatabase = !java.nio.file.Files.exists(config.databaseFile());
    try {
      return enrollOnce(config, clock, hub);
    } catch (StartupException e) {
      if (freshDatabase && !java.nio.file.Files.exists(config.dataDir().resolve(DeviceCredential.FILE))) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
          try {
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(config.databaseFile() + suffix));
          } catch (java.io.IOException | SecurityException cleanup) {
            e.addSuppressed(cleanup);
          }
        }
      }
      throw e;
    }
  }

  private static ExitCode enrollOnce(EdgeConfig config, Clock clock, HubEnrolment hub) {
    try (EdgeDatabase db = openDatabase(config)) {
      EdgeMeta meta = EdgeIdentity.ensure(db, config.dock(), clock);
      HubEnrolment.Result.Enrolled enrolled = switch (hub.enroll(config.hub(), config.enrollmentCode(), meta.edgeId(), meta.dock())) {
        case HubEnrolment.Result.Enrolled e -> e;
        case HubEnrolment.Result.Refused r -> throw new StartupException(ExitCode.NO_PERMISSION,
            "the hub refused the enrolment (" + r.code() + "): " + r.detail());
        case HubEnrolment.Result.Unreachable u -> throw new StartupException(ExitCode.UNAVAILABLE,
            "cannot reach the hub at " + config.hub() + " (" + u.why() + "); nothing was changed, the code is still good");
      };
      refuseOtherDock(EdgeIdentity.canAdopt(db, enrolled.dock()), enrolled.dock());
      try {
        DeviceCredential.store(config.dataDir(), config.hub().toString(), enrolled.dock(), meta.edgeId(), enrolled.credential());
      } catch (DeviceCredential.NotStored e) {
        throw new StartupException(ExitCode.CANT_CREATE, e.getMessage()
            + "; the code is used up: ask the admin for a new one once this is fixed", e);
      }
      EdgeIdentity.Adoption adoption = EdgeIdentity.adoptHub(db, config.hub().toString(), enrolled.dock(), clock);
      if (adoption instanceof EdgeIdentity.Adoption.Adopted && enrolled.area() != null) {
        EdgeIdentity.recordArea(db, enrolled.area());
      }
      if (adoption instanceof EdgeIdentity.Adoption.OtherDock) {
        DeviceCredential.remove(config.dataDir());
      }
      refuseOtherDock(adoption, enrolled.dock());
      java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
      out.put("edgeId", meta.edgeId());
      out.put("dock", enrolled.dock());
      out.put("hub", config.hub().toString());
      System.out.println(Json.write(out));
      return ExitCode.OK;
    }
  }

  private static void refuseOtherDock(EdgeIdentity.Adoption adoption, String hubDock) {
    if (adoption instanceof EdgeIdentity.Adoption.OtherDock other) {
      throw new StartupException(ExitCode.CONFIG, "the hub enrolled this edge as dock " + hubDock + ", but this data folder "
          + "already holds " + other.ops() + " op(s) of dock " + other.storedDock() + "; nothing was kept. Enrol it with a "
          + "code for " + other.storedDock() + ", or use a fresh --data folder for " + hubDock
          + " (the code is used up: ask the admin for a new one)");
    }
  }

  private static void configureLogging() {
    Logging.configureDefaults("edge-node");
  }
}
