package io.tracetrack.sync.sim;

import io.tracetrack.model.BagRole;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.CodeKind;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.sync.BagFacts;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.Reconciler;
import io.tracetrack.sync.WireCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * One seeded run: a hub, 2–6 docks and a network between them, driven step by step by one {@link
 * Random}. Each step picks one thing to happen (a message delivered, dropped or duplicated, a scan,
 * a push or pull started, a crash, a partition, an admin action); after it the always-true
 * invariants are checked. At the end everything heals, the docks sync until quiet, and the five
 * invariants of DESIGN.md are checked in full. Same seed, same run, to the byte.
 */
final class Simulation {

  /** Which deliberately broken parts to run with ({@code NONE, NONE} is the protocol as designed). */
  record Options(Hub.Flaw hubFlaw, Dock.Flaw dockFlaw) {
    static final Options SOUND = new Options(Hub.Flaw.NONE, Dock.Flaw.NONE);
  }

  /** The shape of one run, all drawn from its seed. */
  record Config(int docks, int lateDocks, int steps, double drop, double duplicate, double cutSnapshot,
      int batch, int pageLimit) {}

  /** What a run did, for the books of the calling test (which DESIGN cases it reached). */
  record Result(long seed, Config config, long fingerprint, Map<String, Integer> counts) {}

  static final String RERUN = "./mvnw -pl sync-protocol test -Dtest=ConvergenceSimulationTest -Dsim.seed=";
  private static final CodeGrammar GRAMMAR = CodeGrammar.defaults();
  // few codes, so docks collide often: P1-2 and P1-5 share a number but are two bags (the count is in the code)
  private static final List<String> PARENTS = List.of("P1-2", "P1-5", "P2-3", "P3-3", "P4-1", "P5-4", "P6-5", "P7-10",
      "SB00001", "SB00002");
  private static final int CHILDREN = 32;
  private static final List<String> AREAS = List.of("north", "south");
  private static final int TRACE = 60;

  private final long seed;
  private final Options options;
  private final Random rng;
  private final Config config;
  private final WireCodec wire;
  private final Hub hub;
  private final List<Dock> docks = new ArrayList<>();
  private final Set<String> joined = new HashSet<>();
  private final Map<String, Boolean> pipelines = new LinkedHashMap<>();
  private final Set<String> partitioned = new HashSet<>();
  private final List<Message> network = new ArrayList<>();
  /** Every op a station showed green for: what must never be lost (invariants 2 and 5). */
  private final Map<OpId, OpEnvelope> greens = new LinkedHashMap<>();
  private final Map<String, Integer> counts = new TreeMap<>();
  private final Deque<String> trace = new ArrayDeque<>();
  private long fingerprint = 1125899906842597L;
  private long now = 1_790_000_000_000L;
  private long calls;
  private int step;

  private Simulation(long seed, Options options) {
    this.seed = seed;
    this.options = options;
    this.rng = new Random(seed);
    int n = 2 + rng.nextInt(5);
    this.config = new Config(n, rng.nextInt(Math.min(2, n - 1) + 1), 80 + rng.nextInt(320),
        rng.nextDouble() * 0.25, rng.nextDouble() * 0.15, 0.2, 1 + rng.nextInt(6), 1 + rng.nextInt(10));
    Reconciler reconciler = new Reconciler(GRAMMAR);
    this.wire = new WireCodec();
    this.hub = new Hub(options.hubFlaw(), reconciler, wire, () -> now);
    for (int i = 1; i <= config.docks(); i++) {
      long skew = rng.nextInt(600_001) - 300_000L;
      Dock dock = new Dock("D" + i, "edge-" + i, AREAS.get(i % AREAS.size()), skew, options.dockFlaw(), reconciler, wire);
      docks.add(dock);
      pipelines.put(dock.name, rng.nextBoolean());
      hub.enrol(dock.name, dock.edgeId, dock.area);
      if (i <= config.docks() - config.lateDocks()) {
        joined.add(dock.name);
      }
    }
  }

