package io.tracetrack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * One chaos run, start to verdict: a hub, an area with a dispatcher, N docks registered and
 * enrolled through their proxies; scans at every dock while the {@link Schedule} kills, restarts and
 * cuts off; then everything healed, the fleet waited for until quiet, and the {@link Checker}.
 */
final class ChaosRun {

  static final String AREA = "CHAOS";
  static final String DISPATCHER = "dina";
  static final String DISPATCHER_PASSWORD = "Chaos-Dispatch3r-Passw0rd!";
  /** How long a dock must show the same quiet state before it counts as quiet. */
  private static final Duration STILL = Duration.ofSeconds(2);

  private final ChaosOptions options;
  private final PrintStream log;
  private final Http http = new Http();
  private final AtomicLong drops = new AtomicLong();
  private final AtomicInteger kills = new AtomicInteger();
  private final AtomicInteger hubKills = new AtomicInteger();
  private final AtomicInteger partitions = new AtomicInteger();
  private final List<EdgeNode> docks = new ArrayList<>();
  private final List<DockDriver> drivers = new ArrayList<>();
  private final Map<Integer, ReentrantLock> locks = new HashMap<>();
  private final ReentrantLock hubLock = new ReentrantLock();
  private final long born = System.nanoTime();
  private HubNode hub;
  private Path root;

  ChaosRun(ChaosOptions options, PrintStream log) {
    this.options = options;
    this.log = log;
  }

