package io.tracetrack.sync;

import io.tracetrack.model.BagRole;
import io.tracetrack.model.ChildFacts;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.CodeKind;
import io.tracetrack.model.FinishDecision;
import io.tracetrack.model.FinishRules;
import io.tracetrack.model.LinkRules;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Rejection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides an op against a state: the one place the scan rules meet stored facts. The edge runs it
 * before answering a scan; the hub runs it again, in its own commit order, when the op arrives.
 * It trusts nothing in the op: codes are re-classified with the deployment's grammar, so a dock
 * with a bad build or a hostile client cannot create a bag the grammar forbids.
 */
public final class Reconciler {

  private final CodeGrammar grammar;

  public Reconciler(CodeGrammar grammar) {
    this.grammar = Objects.requireNonNull(grammar, "grammar");
  }

  public Decision decide(Op op, StateView state) {
    return switch (op) {
      case Op.CreateParent create -> createParent(create, state);
      case Op.Link link -> link(link, state);
      case Op.Unlink unlink -> unlink(unlink, state);
      case Op.Finish finish -> finish(finish, state);
    };
  }

  private Decision createParent(Op.CreateParent op, StateView state) {
    if (!(grammar.classify(op.parent()) instanceof CodeKind.Parent kind)) {
      return notA("parent", op.parent());
    }
    if (kind.limit() != op.limit()) {
      return rejected(ErrorCode.INVALID_CODE,
          op.parent() + " has limit " + kind.limit() + ", not " + op.limit(), null);
    }
    if (!Objects.equals(kind.expectedCount(), op.expectedCount())) {
      return rejected(ErrorCode.INVALID_CODE, op.parent() + " has " + countText(kind.expectedCount())
          + "; the op gave " + countText(op.expectedCount()), null);
    }
    Optional<BagFacts> existing = state.bag(op.parent());
    if (existing.isEmpty()) {
      return Decision.Accepted.of(
          new Effect.CreateBag(op.parent(), BagRole.PARENT, kind.expectedCount(), kind.limit()));
    }
    BagFacts bag = existing.get();
    Optional<Rejection> roleProblem = LinkRules.checkParentRole(op.parent(), bag.role());
    if (roleProblem.isPresent()) {
      return new Decision.Rejected(roleProblem.get());
    }
    if (bag.limit() != kind.limit() || !Objects.equals(bag.expectedCount(), kind.expectedCount())) {
      // create-if-absent: the first creation stands, the difference is recorded, never silent
      return new Decision.Accepted(List.of(), Rejection.of(ErrorCode.EXPECTED_COUNT_MISMATCH,
          op.parent() + " exists with " + countText(bag.expectedCount()) + " (limit " + bag.limit() + "); this dock saw "
              + countText(kind.expectedCount()) + " (limit " + kind.limit() + ")", op.parent()));
    }
    return Decision.Accepted.of();
  }

  private Decision link(Op.Link op, StateView state) {
    CodeKind childKind = grammar.classify(op.child());
    if (childKind instanceof CodeKind.Parent) {
      return rejected(ErrorCode.CODE_IS_PARENT, op.child() + " is a parent bag and cannot be a child", null);
    }
    if (!(childKind instanceof CodeKind.Child)) {
      return notA("child", op.child());
    }
    Optional<BagFacts> parent = state.bag(op.parent());
    if (parent.isEmpty()) {
      return rejected(ErrorCode.UNKNOWN_PARENT, op.parent() + " does not exist", op.parent());
    }
    if (parent.get().role() != BagRole.PARENT) {
      return rejected(ErrorCode.CODE_IS_CHILD, op.parent() + " is a child bag and cannot be a parent", null);
    }
    Optional<BagFacts> child = state.bag(op.child());
    ChildFacts childFacts = child.map(BagFacts::asChild).orElseGet(() -> ChildFacts.unseen(op.child()));
    Optional<Rejection> problem = LinkRules.check(parent.get().asParent(), childFacts);
    if (problem.isPresent()) {
      return new Decision.Rejected(problem.get());
    }
    List<Effect> effects = new ArrayList<>(2);
    if (child.isEmpty()) {
      effects.add(new Effect.CreateBag(op.child(), BagRole.CHILD, null, 0));
    }
    effects.add(new Effect.AddLink(op.parent(), op.child()));
    return new Decision.Accepted(effects, null);
  }

  private Decision unlink(Op.Unlink op, StateView state) {
    Optional<BagFacts> child = state.bag(op.child());
    String actual = child.map(BagFacts::parent).orElse(null);
    if (!op.parent().equals(actual)) {
      String where = actual == null ? "on no parent" : "on " + actual;
      return rejected(ErrorCode.STALE_UNLINK,
          op.child() + " is " + where + ", not on " + op.parent() + "; nothing was removed", actual);
    }
    BagFacts parent = state.bag(op.parent()).orElseThrow(
        () -> new IllegalStateException("store holds a link to a missing parent " + op.parent()));
    if (parent.onFinalizedBill()) {
      return rejected(ErrorCode.PARENT_FINALIZED, op.parent() + " is on a finalized bill; it cannot change", null);
    }
    List<Effect> effects = new ArrayList<>(2);
    effects.add(new Effect.RemoveLink(op.parent(), op.child()));
    if (parent.finished()) {
      effects.add(new Effect.ClearFinished(op.parent()));
    }
    return new Decision.Accepted(effects, null);
  }

  private Decision finish(Op.Finish op, StateView state) {
    Optional<BagFacts> parent = state.bag(op.parent());
    if (parent.isEmpty() || parent.get().role() != BagRole.PARENT) {
      return rejected(ErrorCode.UNKNOWN_PARENT, op.parent() + " is not a known parent", op.parent());
    }
    // the op exists only once a person confirmed, so it is decided as confirmed
    int count = parent.get().childCount();
    return switch (FinishRules.decide(parent.get().asParent(), true)) {
      // a finish records "done at this many children": done at a count nobody confirmed would be
      // a silent difference, so a count that moved since the confirmation is refused, not applied
      case FinishDecision.Finish f when count != op.countSeen() -> rejected(ErrorCode.FINISH_STALE,
          op.parent() + " now has " + count + " " + (count == 1 ? "child" : "children") + ", you confirmed at "
              + op.countSeen() + ": confirm again to finish it at " + count, op.parent());
      case FinishDecision.Finish f -> Decision.Accepted.of(new Effect.MarkFinished(op.parent()));
      case FinishDecision.AlreadyComplete c -> Decision.Accepted.of();
      case FinishDecision.NeedsConfirmation n -> new Decision.Rejected(n.rejection());
      case FinishDecision.Refused r -> new Decision.Rejected(r.rejection());
    };
  }

  private static String countText(Integer expectedCount) {
    return expectedCount == null ? "no expected count" : "expected count " + expectedCount;
  }

  private Decision notA(String role, String code) {
    return rejected(ErrorCode.INVALID_CODE, code + " is not a " + role + " code", null);
  }

  private static Decision rejected(ErrorCode code, String message, String otherBag) {
    return new Decision.Rejected(Rejection.of(code, message, otherBag));
  }
}