  /** Runs one seed; throws {@link Failure} naming the seed and the last steps if an invariant breaks. */
  static Result run(long seed, Options options) {
    Simulation sim = new Simulation(seed, options);
    try {
      sim.runSteps();
      sim.quiet();
      sim.checkFinal();
    } catch (Failure f) {
      throw f;
    } catch (RuntimeException e) {
      throw sim.fail("the model threw " + e, e);
    }
    return new Result(seed, sim.config, sim.fingerprint, Map.copyOf(sim.counts));
  }

  /** An invariant broke: the message says which, how to re-run the seed, and what led there. */
  static final class Failure extends AssertionError {
    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  // ------------------------------------------------------------------ the run

  private void runSteps() {
    for (step = 1; step <= config.steps(); step++) {
      now += rng.nextInt(2000);
      hub.tick();
      oneStep();
      checkStep();
    }
  }

  private void oneStep() {
    int roll = rng.nextInt(100);
    if (roll < 32 && !network.isEmpty()) {
      deliver(network.remove(rng.nextInt(network.size())), true);
    } else if (roll < 54) {
      anyDock().ifPresent(this::randomScan);
    } else if (roll < 58) {
      pattern();
    } else if (roll < 68) {
      anyDock().ifPresent(d -> push(d, config.batch(), pipelines.get(d.name)));
    } else if (roll < 78) {
      anyDock().ifPresent(d -> pull(d, config.pageLimit()));
    } else if (roll < 80) {
      anyDock().ifPresent(d -> {
        d.timeOut();
        note(d.name + " gives up waiting (timeout)");
      });
    } else if (roll < 83) {
      anyDock().ifPresent(d -> {
        d.crash();
        count("crash.dock");
        note(d.name + " CRASHES and restarts (outbox " + d.durable.outbox.size() + ", cursor " + d.durable.cursor + ")");
      });
    } else if (roll < 84) {
      // every call in flight to or from the hub dies with it; what it committed stays
      network.clear();
      count("crash.hub");
      note("hub CRASHES: every call in flight is lost");
    } else if (roll < 88) {
      Dock d = docks.get(rng.nextInt(docks.size()));
      if (!partitioned.remove(d.name)) {
        partitioned.add(d.name);
      }
      note(d.name + (partitioned.contains(d.name) ? " is cut off" : " is reachable again"));
    } else if (roll < 90 && !network.isEmpty()) {
      Message m = network.get(rng.nextInt(network.size()));
      network.add(m);
      count("net.duplicate");
      note("network duplicates " + describe(m));
    } else if (roll < 92) {
      forgedPush();
    } else if (roll < 93) {
      if (rng.nextBoolean()) {
        finalizeSome();
      } else {
        changeUser();
      }
    } else if (roll < 97) {
      resolveOne();
    } else if (roll < 98) {
      long upTo = Math.max(0, hub.head() - rng.nextInt(8));
      hub.prune(upTo);
      count("hub.prune");
      note("hub prunes its log up to " + upTo);
    } else {
      docks.stream().filter(d -> !joined.contains(d.name)).findFirst().ifPresent(d -> {
        joined.add(d.name);
        note(d.name + " is enrolled and joins");
      });
    }
  }

  private Optional<Dock> anyDock() {
    List<Dock> in = docks.stream().filter(d -> joined.contains(d.name)).toList();
    return in.isEmpty() ? Optional.empty() : Optional.of(in.get(rng.nextInt(in.size())));
  }

  // ------------------------------------------------------------------ calls and the network

  private void push(Dock d, int batch, boolean pipeline) {
    if (!d.bootstrapped()) {
      return;
    }
    d.nextPush(batch, pipeline, now).ifPresent(body -> {
      long id = ++calls;
      d.pushesInFlight.add(id);
      send(new Message.Push(d.name, id, body));
    });
  }

  private void pull(Dock d, int limit) {
    if (d.pullInFlight != null || d.snapshotInFlight != null) {
      return;
    }
    long id = ++calls;
    if (!d.bootstrapped() || d.snapshotRequired) {
      d.snapshotInFlight = id;
      send(new Message.SnapshotCall(d.name, id));
    } else {
      d.pullInFlight = id;
      send(new Message.Pull(d.name, id, d.durable.cursor, limit));
    }
  }