  Report run() throws Exception {
    for (Path jar : List.of(options.edgeJar(), options.hubJar())) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing: build edge-node and central-hub first (./tracetrack chaos does)");
      }
    }
    boolean temporary = options.data() == null;
    root = temporary ? Files.createTempDirectory("tracetrack-chaos-") : Files.createDirectories(options.data());
    say("chaos %s: data and logs in %s", options, root);
    Report report;
    boolean ok = false;
    try {
      report = runIn();
      ok = report.clean();
    } catch (Exception e) {
      say("chaos: failed: %s", e);
      logTails();
      throw e;
    } finally {
      shutDown();
    }
    if (ok && temporary) {
      delete(root);
    }
    return report;
  }

  private Report runIn() throws Exception {
    hub = new HubNode(options.hubJar(), root.resolve("hub"));
    hub.start();
    HubAdmin admin = new HubAdmin(hub, http);
    admin.signIn();
    admin.expect("POST", "/api/v1/areas", Map.of("id", AREA, "name", "Chaos"), 201);
    admin.expect("POST", "/api/v1/users", Map.of("username", DISPATCHER, "role", "DISPATCHER", "area", AREA,
        "password", DISPATCHER_PASSWORD), 201);
    Map<EdgeNode, String> codes = new java.util.LinkedHashMap<>();
    for (int i = 0; i < options.docks(); i++) {
      String name = "DOCK-" + (i + 1);
      String code = admin.expect("POST", "/api/v1/docks", Map.of("name", name, "area", AREA), 201)
          .get("enrollmentCode").asText();
      FaultProxy proxy = new FaultProxy(hub.port(), options.seed() * 7919 + i, drops);
      EdgeNode dock = new EdgeNode(name, root, proxy, options.edgeJar(), http);
      docks.add(dock);
      locks.put(i, new ReentrantLock());
      codes.put(dock, code);
    }
    // JVMs starting side by side share the machine better than one after the other
    try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> started = new ArrayList<>();
      for (EdgeNode dock : docks) {
        started.add(starts.submit(() -> {
          dock.enroll(codes.get(dock));
          dock.start();
          return null;
        }));
      }
      for (Future<?> f : started) {
        f.get();
      }
    }
    for (EdgeNode dock : docks) {
      // before the hub's users arrive a station would make a local user of any name
      awaitTrue(dock.name + " has the hub's users", Duration.ofMinutes(2), () -> dock.status().path("usersFromHub").asBoolean());
    }
    say("chaos: hub on %d, %d docks enrolled and serving; scanning for %d s", hub.port(), docks.size(), options.seconds());

    for (int i = 0; i < docks.size(); i++) {
      DockDriver driver = new DockDriver(docks.get(i), new ScanScript(options.seed(), i), DISPATCHER, DISPATCHER_PASSWORD);
      drivers.add(driver);
    }
    Schedule schedule = Schedule.of(options.seed(), options.docks(), options.seconds(), options.restores());
    docks.forEach(d -> d.proxy.faults(true));
    long start = System.nanoTime();
    drivers.forEach(DockDriver::start);
    List<Thread> faults = new ArrayList<>();
    for (Schedule.Fault fault : schedule.faults()) {
      sleepUntil(start, fault.atMs());
      faults.add(Thread.ofVirtual().name("fault-" + fault.kind()).start(() -> inject(fault)));
    }
    sleepUntil(start, options.seconds() * 1000L);
    for (DockDriver d : drivers) {
      d.stop();
    }
    for (Thread t : faults) {
      if (!t.join(Duration.ofMinutes(3))) {
        throw new IllegalStateException("a fault did not finish: " + t.getName());
      }
    }

    say("chaos: healing; %d kills, %d hub kills, %d partitions, %d drops, %d restores", kills.get(), hubKills.get(),
        partitions.get(), drops.get(), drivers.stream().mapToInt(DockDriver::restores).sum());
    docks.forEach(d -> say("chaos: %s line: %s", d.name, d.proxy.traffic()));
    docks.forEach(d -> d.proxy.healAll());
    long healed = System.nanoTime();
    Map<String, String> stuck = awaitQuiet(admin, healed);
    List<Checker.Dock> checked = new ArrayList<>();
    for (int i = 0; i < docks.size(); i++) {
      checked.add(Checker.of(docks.get(i), drivers.get(i)));
    }
    Checker.Findings found = new Checker(admin, checked).check();
    say("chaos: checked %d ops (%d with a lost answer) of %d docks against the hub", drivers.stream().mapToInt(d -> d.ops().size()).sum(),
        drivers.stream().mapToLong(d -> d.ops().stream().filter(o -> !o.certain()).count()).sum(), docks.size());
    List<String> differences = new ArrayList<>();
    stuck.forEach((dock, last) -> differences.add("stuck: " + dock + " not quiet after " + options.settle().toSeconds()
        + " s; last seen " + last));
    drivers.stream().map(DockDriver::firstError).filter(e -> e != null).forEach(e -> say("chaos: note: %s", e));
    differences.addAll(found.differences());
    return new Report(options.seed(), options.docks(), options.seconds(),
        drivers.stream().mapToInt(DockDriver::scans).sum(), drivers.stream().mapToInt(DockDriver::acked).sum(),
        kills.get(), hubKills.get(), partitions.get(), drops.get(), found.conflicts(), found.lostAcked(),
        found.appliedTwice(), found.overLimit(), found.diverged(), stuck.size(), differences);
  }

  private void inject(Schedule.Fault fault) {
    try {
      switch (fault.kind()) {
        case EDGE_KILL -> {
          EdgeNode dock = docks.get(fault.dock());
          ReentrantLock lock = locks.get(fault.dock());
          lock.lock();
          try {
            dock.kill();
            kills.incrementAndGet();
            Thread.sleep(fault.durationMs());
            dock.start();
          } finally {
            lock.unlock();
          }
        }
        case HUB_KILL -> {
          hubLock.lock();
          try {
            hub.kill(fault.withPostgres());
            hubKills.incrementAndGet();
            Thread.sleep(fault.durationMs());
            hub.start();
            docks.forEach(d -> d.proxy.retarget(hub.port()));
          } finally {
            hubLock.unlock();
          }
        }
        case RESTORE -> {
          EdgeNode dock = docks.get(fault.dock());
          ReentrantLock lock = locks.get(fault.dock());
          int mark;
          lock.lock();
          try {
            dock.kill();
            dock.backUp();
            mark = drivers.get(fault.dock()).mark();
            dock.start();
          } finally {
            lock.unlock();
          }
          Thread.sleep(fault.durationMs());
          lock.lock();
          try {
            dock.kill();
            dock.restore();
            drivers.get(fault.dock()).restoredTo(mark);
            dock.start();
          } finally {
            lock.unlock();
          }
        }
        case PARTITION -> {
          FaultProxy line = docks.get(fault.dock()).proxy;
          line.partition();
          partitions.incrementAndGet();
          try {
            Thread.sleep(fault.durationMs());
          } finally {
            line.heal();
          }
        }
      }
    } catch (Exception e) {
      say("chaos: fault %s failed: %s", fault, e);
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until every dock has pushed everything (nothing pending, the hub's last seq is the dock's
   * own), is online and has pulled up to the change log's head, and stays so for {@link #STILL};
   * answers the docks that did not get there within the settle time, with what they showed last.
   */
  private Map<String, String> awaitQuiet(HubAdmin admin, long healed) throws InterruptedException {
    long deadline = healed + options.settle().toNanos();
    Map<String, String> last = new HashMap<>();
    Map<String, Long> stillSince = new HashMap<>();
    Map<String, Long> quietAt = new HashMap<>();
    while (quietAt.size() < docks.size() && System.nanoTime() < deadline) {
      try {
        long head = admin.head(docks.getFirst());
        Map<String, JsonNode> fleet = admin.docks();
        for (EdgeNode dock : docks) {
          if (quietAt.containsKey(dock.name)) {
            continue;
          }
          JsonNode s = dock.status();
          long cursor = dock.pullCursor();
          long hubSeq = fleet.get(dock.name).path("lastSeq").asLong(-1);
          String seen = String.format(Locale.ROOT,
              "pendingOps=%d online=%s lastSeq=%d hubLastSeq=%d cursor=%d head=%d openConflicts=%s lastError=%s",
              s.path("pendingOps").asLong(), s.path("online").asBoolean(), s.path("lastSeq").asLong(), hubSeq, cursor,
              head, s.path("openConflicts").asText(), s.path("lastError").asText());
          boolean quiet = s.path("pendingOps").asLong() == 0 && s.path("online").asBoolean()
              && hubSeq == s.path("lastSeq").asLong() && cursor == head;
          if (!quiet || !seen.equals(last.get(dock.name))) {
            stillSince.put(dock.name, System.nanoTime());
          } else if (System.nanoTime() - stillSince.get(dock.name) >= STILL.toNanos()) {
            quietAt.put(dock.name, stillSince.get(dock.name));
          }
          last.put(dock.name, seen);
          if (!quiet) {
            stillSince.remove(dock.name);
          }
        }
      } catch (IOException | java.sql.SQLException | RuntimeException e) {
        // a process still settling: look again
      }
      Thread.sleep(250);
    }
    // DESIGN: docks converge within 5 s of the hub becoming reachable; slower is not stuck, but worth a word
    quietAt.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      double seconds = (e.getValue() - healed) / 1e9;
      say("chaos: %s quiet %.1f s after healing%s", e.getKey(), seconds, seconds > 5 ? " (slower than 5 s)" : "");
    });
    Map<String, String> stuck = new java.util.TreeMap<>();
    for (EdgeNode dock : docks) {
      if (!quietAt.containsKey(dock.name)) {
        stuck.put(dock.name, last.getOrDefault(dock.name, "(no answer)"));
      }
    }
    return stuck;
  }

  private void sleepUntil(long start, long offsetMs) throws InterruptedException {
    long wait = start + TimeUnit.MILLISECONDS.toNanos(offsetMs) - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  @FunctionalInterface
  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void awaitTrue(String what, Duration patience, Condition condition) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        if (condition.holds()) {
          return;
        }
      } catch (IOException e) {
        // not answering yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up waiting (" + patience + ") for " + what);
      }
      Thread.sleep(100);
    }
  }

  private void shutDown() {
    for (EdgeNode dock : docks) {
      try {
        dock.close();
      } catch (Exception e) {
        say("chaos: stopping %s: %s", dock.name, e);
      }
    }
    if (hub != null) {
      try {
        hub.close();
      } catch (Exception e) {
        say("chaos: stopping the hub: %s", e);
      }
    }
  }

  /** The last lines of every process's log (they stay in the data folder), for a failed run. */
  void logTails() {
    if (hub != null) {
      say("---- %s (last 30 lines)%n%s", hub.log(), Processes.tail(hub.log(), 30));
    }
    for (EdgeNode dock : docks) {
      say("---- %s (last 30 lines)%n%s", dock.log(), Processes.tail(dock.log(), 30));
    }
  }

  private void say(String format, Object... args) {
    log.println(String.format(Locale.ROOT, "%6.1f ", (System.nanoTime() - born) / 1e9) + String.format(Locale.ROOT, format, args));
    log.flush();
  }

  private static void delete(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is no failure
    }
  }
}
