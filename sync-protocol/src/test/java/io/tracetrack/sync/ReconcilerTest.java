package io.tracetrack.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.model.BagRole;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.testing.Property;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

  private final Reconciler reconciler = new Reconciler(CodeGrammar.defaults());
  private final InMemoryState state = new InMemoryState();

  /** Decides and, when accepted, applies: what a store does in one transaction. */
  private Decision run(Op op) {
    Decision decision = reconciler.decide(op, state);
    if (decision instanceof Decision.Accepted accepted) {
      state.apply(accepted.effects());
    }
    return decision;
  }

  private static ErrorCode reason(Decision decision) {
    assertThat(decision).isInstanceOf(Decision.Rejected.class);
    return ((Decision.Rejected) decision).rejection().code();
  }

  private void parent(String code) {
    assertThat(run(createParent(code))).isInstanceOf(Decision.Accepted.class);
  }

  private static Op.CreateParent createParent(String code) {
    var kind = (io.tracetrack.model.CodeKind.Parent) CodeGrammar.defaults().classify(code);
    return new Op.CreateParent(code, kind.expectedCount(), kind.limit());
  }

  /**
   * Invariant 1 under any interleaving: ops from many docks, applied in some commit order. And a
   * finished parent holds exactly the count its finish was confirmed at: a later link is refused,
   * a later unlink reopens it, and a finish confirmed at another count is refused.
   */
  @Test
  void anyOrderOfOps_neverExceedsLimit_eachChildHasOneParent_finishedMeansConfirmedCount() {
    Property.check(200, random -> {
      InMemoryState fresh = new InMemoryState();
      List<String> parents = List.of("P1-3", "P2-10", "SB12345");
      List<Op> ops = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        String p = parents.get(random.nextInt(parents.size()));
        String c = "C" + random.nextInt(60);
        ops.add(switch (random.nextInt(10)) {
          case 0, 1 -> new Op.Unlink(p, c, Op.UnlinkReason.UNDO);
          case 2 -> new Op.Finish(p, random.nextInt(11));
          default -> new Op.Link(p, c);
        });
      }
      Collections.shuffle(ops, random);
      parents.forEach(p -> ops.addFirst(createParent(p)));
      Map<String, Integer> finishedAt = new HashMap<>();
      for (Op op : ops) {
        if (reconciler.decide(op, fresh) instanceof Decision.Accepted accepted) {
          fresh.apply(accepted.effects());
          if (op instanceof Op.Finish f && accepted.effects().contains(new Effect.MarkFinished(f.parent()))) {
            finishedAt.put(f.parent(), f.countSeen());
          }
        }
      }
      for (String p : parents) {
        BagFacts facts = fresh.bag(p).orElseThrow();
        assertThat(fresh.childrenOf(p)).hasSize(facts.childCount());
        assertThat(facts.childCount()).isLessThanOrEqualTo(facts.limit());
        if (facts.finished()) {
          assertThat(facts.childCount()).as("%s finished", p).isEqualTo(finishedAt.get(p));
        }
      }
    });
  }

  @Nested
  class CreatingParents {
    @Test
    void newParent_isCreated() {
      Decision d = run(createParent("P1001-3"));
      assertThat(d).isEqualTo(Decision.Accepted.of(new Effect.CreateBag("P1001-3", BagRole.PARENT, 3, 3)));
    }

    @Test
    void sameParentTwice_isCreateIfAbsent() {
      parent("P1001-3");
      assertThat(run(createParent("P1001-3"))).isEqualTo(Decision.Accepted.of());
    }

    @Test
    void limitThatDisagreesWithTheCode_isRefused() {
      assertThat(reason(run(new Op.CreateParent("P1-3", 3, 30)))).isEqualTo(ErrorCode.INVALID_CODE);
    }

    @Test
    void expectedCountThatDisagreesWithTheCode_isRefused_sayingSo() {
      Decision d = run(new Op.CreateParent("P1-3", null, 3));
      assertThat(reason(d)).isEqualTo(ErrorCode.INVALID_CODE);
      assertThat(((Decision.Rejected) d).rejection().message())
          .isEqualTo("P1-3 has expected count 3; the op gave no expected count");
    }

    @Test
    void limitThatDisagreesWithTheCode_namesBothLimits() {
      Decision d = run(new Op.CreateParent("P1-3", 3, 30));
      assertThat(((Decision.Rejected) d).rejection().message()).isEqualTo("P1-3 has limit 3, not 30");
    }

    @Test
    void existingParentWithAnotherExpectedCount_standsButTheDifferenceIsNoted() {
      // the same limit, but created where the grammar read no count from the code
      state.apply(new Effect.CreateBag("P1-3", BagRole.PARENT, null, 3));
      Decision d = run(createParent("P1-3"));
      assertThat(d).isInstanceOf(Decision.Accepted.class);
      Decision.Accepted accepted = (Decision.Accepted) d;
      assertThat(accepted.effects()).isEmpty();
      assertThat(accepted.note().code()).isEqualTo(ErrorCode.EXPECTED_COUNT_MISMATCH);
      assertThat(accepted.note().message())
          .isEqualTo("P1-3 exists with no expected count (limit 3); this dock saw expected count 3 (limit 3)");
    }

    @Test
    void childCodeAsParent_isRefused() {
      assertThat(reason(run(new Op.CreateParent("C1", null, 30)))).isEqualTo(ErrorCode.INVALID_CODE);
    }
  }

  @Nested
  class Linking {
    @Test
    void scanSequenceFromTheIssue_threeLinksThenComplete() {
      parent("P1001-3");
      for (String child : List.of("C1", "C2", "C3")) {
        assertThat(run(new Op.Link("P1001-3", child))).isInstanceOf(Decision.Accepted.class);
      }
      assertThat(reason(run(new Op.Link("P1001-3", "C4")))).isEqualTo(ErrorCode.PARENT_COMPLETE);
      assertThat(state.childrenOf("P1001-3")).containsExactly("C1", "C2", "C3");
      assertThat(state.bag("C4")).isEmpty();
    }

    @Test
    void firstLinkOfANewChild_createsIt() {
      parent("P1-3");
      assertThat(run(new Op.Link("P1-3", "C9"))).isEqualTo(Decision.Accepted.of(
          new Effect.CreateBag("C9", BagRole.CHILD, null, 0), new Effect.AddLink("P1-3", "C9")));
    }

    @Test
    void childOnAnotherParent_isRejectedNamingIt() {
      parent("P1-3");
      parent("P2-3");
      run(new Op.Link("P1-3", "C1"));
      Decision d = run(new Op.Link("P2-3", "C1"));
      assertThat(reason(d)).isEqualTo(ErrorCode.CHILD_ALREADY_LINKED);
      assertThat(((Decision.Rejected) d).rejection().otherBag()).isEqualTo("P1-3");
    }

    @Test
    void duplicate_unknownParent_parentCodeAsChild() {
      parent("P1-3");
      run(new Op.Link("P1-3", "C1"));
      assertThat(reason(run(new Op.Link("P1-3", "C1")))).isEqualTo(ErrorCode.DUPLICATE);
      assertThat(reason(run(new Op.Link("P7-3", "C2")))).isEqualTo(ErrorCode.UNKNOWN_PARENT);
      assertThat(reason(run(new Op.Link("P1-3", "SB12345")))).isEqualTo(ErrorCode.CODE_IS_PARENT);
      assertThat(reason(run(new Op.Link("P1-3", "X1")))).isEqualTo(ErrorCode.INVALID_CODE);
      assertThat(reason(run(new Op.Link("C1", "C2")))).isEqualTo(ErrorCode.CODE_IS_CHILD);
    }

    @Test
    void finalizedParent_refusesLinksAndUnlinks() {
      parent("P1-3");
      run(new Op.Link("P1-3", "C1"));
      state.finalizeParent("P1-3");
      assertThat(reason(run(new Op.Link("P1-3", "C2")))).isEqualTo(ErrorCode.PARENT_FINALIZED);
      assertThat(reason(run(new Op.Unlink("P1-3", "C1", Op.UnlinkReason.UNDO)))).isEqualTo(ErrorCode.PARENT_FINALIZED);
    }

    @Test
    void sbParent_stopsAt30() {
      parent("SB12345");
      for (int i = 1; i <= 30; i++) {
        assertThat(run(new Op.Link("SB12345", "C" + i))).isInstanceOf(Decision.Accepted.class);
      }
      assertThat(reason(run(new Op.Link("SB12345", "C31")))).isEqualTo(ErrorCode.PARENT_FULL);
    }
  }

  @Nested
  class Unlinking {
    @Test
    void unlinkFromExpectedParent_removesAndReopensFinished() {
      parent("P1-10");
      run(new Op.Link("P1-10", "C1"));
      run(new Op.Link("P1-10", "C2"));
      run(new Op.Finish("P1-10", 2));
      assertThat(state.bag("P1-10").orElseThrow().finished()).isTrue();
      Decision d = run(new Op.Unlink("P1-10", "C2", Op.UnlinkReason.UNDO));
      assertThat(d).isEqualTo(Decision.Accepted.of(new Effect.RemoveLink("P1-10", "C2"), new Effect.ClearFinished("P1-10")));
      assertThat(state.bag("P1-10").orElseThrow().finished()).isFalse();
      assertThat(state.bag("P1-10").orElseThrow().childCount()).isEqualTo(1);
    }

    @Test
    void completedParentDroppingBelowItsCount_reopens() {
      parent("P1-2");
      run(new Op.Link("P1-2", "C1"));
      run(new Op.Link("P1-2", "C2"));
      assertThat(state.bag("P1-2").orElseThrow().asParent().isComplete()).isTrue();
      run(new Op.Unlink("P1-2", "C2", Op.UnlinkReason.UNDO));
      assertThat(state.bag("P1-2").orElseThrow().asParent().isComplete()).isFalse();
      assertThat(run(new Op.Link("P1-2", "C3"))).isInstanceOf(Decision.Accepted.class);
    }

    @Test
    void childMovedElsewhereMeanwhile_isStale_andNamesWhereItIs() {
      parent("P1-3");
      parent("P2-3");
      run(new Op.Link("P1-3", "C1"));
      run(new Op.Unlink("P1-3", "C1", Op.UnlinkReason.CORRECTION));
      run(new Op.Link("P2-3", "C1"));
      Decision d = run(new Op.Unlink("P1-3", "C1", Op.UnlinkReason.UNDO));
      assertThat(reason(d)).isEqualTo(ErrorCode.STALE_UNLINK);
      assertThat(((Decision.Rejected) d).rejection().otherBag()).isEqualTo("P2-3");
      assertThat(state.bag("C1").orElseThrow().parent()).isEqualTo("P2-3");
    }

    @Test
    void unknownChild_isStale() {
      parent("P1-3");
      assertThat(reason(run(new Op.Unlink("P1-3", "C404", Op.UnlinkReason.UNDO)))).isEqualTo(ErrorCode.STALE_UNLINK);
    }
  }

  @Nested
  class Finishing {
    @Test
    void finishShort_marksFinished_andFurtherLinksAreRefused() {
      parent("P1-10");
      run(new Op.Link("P1-10", "C1"));
      assertThat(run(new Op.Finish("P1-10", 1))).isEqualTo(Decision.Accepted.of(new Effect.MarkFinished("P1-10")));
      assertThat(reason(run(new Op.Link("P1-10", "C2")))).isEqualTo(ErrorCode.PARENT_COMPLETE);
    }

    @Test
    void finishConfirmedAtAnotherCount_isStale_andChangesNothing() {
      parent("P1-10");
      run(new Op.Link("P1-10", "C1"));
      run(new Op.Link("P1-10", "C2")); // made at another dock after this one confirmed at 1
      Decision d = run(new Op.Finish("P1-10", 1));
      assertThat(reason(d)).isEqualTo(ErrorCode.FINISH_STALE);
      assertThat(((Decision.Rejected) d).rejection().message())
          .isEqualTo("P1-10 now has 2 children, you confirmed at 1: confirm again to finish it at 2");
      assertThat(((Decision.Rejected) d).rejection().otherBag()).isEqualTo("P1-10");
      assertThat(state.bag("P1-10").orElseThrow().finished()).isFalse();
      assertThat(run(new Op.Link("P1-10", "C3"))).isInstanceOf(Decision.Accepted.class);
    }

    @Test
    void finishConfirmedAboveTheCount_afterAnUndoElsewhere_isStale() {
      parent("P1-10");
      run(new Op.Link("P1-10", "C1"));
      run(new Op.Link("P1-10", "C2"));
      run(new Op.Unlink("P1-10", "C2", Op.UnlinkReason.UNDO));
      Decision d = run(new Op.Finish("P1-10", 2));
      assertThat(reason(d)).isEqualTo(ErrorCode.FINISH_STALE);
      assertThat(((Decision.Rejected) d).rejection().message()).startsWith("P1-10 now has 1 child, you confirmed at 2");
    }

    @Test
    void finishComplete_isANoOp_finishEmptyOrUnknown_isRefused() {
      parent("P1-1");
      run(new Op.Link("P1-1", "C1"));
      assertThat(run(new Op.Finish("P1-1", 1))).isEqualTo(Decision.Accepted.of());
      parent("P2-5");
      assertThat(reason(run(new Op.Finish("P2-5", 0)))).isEqualTo(ErrorCode.EMPTY_PARENT);
      assertThat(reason(run(new Op.Finish("P9-5", 0)))).isEqualTo(ErrorCode.UNKNOWN_PARENT);
    }
  }
}