  private void send(Message m) {
    network.add(m);
    note("sends " + describe(m));
  }

  /** Delivers one message; {@code faulty} lets the network drop it or cut a snapshot stream short. */
  private void deliver(Message m, boolean faulty) {
    if (partitioned.contains(m.dock()) || (faulty && rng.nextDouble() < config.drop())) {
      count("net.drop");
      note("network drops " + describe(m));
      return;
    }
    if (m.toHub()) {
      Message answer = switch (m) {
        case Message.Push p -> hub.push(p);
        case Message.Pull p -> hub.changes(p);
        case Message.SnapshotCall s -> hub.snapshot(s);
        default -> throw new IllegalStateException("not a call: " + m);
      };
      note("hub answers " + describe(answer));
      network.add(answer);
      return;
    }
    Dock d = dock(m.dock());
    switch (m) {
      case Message.PushAnswer a when d.pushesInFlight.contains(a.request()) -> {
        List<OpOutcome> outcomes = d.onPushAnswer(a.request(), a.body(), calls);
        for (OpOutcome o : outcomes) {
          count("outcome." + o.status() + (o.code() == null ? "" : "." + o.code()));
        }
        note(d.name + " takes push answer " + a.request() + ": " + outcomes.stream()
            .map(o -> o.seq() + ":" + o.status() + (o.code() == null ? "" : "/" + o.code())).toList());
      }
      case Message.PageAnswer a when Objects.equals(d.pullInFlight, a.request()) -> {
        int n = d.onPage(a.request(), a.body());
        count("pull.page");
        note(d.name + " applies " + n + " changes, cursor now " + d.durable.cursor);
      }
      case Message.SnapshotAnswer a when Objects.equals(d.snapshotInFlight, a.request()) -> {
        List<String> lines = a.lines();
        if (faulty && rng.nextDouble() < config.cutSnapshot()) {
          lines = lines.subList(0, rng.nextInt(lines.size()));
          count("snapshot.cut");
        }
        boolean loaded = d.onSnapshot(a.request(), lines);
        count(loaded ? "snapshot.loaded" : "snapshot.discarded");
        note(d.name + (loaded ? " loads a snapshot at " + d.durable.cursor : " discards a snapshot cut short"));
      }
      case Message.Refused r when r.code() == ErrorCode.SNAPSHOT_REQUIRED
          && Objects.equals(d.pullInFlight, r.request()) -> {
        d.pullInFlight = null;
        d.snapshotRequired = true;
        count("pull.snapshot-required");
        note(d.name + " is told its cursor is gone: snapshot required");
      }
      case Message.Refused r when r.code() != ErrorCode.SNAPSHOT_REQUIRED -> throw new IllegalStateException("hub refused a call of a sound dock: " + r);
      default -> {
        count("net.stale-answer");
        note(d.name + " ignores an answer it no longer waits for: " + describe(m));
      }
    }
  }

  private Dock dock(String name) {
    return docks.stream().filter(d -> d.name.equals(name)).findFirst().orElseThrow();
  }

  // ------------------------------------------------------------------ workload

  /** A scan at the station: recorded only if the view accepts it, exactly like the edge. */
  private boolean scan(Dock d, Op op) {
    if (!d.bootstrapped()) {
      return false;
    }
    Optional<OpEnvelope> made = d.scan(op, "user" + (1 + rng.nextInt(3)), now);
    made.ifPresent(env -> greens.put(env.id(), env));
    note(d.name + " scans " + op + (made.isPresent() ? " -> green " + made.get().id() : " -> red"));
    return made.isPresent();
  }

  private void randomScan(Dock d) {
    SimState view = d.view();
    int kind = rng.nextInt(100);
    if (kind < 25) {
      scan(d, createParent(PARENTS.get(rng.nextInt(PARENTS.size()))));
    } else if (kind < 70) {
      scan(d, new Op.Link(PARENTS.get(rng.nextInt(PARENTS.size())), child(rng.nextInt(CHILDREN))));
    } else if (kind < 88) {
      List<BagFacts> linked = view.bags().values().stream().filter(b -> b.parent() != null).toList();
      if (!linked.isEmpty()) {
        BagFacts c = linked.get(rng.nextInt(linked.size()));
        scan(d, new Op.Unlink(c.parent(), c.code(), Op.UnlinkReason.UNDO));
      }
    } else {
      String p = PARENTS.get(rng.nextInt(PARENTS.size()));
      view.bag(p).ifPresent(b -> scan(d, new Op.Finish(p, b.childCount())));
    }
  }

