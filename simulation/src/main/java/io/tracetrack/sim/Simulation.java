package io.tracetrack.sim;

import io.tracetrack.edge.scan.EdgeIdentity;
import io.tracetrack.edge.scan.ScanResult;
import io.tracetrack.edge.sync.SyncOnce;
import io.tracetrack.edge.sync.SyncStore;
import io.tracetrack.hub.bill.BillService;
import io.tracetrack.hub.auth.Actor;
import io.tracetrack.hub.sync.Conflicts;
import io.tracetrack.hub.sync.Docks;
import io.tracetrack.hub.users.Outcome;
import io.tracetrack.hub.users.UserAdmin;
import io.tracetrack.sync.OpCodec;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One seed: three docks (two in NORTH, one in SOUTH) and the hub, driven through {@code steps}
 * steps chosen by the seed (scans at the stations, sync rounds, faults), then healed and synced
 * until nothing moves, with the invariants checked after every step and at quiescence. Everything
 * that varies comes from the seed's one random source and the simulated clock, and push calls run
 * on the caller's thread, so a seed replays step for step (the trace is the proof).
 */
final class Simulation implements SimNetwork.Policy {

  /** What a run may do. */
  record Config(java.util.Set<FaultKind> faults, int steps, boolean checkEveryStep) {
    static final int DEFAULT_STEPS = 30;

    static Config defaults() {
      return new Config(FaultKind.standard(), DEFAULT_STEPS, true);
    }

    boolean on(FaultKind k) {
      return faults.contains(k);
    }
  }

  /** What a seed came to. */
  record Result(long seed, int steps, Map<FaultKind, Integer> faults, List<String> violations, List<TraceLine> lines) {
    boolean failed() {
      return !violations.isEmpty();
    }

    /** The seed's steps as a person reads them (made only when asked: most seeds' traces are never read). */
    List<String> trace() {
      return lines.stream().map(TraceLine::toString).toList();
    }
  }

