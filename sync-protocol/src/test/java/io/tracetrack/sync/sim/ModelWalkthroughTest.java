package io.tracetrack.sync.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.Reconciler;
import io.tracetrack.sync.WireCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The model's parts driven by hand through the first rows of the DESIGN conflict table, with no
 * randomness: the place to start reading, and a check that the model does what the random runs
 * assume.
 */
class ModelWalkthroughTest {

  private final Reconciler reconciler = new Reconciler(CodeGrammar.defaults());
  private final WireCodec wire = new WireCodec();
  private long now = 1_790_000_000_000L;
  private long calls;
  private final Hub hub = new Hub(Hub.Flaw.NONE, reconciler, wire, () -> now);
  private final Dock a = new Dock("A", "edge-a", "north", 0, Dock.Flaw.NONE, reconciler, wire);
  private final Dock b = new Dock("B", "edge-b", "south", 0, Dock.Flaw.NONE, reconciler, wire);

  @BeforeEach
  void enrolBoth() {
    hub.enrol("A", "edge-a", "north");
    hub.enrol("B", "edge-b", "south");
    bootstrap(a);
    bootstrap(b);
  }

  @Test
  void sameChildIntoTwoParents_whileCutOff_firstPushWins_otherIsAConflictOnItsDock_moveFixesItEverywhere() {
    scan(a, new Op.CreateParent("P1-3", 3, 3));
    scan(a, new Op.Link("P1-3", "C1"));
    scan(b, new Op.CreateParent("P2-3", 3, 3));
    scan(b, new Op.Link("P2-3", "C1"));

    assertThat(push(a)).extracting(OpOutcome::status).containsOnly(OpOutcome.Status.APPLIED);
    List<OpOutcome> fromB = push(b);
    assertThat(fromB.get(1).status()).isEqualTo(OpOutcome.Status.REJECTED);
    assertThat(fromB.get(1).code()).isEqualTo("CHILD_ALREADY_LINKED");
    pullAll(a);
    pullAll(b);

    assertThat(a.view()).isEqualTo(hub.state);
    assertThat(b.view()).as("the refused link dropped out of B's view").isEqualTo(hub.state);
    assertThat(b.durable.conflicts).containsExactly(Map.entry(fromB.get(1).conflictId(), "OPEN"));
    assertThat(a.durable.conflicts).isEmpty();

    assertThat(hub.resolve(fromB.get(1).conflictId(), "MOVE")).isInstanceOf(Hub.Resolution.Done.class);
    pullAll(a);
    pullAll(b);
    assertThat(hub.state.bag("C1").orElseThrow().parent()).isEqualTo("P2-3");
    assertThat(a.view()).isEqualTo(hub.state);
    assertThat(b.view()).isEqualTo(hub.state);
    assertThat(b.durable.conflicts).containsExactly(Map.entry(fromB.get(1).conflictId(), "MOVE"));
  }

  @Test
  void aPushAnswerLost_afterTheHubCommitted_theResentOpsAreDuplicates_andTheScanStaysInTheView() {
    scan(a, new Op.CreateParent("P1-3", 3, 3));
    scan(a, new Op.Link("P1-3", "C1"));
    String body = a.nextPush(10, false, now).orElseThrow();
    hub.push(new Message.Push("A", ++calls, body)); // committed; the answer never arrives
    a.timeOut();

    List<OpOutcome> again = push(a);
    assertThat(again).extracting(OpOutcome::status).containsOnly(OpOutcome.Status.DUPLICATE);
    assertThat(hub.decisions.values()).containsOnly(1);
    assertThat(a.view().bag("C1").orElseThrow().parent())
        .as("answered but not yet pulled: still shown").isEqualTo("P1-3");
    pullAll(a);
    assertThat(a.durable.settling).isEmpty();
    assertThat(a.durable.replica).isEqualTo(hub.state);
  }

  @Test
  void aCursorTheHubPruned_getsASnapshot_neverASilentGap() {
    scan(a, new Op.CreateParent("P1-3", 3, 3));
    push(a);
    hub.prune(hub.head());
    scan(a, new Op.Link("P1-3", "C1"));
    push(a);
    Message answer = hub.changes(new Message.Pull("B", ++calls, b.durable.cursor, 10));
    assertThat(answer).isEqualTo(new Message.Refused("B", calls, ErrorCode.SNAPSHOT_REQUIRED));
    bootstrap(b);
    assertThat(b.durable.replica).isEqualTo(hub.state);
    assertThat(b.durable.cursor).isEqualTo(hub.head());
  }

  @Test
  void aUserMovedToAnotherArea_canNoLongerSignInAtTheOldAreasDock() {
    hub.putUser(new Change.User("ana", "OPERATOR", "north", true, "$argon2id$x"));
    pullAll(a);
    pullAll(b);
    assertThat(a.signInUsers()).containsOnlyKeys("ana");
    assertThat(b.signInUsers()).isEmpty();

    hub.putUser(new Change.User("ana", "OPERATOR", "south", true, "$argon2id$x"));
    pullAll(a);
    pullAll(b);
    assertThat(a.signInUsers()).as("north heard she left").isEmpty();
    assertThat(b.signInUsers()).containsOnlyKeys("ana");
  }

  // ---------------------------------------------------------------- a reliable network, by hand

  private void scan(Dock dock, Op op) {
    assertThat(dock.scan(op, "ana", now += 1000)).as("%s accepted at %s", op, dock.name).isPresent();
  }

  private List<OpOutcome> push(Dock dock) {
    String body = dock.nextPush(50, false, now).orElseThrow();
    long id = ++calls;
    dock.pushesInFlight.add(id);
    Message answer = hub.push(new Message.Push(dock.name, id, body));
    return dock.onPushAnswer(id, ((Message.PushAnswer) answer).body(), calls);
  }

  private void pullAll(Dock dock) {
    do {
      long id = ++calls;
      dock.pullInFlight = id;
      dock.onPage(id, ((Message.PageAnswer) hub.changes(new Message.Pull(dock.name, id, dock.durable.cursor, 2))).body());
    } while (!dock.lastPullCaughtUp);
  }

  private void bootstrap(Dock dock) {
    long id = ++calls;
    dock.snapshotInFlight = id;
    assertThat(dock.onSnapshot(id, ((Message.SnapshotAnswer) hub.snapshot(new Message.SnapshotCall(dock.name, id))).lines()))
        .isTrue();
  }
}