  /** The conflict cases of the DESIGN table, set up on purpose. */
  private void pattern() {
    List<Dock> in = docks.stream().filter(d -> joined.contains(d.name) && d.bootstrapped()).toList();
    if (in.size() < 2) {
      return;
    }
    Dock a = in.get(rng.nextInt(in.size()));
    Dock b = in.stream().filter(d -> d != a).toList().get(rng.nextInt(in.size() - 1));
    switch (rng.nextInt(5)) {
      case 0 -> { // the same child onto two parents at two docks cut off from each other
        count("pattern.same-child-two-parents");
        partitioned.add(a.name);
        partitioned.add(b.name);
        String c = child(rng.nextInt(CHILDREN));
        String p = PARENTS.get(rng.nextInt(PARENTS.size()));
        String q = PARENTS.get(rng.nextInt(PARENTS.size()));
        scan(a, createParent(p));
        scan(b, createParent(q));
        scan(a, new Op.Link(p, c));
        scan(b, new Op.Link(q, c));
      }
      case 1 -> { // one parent filled past its limit by two docks
        count("pattern.past-limit");
        String p = PARENTS.get(rng.nextInt(PARENTS.size()));
        for (Dock d : List.of(a, b)) {
          scan(d, createParent(p));
          for (int i = 0; i < 4; i++) {
            scan(d, new Op.Link(p, child(rng.nextInt(CHILDREN))));
          }
        }
      }
      case 2 -> { // unlink vs link: a moves the child away while b undoes the same link
        count("pattern.unlink-vs-link");
        a.view().bags().values().stream().filter(c -> c.parent() != null).findFirst().ifPresent(c -> {
          String q = PARENTS.get(rng.nextInt(PARENTS.size()));
          scan(a, new Op.Unlink(c.parent(), c.code(), Op.UnlinkReason.CORRECTION));
          scan(a, new Op.Link(q, c.code()));
          scan(b, new Op.Unlink(c.parent(), c.code(), Op.UnlinkReason.UNDO));
        });
      }
      case 3 -> { // the same parent code created at two docks (and its sibling number with another count)
        count("pattern.same-parent-two-docks");
        String p = PARENTS.get(rng.nextInt(PARENTS.size()));
        scan(a, createParent(p));
        scan(b, createParent(p));
        scan(b, createParent(p.equals("P1-2") ? "P1-5" : "P1-2"));
      }
      default -> { // a link to a parent whose bill the hub finalized, from a dock that has not heard yet
        count("pattern.link-to-finalized");
        List<String> open = hub.state.bags().values().stream()
            .filter(x -> x.role() == BagRole.PARENT && !x.onFinalizedBill()).map(BagFacts::code).toList();
        if (!open.isEmpty() && rng.nextInt(3) == 0) {
          String p = open.get(rng.nextInt(open.size()));
          hub.finalizeBill(List.of(p));
          note("admin finalizes a bill holding " + p);
          scan(a, new Op.Link(p, child(rng.nextInt(CHILDREN))));
        }
      }
    }
  }

