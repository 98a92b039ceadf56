package io.tracetrack.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import io.tracetrack.testing.Gen;
import io.tracetrack.testing.Property;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RulesTest {

  private static ParentFacts parent(String code, int limit, int count) {
    return new ParentFacts(code, limit, count, false, false);
  }

  private static ErrorCode linkReason(ParentFacts parent, ChildFacts child) {
    return LinkRules.check(parent, child).map(Rejection::code).orElse(null);
  }

  @Nested
  class Linking {
    @Test
    void newChildOnOpenParent_isAllowed() {
      assertThat(LinkRules.check(parent("P1-3", 3, 0), ChildFacts.unseen("C1"))).isEmpty();
    }

    @Test
    void childEqualsParent_isRejected() {
      assertThat(linkReason(parent("P1-3", 3, 0), ChildFacts.unseen("P1-3"))).isEqualTo(ErrorCode.CHILD_EQUALS_PARENT);
    }

    @Test
    void codeKnownAsParent_cannotBeAChild() {
      assertThat(linkReason(parent("P1-3", 3, 0), new ChildFacts("SB12345", BagRole.PARENT, null)))
          .isEqualTo(ErrorCode.CODE_IS_PARENT);
    }

    @Test
    void childAlreadyOnThisParent_isDuplicate() {
      Rejection r = LinkRules.check(parent("P1-3", 3, 1), new ChildFacts("C1", BagRole.CHILD, "P1-3")).orElseThrow();
      assertThat(r.code()).isEqualTo(ErrorCode.DUPLICATE);
      assertThat(r.message()).contains("C1").contains("P1-3");
    }

    @Test
    void childOnAnotherParent_namesThatParent() {
      Rejection r = LinkRules.check(parent("P1-3", 3, 1), new ChildFacts("C1", BagRole.CHILD, "P2-5")).orElseThrow();
      assertThat(r.code()).isEqualTo(ErrorCode.CHILD_ALREADY_LINKED);
      assertThat(r.otherBag()).isEqualTo("P2-5");
      assertThat(r.message()).contains("P2-5");
    }

    @Test
    void parentAtItsCount_isComplete() {
      Rejection r = LinkRules.check(parent("P1001-3", 3, 3), ChildFacts.unseen("C4")).orElseThrow();
      assertThat(r.code()).isEqualTo(ErrorCode.PARENT_COMPLETE);
      assertThat(r.message()).contains("P1001-3").contains("3 of 3");
    }

    @Test
    void parentAt30_isFull() {
      assertThat(linkReason(parent("SB12345", 30, 30), ChildFacts.unseen("C31"))).isEqualTo(ErrorCode.PARENT_FULL);
      assertThat(linkReason(parent("P9-30", 30, 30), ChildFacts.unseen("C31"))).isEqualTo(ErrorCode.PARENT_FULL);
    }

    @Test
    void finishedShort_isComplete() {
      Rejection r = LinkRules.check(new ParentFacts("P1-10", 10, 7, true, false), ChildFacts.unseen("C8")).orElseThrow();
      assertThat(r.code()).isEqualTo(ErrorCode.PARENT_COMPLETE);
      assertThat(r.message()).contains("finished at 7 of 10");
    }

    @Test
    void parentOnFinalizedBill_refusesEverything() {
      assertThat(linkReason(new ParentFacts("P1-10", 10, 2, false, true), ChildFacts.unseen("C8")))
          .isEqualTo(ErrorCode.PARENT_FINALIZED);
    }

    @Test
    void codeKnownAsChild_cannotBeAParent() {
      assertThat(LinkRules.checkParentRole("C1", BagRole.CHILD)).get().extracting(Rejection::code).isEqualTo(ErrorCode.CODE_IS_CHILD);
      assertThat(LinkRules.checkParentRole("P1-3", BagRole.PARENT)).isEmpty();
      assertThat(LinkRules.checkParentRole("P1-3", null)).isEmpty();
    }

    @Test
    void aParentNeverAcceptsPastItsLimit() {
      Property.check(1000, random -> {
        int limit = Gen.intBetween(random, 1, 30);
        int count = Gen.intBetween(random, 0, 30);
        Optional<Rejection> decision = LinkRules.check(parent("P1-" + limit, limit, count), ChildFacts.unseen("C1"));
        assertThat(decision.isEmpty()).as("limit %d, count %d", limit, count).isEqualTo(count < limit);
      });
    }
  }

  @Nested
  class Completion {
    @Test
    void completeExactlyAtLimitOrWhenFinished() {
      Property.check(1000, random -> {
        int count = Gen.intBetween(random, 0, 30);
        int limit = Gen.intBetween(random, 1, 30);
        assertThat(ParentLimits.isComplete(count, limit, false)).as("%d of %d", count, limit).isEqualTo(count >= limit);
        assertThat(ParentLimits.isComplete(count, limit, true)).isTrue();
      });
    }

    @Test
    void limitFor_isCountOr30() {
      assertThat(ParentLimits.limitFor(null)).isEqualTo(30);
      assertThat(ParentLimits.limitFor(7)).isEqualTo(7);
      assertThatThrownBy(() -> ParentLimits.limitFor(31)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ParentLimits.limitFor(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parentFacts_refuseImpossibleValues() {
      assertThatThrownBy(() -> new ParentFacts("P1-3", 31, 0, false, false)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new ParentFacts("P1-3", 3, -1, false, false)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Finishing {
    @Test
    void shortOfCount_needsConfirmation_thenFinishes() {
      ParentFacts p = parent("P1-10", 10, 7);
      FinishDecision first = FinishRules.decide(p, false);
      assertThat(first).isInstanceOf(FinishDecision.NeedsConfirmation.class);
      assertThat(((FinishDecision.NeedsConfirmation) first).rejection().message()).contains("7 of 10");
      assertThat(FinishRules.decide(p, true)).isInstanceOf(FinishDecision.Finish.class);
    }

    @Test
    void alreadyComplete_isNotAnError() {
      assertThat(FinishRules.decide(parent("P1-3", 3, 3), false)).isInstanceOf(FinishDecision.AlreadyComplete.class);
    }

    @Test
    void emptyParent_cannotBeFinished() {
      FinishDecision d = FinishRules.decide(parent("P1-3", 3, 0), true);
      assertThat(((FinishDecision.Refused) d).rejection().code()).isEqualTo(ErrorCode.EMPTY_PARENT);
    }

    @Test
    void finalizedBill_refusesFinish() {
      FinishDecision d = FinishRules.decide(new ParentFacts("P1-3", 3, 1, false, true), true);
      assertThat(((FinishDecision.Refused) d).rejection().code()).isEqualTo(ErrorCode.PARENT_FINALIZED);
    }
  }

  @Nested
  class Undo {
    private final Instant linked = Instant.parse("2026-11-22T08:00:00Z");

    @Test
    void withinTheHour_isAllowed_includingTheLastMoment() {
      assertThat(UndoRules.check("C1", linked, linked.plusSeconds(1))).isEmpty();
      assertThat(UndoRules.check("C1", linked, linked.plus(Duration.ofHours(1)))).isEmpty();
    }

    @Test
    void pastTheHour_isRefusedNamingTheChild() {
      Rejection r = UndoRules.check("C1", linked, linked.plus(Duration.ofHours(1)).plusMillis(1)).orElseThrow();
      assertThat(r.code()).isEqualTo(ErrorCode.UNDO_WINDOW_EXPIRED);
      assertThat(r.otherBag()).isEqualTo("C1");
    }

    @Test
    void clockBehindTheLink_isStillAllowed() {
      assertThat(UndoRules.check("C1", linked, linked.minusSeconds(30))).isEmpty();
    }
  }

  @Nested
  class Bounce {
    private final Instant t0 = Instant.parse("2026-11-22T08:00:00Z");
    private final BounceFilter.LastScan last = new BounceFilter.LastScan("C1", t0);

    @Test
    void sameCodeInsideWindow_isBounce() {
      assertThat(BounceFilter.isBounce(last, "C1", t0.plusMillis(799), BounceFilter.DEFAULT_WINDOW)).isTrue();
    }

    @Test
    void sameCodeAtOrAfterWindow_isAScan() {
      assertThat(BounceFilter.isBounce(last, "C1", t0.plusMillis(800), BounceFilter.DEFAULT_WINDOW)).isFalse();
    }

    @Test
    void otherCodeOrNoHistoryOrClockBackwards_isAScan() {
      assertThat(BounceFilter.isBounce(last, "C2", t0.plusMillis(10), BounceFilter.DEFAULT_WINDOW)).isFalse();
      assertThat(BounceFilter.isBounce(null, "C1", t0, BounceFilter.DEFAULT_WINDOW)).isFalse();
      assertThat(BounceFilter.isBounce(last, "C1", t0.minusMillis(10), BounceFilter.DEFAULT_WINDOW)).isFalse();
    }
  }

  @Nested
  class Weights {
    @Test
    void defaults_oneKgPerChild_expectedFromTheChildrenExpected() {
      WeightPolicy w = WeightPolicy.defaults();
      assertThat(w.actualKg(0)).isEqualByComparingTo("0");
      assertThat(w.actualKg(57)).isEqualByComparingTo("57");
      // issue #16: parents of 5, 3 and 30 expect 38 children, 38 kg (it said 3 × 30 = 90 before)
      long expected = BillRules.expectedChildren(1, 5, false) + BillRules.expectedChildren(3, 3, false)
          + BillRules.expectedChildren(0, 30, false);
      assertThat(w.expectedKg(expected)).isEqualByComparingTo("38");
      // finished short at 4 of 30: 4 are expected
      assertThat(BillRules.expectedChildren(4, 30, true)).isEqualTo(4);
    }

    @Test
    void aParentGoesOnABill_onlyCompleteOrFinishedShort_elseTheRefusalNamesItsCount() {
      assertThat(BillRules.checkParentReady("P1002-5", 5, 5, false)).isEmpty();
      assertThat(BillRules.checkParentReady("P1002-5", 2, 5, true)).isEmpty();
      Rejection r = BillRules.checkParentReady("P1002-5", 1, 5, false).orElseThrow();
      assertThat(r.code()).isEqualTo(ErrorCode.PARENT_NOT_READY);
      assertThat(r.message()).startsWith("P1002-5 has 1 of 5 children");
    }

    @Test
    void configuredKgPerChild_isExactDecimal() {
      WeightPolicy w = new WeightPolicy(new BigDecimal("1.35"));
      assertThat(w.actualKg(3)).isEqualByComparingTo("4.05");
    }

    @Test
    void negativeOrZeroInputs_areRefused() {
      assertThatThrownBy(() -> WeightPolicy.defaults().actualKg(-1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new WeightPolicy(BigDecimal.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Bills {
    @Test
    void capacityAtCreation_is1To50() {
      assertThat(BillRules.checkNewCapacity(1)).isEmpty();
      assertThat(BillRules.checkNewCapacity(50)).isEmpty();
      assertThat(BillRules.checkNewCapacity(0)).isPresent();
      assertThat(BillRules.checkNewCapacity(51)).isPresent();
    }

    @Test
    void editedCapacity_upTo100_neverBelowWhatIsOnTheBill() {
      assertThat(BillRules.checkEditedCapacity(100, 10)).isEmpty();
      assertThat(BillRules.checkEditedCapacity(101, 10)).isPresent();
      assertThat(BillRules.checkEditedCapacity(9, 10).orElseThrow().message()).contains("below");
    }

    @Test
    void finalize_needsFullOrExplicitShortClose() {
      assertThat(BillRules.mayFinalize(5, 5, false)).isTrue();
      assertThat(BillRules.mayFinalize(4, 5, false)).isFalse();
      assertThat(BillRules.mayFinalize(4, 5, true)).isTrue();
      assertThat(BillRules.mayFinalize(0, 5, true)).isFalse();
    }

    @Test
    void finalizeRefusals_nameTheReason() {
      assertThat(BillRules.checkFinalize("BILL01", BillRules.Status.OPEN, 5, 5, false)).isEmpty();
      assertThat(BillRules.checkFinalize("BILL01", BillRules.Status.OPEN, 4, 5, true)).isEmpty();
      assertThat(BillRules.checkFinalize("BILL01", BillRules.Status.OPEN, 4, 5, false).orElseThrow().code())
          .isEqualTo(ErrorCode.BILL_NOT_READY);
      assertThat(BillRules.checkFinalize("BILL01", BillRules.Status.OPEN, 0, 5, true).orElseThrow().message())
          .contains("no parents");
      assertThat(BillRules.checkFinalize("BILL01", BillRules.Status.FINALIZED, 5, 5, false).orElseThrow().code())
          .isEqualTo(ErrorCode.BILL_FINALIZED);
    }

    @Test
    void addParent_needsAnOpenBillWithRoom() {
      assertThat(BillRules.checkAddParent("BILL01", BillRules.Status.OPEN, 9, 10)).isEmpty();
      assertThat(BillRules.checkAddParent("BILL01", BillRules.Status.OPEN, 10, 10).orElseThrow().code())
          .isEqualTo(ErrorCode.BILL_FULL);
      assertThat(BillRules.checkAddParent("BILL01", BillRules.Status.FINALIZED, 1, 10).orElseThrow().code())
          .isEqualTo(ErrorCode.BILL_FINALIZED);
    }

    @Test
    void reopen_needsAFinalizedBill() {
      assertThat(BillRules.checkReopen("BILL01", BillRules.Status.FINALIZED)).isEmpty();
      assertThat(BillRules.checkReopen("BILL01", BillRules.Status.OPEN).orElseThrow().code())
          .isEqualTo(ErrorCode.BILL_NOT_FINALIZED);
    }

    @Test
    void fields_printableAndAtMost100Characters() {
      assertThat(BillRules.checkField("destination", "München Hbf — Dock 4")).isEmpty();
      assertThat(BillRules.checkField("destination", "<b>'; drop table bill;--")).isEmpty();
      assertThat(BillRules.checkField("destination", "x".repeat(100))).isEmpty();
      assertThat(BillRules.checkField("destination", "x".repeat(101)).orElseThrow().code())
          .isEqualTo(ErrorCode.BILL_FIELD_INVALID);
      assertThat(BillRules.checkField("vehicle", "")).isPresent();
      assertThat(BillRules.checkField("vehicle", null)).isPresent();
      assertThat(BillRules.checkField("vehicle", "MH12\nAB")).isPresent();
      assertThat(BillRules.checkField("vehicle", "MH12\u0000AB").orElseThrow().message()).contains("U+0000");
      assertThat(BillRules.checkField("vehicle", "MH12\u202EAB")).isPresent(); // right-to-left override
      assertThat(BillRules.checkField("vehicle", "MH12\uD800AB")).isPresent(); // lone surrogate
      assertThat(BillRules.checkField("vehicle", "MH12\u2028AB")).isPresent();
    }
  }
}
