/**
 * The convergence simulator: the whole sync protocol of DESIGN.md run thousands of times, each run
 * from one seed, checked against the five invariants. It is a proof tool, not a product part, so it
 * lives in test scope.
 *
 * <h2>The model in five parts</h2>
 *
 * <ul>
 *   <li>{@link io.tracetrack.sync.sim.Hub} — the hub of the HTTP contract. Every call is one
 *       transaction: {@code push} decides each op with the real {@link io.tracetrack.sync.Reconciler}
 *       in the order it arrives, exactly once by {@code (edgeId, seq)} (DUPLICATE below the edge's
 *       last seq, HELD after a gap), opens a conflict for every refusal, and appends the
 *       {@link io.tracetrack.sync.Change} records to one change log whose positions are commit
 *       order; {@code changes} pages that log per dock (410 below the pruned part); {@code
 *       snapshot} streams every bag and the dock's conflicts at one cursor. An admin finalizes
 *       bills, resolves conflicts (MOVE goes through the Reconciler), creates and moves users
 *       between areas, and prunes the log. Its bags
 *       are mirrored into the real {@link io.tracetrack.sync.InMemoryState} and compared every step.
 *   <li>{@link io.tracetrack.sync.sim.Dock} — an edge. {@code Durable} is its SQLite file (outbox,
 *       replica, cursor, conflicts, clock), changed only in whole steps; the rest (calls in flight,
 *       the cached view) is lost in a crash. The station's view is the replica with the dock's own
 *       unanswered (and answered-but-not-yet-pulled) ops replayed through the Reconciler; a scan is
 *       decided against that view and recorded only if accepted — the green light.
 *   <li>{@link io.tracetrack.sync.sim.Message} — the calls and answers on the wire, as the exact
 *       JSON text of {@link io.tracetrack.sync.WireCodec} (ops inside by {@link
 *       io.tracetrack.sync.OpCodec}), so every message is encoded and decoded on its way.
 *   <li>{@link io.tracetrack.sync.sim.Simulation} — one run. A {@link java.util.Random} from the
 *       seed draws the shape (2–6 docks, some enrolled late; drop, duplicate and cut-snapshot
 *       rates; batch and page sizes; pipelined pushes; clock skews) and then, step by step, one
 *       event: deliver a random message in flight (so messages are reordered and delayed), drop or
 *       duplicate one, a scan, a DESIGN conflict pattern on purpose, a push or pull started, a
 *       timeout, a dock or hub crash, a partition cut or healed, a forged push, an admin action.
 *       Then it heals the network, syncs every dock until quiet, and checks.
 *   <li>The invariants: after every step (1) no child on two parents, no parent over its limit, on
 *       the hub, every replica and every view; the view equals a rebase from durable state; no op
 *       decided twice; nothing on a finalized bill changed; (5) every green scan is in an outbox or
 *       on the hub. After quiet: (2) every green op was decided on the hub exactly once, a refused
 *       one with a conflict, and the hub holds no op nobody scanned; (3) every dock's replica and
 *       view equal the hub, nothing pending, its conflicts the hub's conflicts of that dock, the
 *       users who may sign in there the hub's active users of its area (users move between
 *       areas: the old area hears of the move, as an inactive user.v1), and the fleet view shows
 *       each dock's last seq and no backlog; (4)
 *       finalized parents unchanged everywhere; each dock's ops stamped in increasing HLC order.
 * </ul>
 *
 * <h2>What is not modelled</h2>
 * Bill membership entries, the long poll (a pull answers at once), the
 * conflict acknowledgement call, the fleet view's clock offset and version, and crashes inside a transaction (a step is
 * atomic; the real stores prove their own atomicity with SIGKILL tests).
 *
 * <h2>Running it</h2>
 * Start reading at {@code ModelWalkthroughTest}: the same parts driven by hand through DESIGN
 * cases, no randomness. {@code ConvergenceSimulationTest} runs 2000 seeds ({@code -Dsim.runs=N}, {@code -Dsim.from=F});
 * a failure prints the seed, the invariant, the run's shape, the last 60 steps and the command that
 * replays just that seed ({@code -Dsim.seed=S}). {@code SimulatorCanFailTest} runs deliberately
 * broken variants ({@link io.tracetrack.sync.sim.Hub.Flaw}, {@link
 * io.tracetrack.sync.sim.Dock.Flaw}) and expects each to be caught within a few seeds.
 */
package io.tracetrack.sync.sim;