  /** A dock pushes with its own credential but another dock's edge id: refused whole, nothing changes. */
  private void forgedPush() {
    List<Dock> in = docks.stream().filter(d -> joined.contains(d.name) && d.bootstrapped()).toList();
    if (in.size() < 2) {
      return;
    }
    Dock victim = in.get(rng.nextInt(in.size()));
    Dock liar = in.stream().filter(d -> d != victim).toList().get(rng.nextInt(in.size() - 1));
    List<OpEnvelope> ops = victim.durable.outbox.values().stream().limit(5).toList();
    if (!ops.isEmpty()) {
      String b = wire.encode(new PushBatch(victim.edgeId, victim.name, victim.durable.clock, ops.size(), null, "sim", ops));
      long head = hub.head();
      SimState before = hub.state.copy();
      long last = hub.lastSeq(victim.edgeId);
      Message answer = hub.push(new Message.Push(liar.name, ++calls, b));
      count("hostile.forged-push");
      note(liar.name + " pushes " + victim.name + "'s ops under its own credential -> " + describe(answer));
      if (!(answer instanceof Message.Refused r && r.code() == ErrorCode.FORBIDDEN)
          || hub.head() != head || !hub.state.equals(before) || hub.lastSeq(victim.edgeId) != last) {
        throw fail("a push under another dock's credential was not refused whole: " + describe(answer), null);
      }
    }
  }

  /** An admin creates a user or moves them to another area (or every area), or disables them. */
  private void changeUser() {
    String name = "user" + (1 + rng.nextInt(3));
    int a = rng.nextInt(AREAS.size() + 1);
    String area = a == AREAS.size() ? null : AREAS.get(a);
    boolean active = rng.nextInt(5) != 0;
    hub.putUser(new Change.User(name, "OPERATOR", area, active, "$argon2id$v=19$sim$" + rng.nextInt(1000)));
    count("hub.user");
    note("admin sets " + name + " to area " + area + (active ? "" : ", disabled"));
  }

  private void finalizeSome() {
    List<String> candidates = hub.state.bags().values().stream()
        .filter(b -> b.role() == BagRole.PARENT && !b.onFinalizedBill() && b.childCount() > 0)
        .map(BagFacts::code).toList();
    if (candidates.isEmpty()) {
      return;
    }
    List<String> chosen = new ArrayList<>();
    chosen.add(candidates.get(rng.nextInt(candidates.size())));
    if (candidates.size() > 1 && rng.nextBoolean()) {
      candidates.stream().filter(c -> !chosen.contains(c)).findFirst().ifPresent(chosen::add);
    }
    hub.finalizeBill(chosen);
    count("hub.finalize");
    note("admin finalizes a bill holding " + chosen);
  }

  private void resolveOne() {
    List<Long> open = hub.openConflicts();
    if (open.isEmpty()) {
      return;
    }
    long id = open.get(rng.nextInt(open.size()));
    // an admin moves a child mostly where moving makes sense; the rest probes the refusals
    boolean movable = hub.conflicts.get(id).opened().code().equals(ErrorCode.CHILD_ALREADY_LINKED.name());
    String action = (movable ? List.of("MOVE", "MOVE", "MOVE", "KEEP", "DISMISS") : List.of("MOVE", "KEEP", "DISMISS"))
        .get(rng.nextInt(movable ? 5 : 3));
    SimState before = hub.state.copy();
    switch (hub.resolve(id, action)) {
      case Hub.Resolution.Done done -> {
        count("resolve." + action);
        note("admin resolves conflict " + id + " with " + action + ": " + done.changes().size() + " changes");
      }
      case Hub.Resolution.Refused refused -> {
        count("resolve.refused." + refused.code());
        note("admin's " + action + " of conflict " + id + " is refused: " + refused.code());
        if (!hub.state.equals(before)) {
          throw fail("a refused resolution changed the hub: " + SimState.differences(before, hub.state), null);
        }
      }
    }
  }

  private static Op.CreateParent createParent(String code) {
    CodeKind.Parent kind = (CodeKind.Parent) GRAMMAR.classify(code);
    return new Op.CreateParent(code, kind.expectedCount(), kind.limit());
  }

  private static String child(int i) {
    return "C" + (100 + i);
  }

  // ------------------------------------------------------------------ heal and go quiet