  /** One line of a seed's trace: the step, the simulated time, what happened. */
  record TraceLine(int step, long elapsedMs, String line) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%4d %+9.1fs %s", step, elapsedMs / 1000.0, line);
    }
  }

  private static final String VERSION = "sim";
  private static final OpCodec OPS = new OpCodec();
  /** Events the scheduler may pick as a step (network faults happen per request instead). */
  private static final List<FaultKind> EVENTS = List.of(FaultKind.CRASH, FaultKind.HUB_RESTART, FaultKind.PARTITION,
      FaultKind.RESTORE, FaultKind.PRUNE, FaultKind.CLOCK_SKEW, FaultKind.USER_MOVE, FaultKind.USER_DISABLE,
      FaultKind.REVOKE, FaultKind.FOLDER_COPY, FaultKind.RESOLVE, FaultKind.BAD_CHANGE,
      FaultKind.FINALIZE);
  private static final double NET_P = 0.04;
  /** The first docks of a seed run on databases kept open between seeds ({@link DockSlots}). */
  private static final int SLOTS = 3;

  private final long seed;
  private final Config config;
  private final SimHub hub;
  private final Path work;
  private final DockSlots slots;
  private final Random rnd;
  private final SimClock.Time time;
  private final HubEndpoint endpoint;
  private final List<SimDock> docks = new ArrayList<>();
  private final Map<SimDock, SimNetwork> nets = new HashMap<>();
  private final List<TraceLine> trace = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final Map<FaultKind, Integer> faults = new EnumMap<>(FaultKind.class);
  private final List<FaultKind> events;
  /** Parents the seed put on a finalized bill, with the children they held then. */
  private final Map<String, java.util.Set<String>> finalized = new java.util.TreeMap<>();
  /** Scans the docks answered green for: fingerprint → who, and which op. */
  private final Map<String, String> acked = new LinkedHashMap<>();
  /** Fingerprints whose ops a restore wiped before they reached the hub: losing those is the restore's doing. */
  private final Set<String> wipedByRestore = new HashSet<>();
  /** How often the hub took each op (APPLIED or REJECTED), by fingerprint. */
  private final Map<String, Integer> took = new HashMap<>();
  private final List<Delayed> delayed = new ArrayList<>();
  private SimDock pruneUnder;
  private boolean healed;
  private int step;
  private int copies;

  private record Delayed(int due, String what, Runnable delivery) {}

  private Simulation(long seed, Config config, SimHub hub, Path work, DockSlots slots) {
    this.seed = seed;
    this.config = config;
    this.hub = hub;
    this.work = work;
    this.slots = slots;
    this.rnd = new Random(seed);
    this.time = hub.time;
    this.endpoint = new HubEndpoint(() -> hub, this::took);
    this.events = EVENTS.stream().filter(config::on).toList();
  }

  /** Runs {@code seed} on {@code hub} (reset first), the docks' folders under {@code work}. */
  /** Where the time of a run goes (nanoseconds: reset, docks, steps, quiescence), for tuning. */
  static final java.util.concurrent.atomic.AtomicLongArray TIMING = new java.util.concurrent.atomic.AtomicLongArray(4);

  static Result run(long seed, Config config, SimHub hub, Path work, DockSlots slots) {
    long t0 = System.nanoTime();
    hub.reset();
    TIMING.addAndGet(0, System.nanoTime() - t0);
    Simulation sim = new Simulation(seed, config, hub, work, slots);
    try {
      sim.run();
    } catch (RuntimeException | AssertionError e) {
      sim.violations.add("step " + sim.step + ": " + e.getClass().getSimpleName() + ": " + e.getMessage() + " at "
          + where(e));
    } finally {
      for (int i = 0; i < sim.docks.size(); i++) {
        SimDock dock = sim.docks.get(i);
        if (i < SLOTS && dock.up()) {
          slots.give(i, dock.db);
        } else {
          dock.crash();
        }
      }
      deleteTree(work);
    }
    return new Result(seed, sim.step, sim.faults, List.copyOf(sim.violations), List.copyOf(sim.trace));
  }

  private static String where(Throwable e) {
    for (StackTraceElement el : e.getStackTrace()) {
      if (el.getClassName().startsWith("io.tracetrack")) {
        return el.toString();
      }
    }
    return e.getStackTrace().length > 0 ? e.getStackTrace()[0].toString() : "?";
  }

  // ------------------------------------------------------------------ the run

  private void run() {
    long started = System.nanoTime();
    boolean longNames = config.on(FaultKind.MAX_NAMES) && rnd.nextInt(3) == 0;
    if (longNames) {
      count(FaultKind.MAX_NAMES);
    }
    addDock("N1", "NORTH", "s1", "nina");
    addDock(longNames ? "N2-" + "x".repeat(61) : "N2", "NORTH", longNames ? "s" + "y".repeat(63) : "s1",
        longNames ? SimHub.LONG_USER : "nils");
    addDock("S1", "SOUTH", "s1", "sara");
    // the operator's routine backup of one dock, early in the day: a RESTORE may put it back later
    int backupAt = config.on(FaultKind.RESTORE) ? 1 + rnd.nextInt(Math.max(1, config.steps() / 3)) : -1;
    SimDock backedUp = docks.get(rnd.nextInt(docks.size()));
    long t1 = System.nanoTime();
    TIMING.addAndGet(1, t1 - started);
    for (step = 1; step <= config.steps(); step++) {
      time.advance(Duration.ofMillis(rnd.nextInt(10) == 0 ? 60_000 + rnd.nextInt(600_000) : rnd.nextInt(4000)));
      deliverDue(false);
      if (step == backupAt) {
        backUp(backedUp);
      }
      int r = rnd.nextInt(100);
      SimDock dock = docks.get(rnd.nextInt(docks.size()));
      if (SYNC.equals(dock.planned.peek())) {
        dock.planned.poll();
        sync(dock);
      } else if (!dock.planned.isEmpty() || r < 55) {
        scan(dock);
      } else if (r < 85) {
        sync(dock);
      } else if (r < 88) {
        acknowledge(dock);
      } else if (!events.isEmpty()) {
        FaultKind kind = events.get(rnd.nextInt(events.size()));
        if (kind == FaultKind.RESTORE && dock.backup == null) {
          // a restore puts back the backup an operator has, where there is one
          dock = docks.stream().filter(d -> d.backup != null).findFirst().orElse(dock);
        }
        fault(kind, dock);
      } else {
        sync(dock);
      }
      if (config.checkEveryStep()) {
        List<String> found = new ArrayList<>();
        Invariants.hub(hub.db.dsl(), found);
        checkFinalized(found);
        SimDock acted = dock;
        if (acted.up()) {
          acted.db.read(dsl -> {
            Invariants.view(acted.name, dsl, false, found);
            return null;
          });
        }
        fail(found);
      }
    }
    step = config.steps() + 1;
    long t2 = System.nanoTime();
    TIMING.addAndGet(2, t2 - t1);
    quiesce();
    TIMING.addAndGet(3, System.nanoTime() - t2);
  }

  private void fail(List<String> found) {
    for (String v : found) {
      violations.add("step " + step + ": " + v);
      trace("VIOLATION " + v);
    }
  }

  private void trace(String line) {
    trace.add(new TraceLine(step, time.elapsedMs(), line));
  }

  @Override
  public void count(FaultKind kind) {
    faults.merge(kind, 1, Integer::sum);
  }

  // ------------------------------------------------------------------ docks

  private SimDock addDock(String name, String area, String station, String actor) {
    SimDock dock = new SimDock(name, area, slots.folder(docks.size()), station, actor, time, stepEntries(docks.size()));
    String code = register(name, area);
    dock.create(slots.take(docks.size()), String.format(Locale.ROOT, "edge-%06x%02d", seed & 0xffffff, docks.size()));
    enrol(dock, code);
    docks.add(dock);
    nets.put(dock, new SimNetwork(dock, endpoint, this));
    trace("dock " + name + " (" + area + ") enrolled as " + dock.edgeId + ", pulls in steps of " + dock.stepEntries);
    return dock;
  }

  /** Entries per pull step of the dock at {@code index}: from the seed, apart from the scenario's own random stream. */
  private int stepEntries(int index) {
    int[] sizes = {1, 1, 2, 200};
    return sizes[new Random(seed * 31 + index).nextInt(sizes.length)];
  }

  private String register(String name, String area) {
    return switch (hub.docks.register(name, area, new Actor(SimHub.ADMIN, null, null))) {
      case Docks.Change.Done d -> d.code();
      case Docks.Change.Refused r -> throw new IllegalStateException("cannot register " + name + ": " + r.message());
    };
  }

  private boolean enrol(SimDock dock, String code) {
    switch (hub.docks.enroll(code, dock.edgeId, "10.0.0.1", "sim-" + step)) {
      case Docks.Enrolment.Enrolled e -> {
        dock.credential = e.credential();
        dock.revoked = false;
        EdgeIdentity.adoptHub(dock.db, SimNetwork.HUB.toString(), e.dock(), dock.clock);
        return true;
      }
      case Docks.Enrolment.Refused r -> {
        trace(dock + ": enrolment refused: " + r.code() + " " + r.message());
        return false;
      }
    }
  }

  // ------------------------------------------------------------------ steps

  private static final String[] COMMANDS = {"CMD-UNDO", "CMD-FINISH", "CMD-CANCEL"};
  /** A planned step that is a sync round, not a scan. */
  private static final String SYNC = "#sync";

  private String pickCode(SimDock dock) {
    if (!dock.planned.isEmpty()) {
      return dock.planned.poll();
    }
    String area = dock.area;
    if (config.on(FaultKind.CROSS_AREA) && rnd.nextInt(6) == 0) {
      area = area.equals("NORTH") ? "SOUTH" : "NORTH";
      count(FaultKind.CROSS_AREA);
    }
    int base = area.equals("NORTH") ? 1 : 2;
    // as at a station: a parent first, then its children, now and then UNDO, FINISH or CANCEL
    int r = rnd.nextInt(100);
    if (dock.childMode ? r < 12 : r < 75) {
      int p = rnd.nextInt(3);
      return "P" + base + "0" + p + "-" + (2 + p);
    } else if (r < 80) {
      return "C" + base + "0" + rnd.nextInt(8);
    } else if (r < 90) {
      return COMMANDS[0];
    } else if (r < 98) {
      return COMMANDS[1];
    }
    return COMMANDS[2];
  }

  private void scan(SimDock dock) {
    String code = pickCode(dock);
    ScanResult r = dock.scans.scan(dock.station, dock.actor, code);
    dock.childMode = r.mode() == ScanResult.Mode.CHILD;
    String what = r.outcome() + (r.reason() == null ? "" : " " + r.reason());
    if (r.accepted() && r.seq() != null) {
      String json = dock.db.read(dsl -> dsl.fetchSingle("select op_json from outbox where seq = ?", r.seq()).get(0, String.class));
      OpEnvelope op = OPS.decode(json);
      acked.put(op.fingerprint(), dock + " seq " + r.seq() + " " + op.op());
      what += " → op " + r.seq() + " " + op.op();
      if (op.op() instanceof io.tracetrack.sync.Op.Link link) {
        planAfterLink(dock, link);
      }
    }
    trace(dock + " scans " + code + ": " + what);
  }

  /**
   * What often follows a link on a dock floor: the same bags pass another dock of the area, which
   * links them too (both docks offline from each other), and an operator undoes a link at once.
   */
  private void planAfterLink(SimDock dock, io.tracetrack.sync.Op.Link link) {
    if (rnd.nextInt(3) == 0) {
      List<SimDock> others = docks.stream().filter(d -> d != dock && d.area.equals(dock.area) && d.up()).toList();
      if (!others.isEmpty()) {
        SimDock other = others.get(rnd.nextInt(others.size()));
        other.planned.add(link.parent());
        other.planned.add(link.child());
        other.planned.add(SYNC);
        if (rnd.nextBoolean()) {
          // the first dock sends its link, then its operator undoes it
          dock.planned.add(SYNC);
          dock.planned.add(COMMANDS[0]);
          dock.planned.add(SYNC);
        }
        return;
      }
    }
    if (rnd.nextInt(6) == 0) {
      dock.planned.add(COMMANDS[0]);
    }
  }

  private SyncOnce.Outcome sync(SimDock dock) {
    SyncOnce.Outcome o = SyncOnce.run(dock.store, nets.get(dock), dock.clock, VERSION, line -> { }, Runnable::run);
    trace(dock + " syncs: " + describe(o));
    if (dock.revoked && o instanceof SyncOnce.Outcome.Done) {
      // a revocation counts from the next request, on every instance: nothing may get through after it
      fail(List.of(dock + " synced with a credential the admin revoked: " + describe(o)));
    }
    return o;
  }

  private static String describe(SyncOnce.Outcome o) {
    return switch (o) {
      case SyncOnce.Outcome.Done d -> String.format(Locale.ROOT, "pushed %d (applied %d, dup %d, rejected %d), pulled %d, pending %d",
          d.pushed(), d.applied(), d.duplicates(), d.rejected(), d.pulled(), d.pendingOps());
      case SyncOnce.Outcome.Unreachable u -> "unreachable: " + u.why();
      case SyncOnce.Outcome.Refused r -> "refused: " + r.code() + " " + r.detail();
    };
  }

  private void acknowledge(SimDock dock) {
    List<SyncStore.LocalConflict> open = dock.store.conflicts(true, 10);
    if (open.isEmpty()) {
      sync(dock);
      return;
    }
    SyncStore.LocalConflict c = open.get(rnd.nextInt(open.size()));
    boolean done = dock.store.acknowledge(c.id(), dock.actor, dock.clock.instant());
    trace(dock + " acknowledges conflict " + c.id() + " (" + c.code() + "): " + done);
  }

  // ------------------------------------------------------------------ faults

  private void fault(FaultKind kind, SimDock dock) {
    switch (kind) {
      case CRASH -> {
        dock.crash();
        dock.open();
        trace(dock + " CRASHES and restarts");
      }
      case HUB_RESTART -> {
        hub.restart();
        trace("hub RESTARTS (new objects on the same database)");
      }
      case PARTITION -> {
        if (dock.partitionedUntil > step) {
          dock.partitionedUntil = 0;
          trace(dock + " partition HEALS");
          return;
        }
        dock.partitionedUntil = step + 1 + rnd.nextInt(config.steps());
        trace(dock + " PARTITIONED until step " + dock.partitionedUntil);
      }
      case RESTORE -> {
        if (dock.backup == null) {
          backUp(dock);
          return;
        }
        Set<String> kept = new HashSet<>();
        dock.restoreFrom(dock.backup);
        dock.backup = null;
        dock.db.read(dsl -> dsl.fetch("select op_json from outbox").getValues(0, String.class))
            .forEach(json -> kept.add(OPS.decode(json).fingerprint()));
        acked.forEach((fp, who) -> {
          if (who.startsWith(dock.name + " ") && !kept.contains(fp) && !took.containsKey(fp)) {
            wipedByRestore.add(fp);
          }
        });
        trace(dock + " RESTORED from its backup");
      }
      case PRUNE -> {
        if (hub.db.dialect() == org.jooq.SQLDialect.H2 && rnd.nextBoolean()) {
          pruneUnder = dock;
          trace("hub will prune its change log in the middle of " + dock + "'s next read");
          return;
        }
        int pruned = prune();
        trace("hub PRUNES its change log: " + pruned + " entries");
      }
      case CLOCK_SKEW -> {
        dock.offset = dock.offset.isZero() ? Duration.ofDays(rnd.nextBoolean() ? 1 : -1) : Duration.ZERO;
        trace(dock + " clock now off by " + dock.offset);
      }
      case USER_MOVE -> {
        String user = List.copyOf(SimHub.DISPATCHERS.keySet()).get(rnd.nextInt(SimHub.DISPATCHERS.size()));
        String area = hub.users.get(user).orElseThrow().area();
        String to = "NORTH".equals(area) ? "SOUTH" : "NORTH";
        Outcome<?> o = hub.users.edit(user, new UserAdmin.Edit(Optional.of(to), Optional.empty()), SimHub.admin());
        trace("admin MOVES " + user + " from " + area + " to " + to + ": " + brief(o));
      }
      case USER_DISABLE -> {
        String user = List.copyOf(SimHub.DISPATCHERS.keySet()).get(rnd.nextInt(SimHub.DISPATCHERS.size()));
        boolean disabled = hub.users.get(user).orElseThrow().disabled();
        Outcome<?> o = hub.users.edit(user, new UserAdmin.Edit(Optional.empty(), Optional.of(!disabled)), SimHub.admin());
        trace("admin " + (disabled ? "ENABLES " : "DISABLES ") + user + ": " + brief(o));
      }
      case REVOKE -> {
        if (!dock.revoked) {
          hub.docks.revoke(dock.name, new Actor(SimHub.ADMIN, null, null));
          dock.revoked = true;
          trace("admin REVOKES " + dock);
        } else {
          reEnrol(dock);
        }
      }
      case FOLDER_COPY -> folderCopy(dock);
      case RESOLVE -> resolve();
      case FINALIZE -> finalizeBill();
      case BAD_CHANGE -> {
        long at = badChange();
        trace("an UNREADABLE change is written to the hub's change log at " + at);
      }
      default -> throw new IllegalStateException(kind + " is not an event");
    }
    count(kind);
  }

  private void backUp(SimDock dock) {
    dock.backup = work.resolve("backup-" + docks.indexOf(dock) + ".db");
    dock.copyFileTo(dock.backup);
    trace(dock + " backup taken");
  }

  private static String brief(Outcome<?> o) {
    return o instanceof Outcome.Refused<?> r ? "refused " + r.code() : "done";
  }

  private void reEnrol(SimDock dock) {
    String code = switch (hub.docks.issueCode(dock.name, new Actor(SimHub.ADMIN, null, null))) {
      case Docks.Change.Done d -> d.code();
      case Docks.Change.Refused r -> throw new IllegalStateException("no code for " + dock + ": " + r.message());
    };
    boolean ok = enrol(dock, code);
    trace(dock + " ENROLLED again with a new code: " + ok);
  }

  private int prune() {
    OffsetDateTime before = OffsetDateTime.ofInstant(time.now(), ZoneOffset.UTC).minusSeconds(rnd.nextInt(120));
    return hub.log.prune(before);
  }

  private void folderCopy(SimDock from) {
    if (copies > 0 || docks.size() >= 5) {
      trace("(no second folder copy)");
      return;
    }
    copies++;
    String name = from.name.length() > 58 ? "COPY-" + docks.size() : from.name + "-COPY";
    SimDock copy = new SimDock(name, from.area, work.resolve("dock" + docks.size()), from.station, from.actor, time,
        stepEntries(docks.size()));
    from.copyFileTo(copy.file());
    copy.open();
    String code = register(name, from.area);
    if (EdgeIdentity.canAdopt(copy.db, name) instanceof EdgeIdentity.Adoption.OtherDock other) {
      trace(from + "'s folder COPIED for " + name + ": the edge refuses to take the name (" + other.ops()
          + " ops as " + other.storedDock() + "); not started");
      copy.crash();
      return;
    }
    if (!enrol(copy, code)) {
      trace(from + "'s folder COPIED for " + name + ": the hub refused the enrolment; not started");
      copy.crash();
      return;
    }
    docks.add(copy);
    nets.put(copy, new SimNetwork(copy, endpoint, this));
    trace(from + "'s data folder COPIED to set up " + name + " (edge id " + copy.edgeId + ")");
  }

  private void resolve() {
 // what the admin's conflicts page lists as open
    List<Long> open = hub.db.dsl().fetch("select id from sync_conflict where status = 'OPEN' order by id").getValues(0, Long.class);
    if (open.isEmpty()) {
      trace("admin finds no open conflict");
      return;
    }
    long id = open.get(rnd.nextInt(open.size()));
    Conflicts.Action action = Conflicts.Action.values()[rnd.nextInt(3)];
    Conflicts.Resolution r = hub.conflicts.resolve(id, action, SimHub.admin());
    trace("admin " + action + " on conflict " + id + ": " + (r instanceof Conflicts.Resolution.Refused f ? "refused "
        + f.code() : "done"));
  }

  /**
   * A biller bills one parent and finalizes the bill (short, as the rules allow a biller to): what the
   * parent holds then is frozen (invariant 4), checked after every step and at the end.
   */
  private void finalizeBill() {
    List<String> parents = hub.db.dsl().fetch("select code from bag where role = 'PARENT'"
        + " and code not in (select parent_code from bill_parent) order by code").getValues(0, String.class);
    if (parents.isEmpty()) {
      trace("biller finds no parent to bill");
      return;
    }
    String parent = parents.get(rnd.nextInt(parents.size()));
    String id = String.format(java.util.Locale.ROOT, "SIMBILL%04d", finalized.size() + 1);
    io.tracetrack.hub.auth.Caller biller = SimHub.admin();
    BillService.Outcome o = hub.bills.create(id, "Destination", "VAN-1", 1, biller);
    if (o instanceof BillService.Outcome.Done) {
      o = hub.bills.addParent(id, parent, biller, false, "simulation: any parent, ready or not");
    }
    if (o instanceof BillService.Outcome.Done) {
      o = hub.bills.finalize(id, true, biller);
    }
    if (o instanceof BillService.Outcome.Done) {
      finalized.put(parent, childrenAtHub(parent));
      trace("biller FINALIZES bill " + id + " holding " + parent + " with " + finalized.get(parent));
    } else {
      trace("biller could not finalize " + id + " with " + parent + ": " + o);
    }
  }

  private java.util.Set<String> childrenAtHub(String parent) {
    return new java.util.TreeSet<>(hub.db.dsl().fetch("select code from bag where parent_code = ?", parent)
        .getValues(0, String.class));
  }

  /** Invariant 4: what a parent held when its bill was finalized it holds still. */
  private void checkFinalized(List<String> found) {
    finalized.forEach((parent, children) -> {
      java.util.Set<String> now = childrenAtHub(parent);
      if (!now.equals(children)) {
        found.add("hub: " + parent + " is on a finalized bill, yet its children went from " + children + " to " + now);
      }
    });
  }

  /** A change-log row no dock can read, put there as a broken writer or a bad migration would, under the head. */
  private long badChange() {
    return hub.db.transaction(tx -> {
      tx.execute("update change_log_head set last_seq = last_seq + 1 where id = 1");
      long at = tx.fetchSingle("select last_seq from change_log_head where id = 1").get(0, Long.class);
      tx.execute("insert into change_log (seq, type, entity_key, payload, at, origin, audience_area, audience_dock)"
          + " values (?, 'bag.v1', 'P999-2', '{\"code\":', cast(? as timestamp with time zone), 'sim', null, null)", at,
          OffsetDateTime.ofInstant(time.now(), ZoneOffset.UTC));
      return at;
    });
  }

  // ------------------------------------------------------------------ the network

  @Override
  public boolean cutOff(SimDock dock) {
    return !healed && dock.partitionedUntil > step;
  }

  @Override
  public SimNetwork.Fate fate(SimDock dock, String call) {
    if (healed) {
      return SimNetwork.Fate.DELIVER;
    }
    double r = rnd.nextDouble();
    if (config.on(FaultKind.DROP) && (r -= NET_P) < 0) {
      return SimNetwork.Fate.DROP_REQUEST;
    }
    if (config.on(FaultKind.DROP) && (r -= NET_P) < 0) {
      return SimNetwork.Fate.DROP_REPLY;
    }
    if (config.on(FaultKind.DUPLICATE) && (r -= NET_P) < 0) {
      return SimNetwork.Fate.DUPLICATE;
    }
    if (config.on(FaultKind.DELAY) && (r -= NET_P) < 0) {
      return SimNetwork.Fate.DELAY;
    }
    return SimNetwork.Fate.DELIVER;
  }

  @Override
  public void later(SimDock dock, String call, Runnable delivery) {
    if ("changes".equals(call) || "snapshot".equals(call)) {
      return; // a late read changes nothing at the hub, and its answer goes nowhere
    }
    int due = step + 1 + rnd.nextInt(6);
    delayed.add(new Delayed(due, dock + " " + call, delivery));
    trace("  network holds a " + call + " of " + dock + " until step " + due);
  }

  private void deliverDue(boolean all) {
    List<Delayed> due = delayed.stream().filter(d -> all || d.due() <= step).sorted(Comparator.comparingInt(Delayed::due)).toList();
    delayed.removeAll(due);
    for (Delayed d : due) {
      trace("  network delivers a held " + d.what());
      d.delivery().run();
    }
  }

  @Override
  public Runnable pruneUnderReader(SimDock dock) {
    if (dock != pruneUnder || healed) {
      return null;
    }
    pruneUnder = null;
    return () -> trace("  hub PRUNES its change log during " + dock + "'s read: " + prune() + " entries");
  }

  @Override
  public void hubFailed(SimDock dock, String call, RuntimeException e) {
    trace("  hub FAILED on " + dock + "'s " + call + " (HTTP 500): " + e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  private void took(String edgeId, long seq, String fingerprint, OpOutcome outcome) {
    took.merge(fingerprint, 1, Integer::sum);
  }

  // ------------------------------------------------------------------ quiescence

  private void quiesce() {
    healed = true;
    trace("HEAL: partitions end, the network delivers what it held and loses nothing more");
    deliverDue(true);
    for (SimDock dock : docks) {
      if (dock.revoked) {
        reEnrol(dock);
      }
    }
    Map<SimDock, SyncOnce.Outcome> last = new LinkedHashMap<>();
    for (int pass = 1; pass <= 8; pass++) {
      boolean moved = false;
      for (SimDock dock : docks) {
        SyncOnce.Outcome o = sync(dock);
        last.put(dock, o);
        if (o instanceof SyncOnce.Outcome.Done d && (d.pushed() > 0 || d.pulled() > 0)) {
          moved = true;
        }
      }
      if (!moved) {
        break;
      }
    }
    List<String> found = new ArrayList<>();
    Invariants.hub(hub.db.dsl(), found);
    checkFinalized(found);
    Map<String, Invariants.Row> hubBags = Invariants.hubBags(hub.db.dsl());
    for (SimDock dock : docks) {
      SyncOnce.Outcome o = last.get(dock);
      if (!(o instanceof SyncOnce.Outcome.Done)) {
        found.add(dock + " cannot sync after the heal: " + describe(o));
      }
      SyncStore.SyncStatus status = dock.store.status(dock.clock.instant());
      if (status.pendingOps() > 0) {
        found.add(dock + " still has " + status.pendingOps() + " pending ops after the heal");
      }
      dock.db.read(dsl -> {
        Invariants.replicaEqualsHub(dock.name, hubBags, dsl, found);
        Invariants.view(dock.name, dsl, true, found);
        Invariants.users(dock.name, dock.area, hub.db.dsl(), dsl, found);
        return null;
      });
    }
    acked.forEach((fp, who) -> {
      int n = took.getOrDefault(fp, 0);
      if (n == 0 && !wipedByRestore.contains(fp)) {
        found.add("lost: " + who + " was acknowledged at the dock, and the hub never applied it nor recorded a conflict");
      } else if (n > 1) {
        found.add("applied " + n + " times: " + who);
      }
    });
    fail(found);
  }

  // ------------------------------------------------------------------ files

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