  /**
   * The network heals and stops failing; every dock syncs (push all, pull to the head) round after
   * round until nothing changes. A run that cannot go quiet is a liveness failure.
   */
  private void quiet() {
    note("---- heal: no more faults, no more scans; sync until quiet");
    partitioned.clear();
    docks.forEach(d -> joined.add(d.name));
    while (!network.isEmpty()) {
      deliver(network.removeFirst(), false);
    }
    docks.forEach(Dock::timeOut);
    hub.settle();
    for (int round = 1; round <= 2000; round++) {
      step++;
      for (Dock d : docks) {
        if (!d.bootstrapped() || d.snapshotRequired || d.durable.outbox.isEmpty()) {
          pull(d, 100);
        } else {
          push(d, 50, false);
        }
      }
      while (!network.isEmpty()) {
        deliver(network.removeFirst(), false);
      }
      checkStep();
      if (docks.stream().allMatch(this::isQuiet)) {
        note("quiet after " + round + " rounds");
        return;
      }
    }
    throw fail("liveness: the docks did not go quiet after 2000 rounds of syncing", null);
  }

  private boolean isQuiet(Dock d) {
    return d.bootstrapped() && d.durable.outbox.isEmpty() && d.durable.settling.isEmpty()
        && d.lastPullCaughtUp && d.durable.cursor == hub.head();
  }

  // ------------------------------------------------------------------ invariants

  /** What must hold after every single step, on the hub and on every dock. */
  private void checkStep() {
    List<String> problems = new ArrayList<>(hub.state.shapeViolations("(1) hub"));
    if (hub.reference.size() != hub.state.bags().size()) {
      problems.add("model: the hub holds " + hub.state.bags().size() + " bags, the reference store "
          + hub.reference.size());
    }
    hub.state.bags().forEach((code, bag) -> {
      if (!hub.reference.bag(code).equals(Optional.of(bag))) {
        problems.add("model: hub " + bag + " but the reference store " + hub.reference.bag(code));
      }
    });
    for (Dock d : docks) {
      if (!d.bootstrapped()) {
        continue;
      }
      problems.addAll(d.durable.replica.shapeViolations("(1) " + d.name + " replica"));
      boolean incremental = d.viewCached();
      problems.addAll(d.view().shapeViolations("(1) " + d.name + " view"));
      if (incremental && !d.view().equals(d.rebase())) {
        problems.add("rebase: " + d.name + "'s view is not its replica with its own ops replayed: "
            + SimState.differences(d.rebase(), d.view()));
      }
    }
    hub.decisions.forEach((id, n) -> {
      if (n != 1) {
        problems.add("(2) op " + id + " was decided " + n + " times on the hub");
      }
    });
    checkFrozen(hub.state, "hub", problems);
    for (OpId id : greens.keySet()) {
      Dock d = dock(greens.get(id).dock());
      if (!hub.decisions.containsKey(id) && !d.durable.outbox.containsKey(id.seq())
          && !d.durable.settling.containsKey(id.seq())) {
        problems.add("(5) scan " + id + " was shown green, is in no outbox and never reached the hub");
      }
    }
    if (!problems.isEmpty()) {
      throw fail(String.join("\n", problems), null);
    }
  }

  /** The five invariants, once the network healed and sync went quiet. */
  private void checkFinal() {
    List<String> problems = new ArrayList<>();
    // (2) every op a dock made is on the hub exactly once, applied or as a conflict; nothing else is
    Set<String> rejectedWithConflict = new HashSet<>();
    hub.conflicts.values().forEach(c -> rejectedWithConflict.add(c.opened().edgeId() + "#" + c.opened().seq()));
    for (OpId id : greens.keySet()) {
      Integer n = hub.decisions.get(id);
      if (n == null || n != 1) {
        problems.add("(2)/(5) op " + id + " is on the hub " + (n == null ? 0 : n) + " times, not once");
      } else if (hub.verdicts.get(id) == OpOutcome.Status.REJECTED && !rejectedWithConflict.contains(id.toString())) {
        problems.add("(2) op " + id + " was refused without a conflict");
      }
    }
    hub.decisions.keySet().stream().filter(id -> !greens.containsKey(id))
        .forEach(id -> problems.add("(2) the hub holds op " + id + " that no station recorded"));
    // (3) every dock's replica and view equal the hub; its conflicts are the hub's conflicts of that dock
    for (Dock d : docks) {
      if (!d.durable.outbox.isEmpty() || !d.durable.settling.isEmpty()) {
        problems.add("(3) " + d.name + " still holds ops " + d.durable.outbox.keySet() + d.durable.settling.keySet());
      }
      if (!d.durable.replica.equals(hub.state)) {
        problems.add("(3) " + d.name + " replica differs from the hub: " + SimState.differences(hub.state, d.durable.replica));
      }
      if (!d.view().equals(hub.state)) {
        problems.add("(3) " + d.name + " view differs from the hub: " + SimState.differences(hub.state, d.view()));
      }
      if (!d.durable.conflicts.equals(hub.conflictsOf(d.name))) {
        problems.add("(3) " + d.name + " knows conflicts " + d.durable.conflicts + ", the hub " + hub.conflictsOf(d.name));
      }
      Hub.Fleet row = hub.fleet.get(d.name);
      long made = d.durable.nextSeq - 1;
      if (made > 0 && (row == null || row.lastSeq() != made || row.backlog() != 0)) {
        problems.add("fleet: " + d.name + " made " + made + " ops, all answered; the fleet view shows " + row);
      }
      if (!d.signInUsers().equals(hub.signInUsers(d.area))) {
        problems.add("(3) " + d.name + " (" + d.area + ") lets " + d.signInUsers().keySet() + " sign in, the hub "
            + hub.signInUsers(d.area).keySet());
      }
      checkFrozen(d.durable.replica, d.name, problems);
      // a dock's own scans are ordered by its clock, across crashes too
      List<OpEnvelope> own = greens.values().stream().filter(e -> e.dock().equals(d.name)).toList();
      for (int i = 1; i < own.size(); i++) {
        if (!own.get(i).hlc().isAfter(own.get(i - 1).hlc())) {
          problems.add("clock: " + own.get(i).id() + " is stamped " + own.get(i).hlc() + ", not after "
              + own.get(i - 1).hlc());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw fail(String.join("\n", problems), null);
    }
  }

  /** (4) nothing on a finalized bill changed after it was finalized. */
  private void checkFrozen(SimState state, String who, List<String> problems) {
    hub.frozen.forEach((parent, was) -> {
      Optional<BagFacts> is = state.bag(parent);
      if (!is.equals(Optional.of(was.bag())) || !state.childrenOf(parent).equals(was.children())) {
        problems.add("(4) " + parent + " changed on a finalized bill at " + who + ": was " + was + ", now " + is.orElse(null)
            + " " + state.childrenOf(parent));
      }
    });
  }

  // ------------------------------------------------------------------ books

  private void count(String what) {
    counts.merge(what, 1, Integer::sum);
  }

  private void note(String line) {
    String stamped = "step " + step + ": " + line;
    fingerprint = fingerprint * 31 + stamped.hashCode();
    trace.addLast(stamped);
    if (trace.size() > TRACE) {
      trace.removeFirst();
    }
  }

  private static String describe(Message m) {
    return switch (m) {
      case Message.Push p -> "push#" + p.request() + " of " + p.dock();
      case Message.Pull p -> "pull#" + p.request() + " of " + p.dock() + " after " + p.after() + " limit " + p.limit();
      case Message.SnapshotCall s -> "snapshot-call#" + s.request() + " of " + s.dock();
      case Message.PushAnswer a -> "push-answer#" + a.request() + " to " + a.dock();
      case Message.PageAnswer a -> "page#" + a.request() + " to " + a.dock();
      case Message.SnapshotAnswer a -> "snapshot#" + a.request() + " (" + a.lines().size() + " lines) to " + a.dock();
      case Message.Refused r -> r.code() + "#" + r.request() + " to " + r.dock();
    };
  }

  private Failure fail(String problem, Throwable cause) {
    StringBuilder text = new StringBuilder()
        .append("convergence simulation, seed ").append(seed).append(", step ").append(step).append(": ")
        .append(problem).append("\n  config: ").append(config)
        .append("\n  re-run: ").append(RERUN).append(seed)
        .append(options.equals(Options.SOUND) ? "" : "  (this run had deliberate flaws " + options
            + ": re-run it through SimulatorCanFailTest)")
        .append("\n  last steps:");
    trace.forEach(line -> text.append("\n    ").append(line));
    return new Failure(text.toString(), cause);
  }
}
