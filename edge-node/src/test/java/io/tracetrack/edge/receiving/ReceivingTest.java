package io.tracetrack.edge.receiving;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.edge.TestEdge;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.sync.ReceiptReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiving station's rules on a real SQLite store, as the station page meets them. */
class ReceivingTest {

  private static final String MANIFEST = "TT1 BILL BILL0042 N 3 P1001-30 SB12345 P1002-5";

  @TempDir Path dir;
  TestEdge edge;
  Receiving receiving;
  final AtomicInteger nudges = new AtomicInteger();

  @BeforeEach
  void open() {
    edge = new TestEdge(dir);
    receiving = new Receiving(edge.db, CodeGrammar.defaults(), edge.clock, nudges::incrementAndGet);
  }

  @AfterEach
  void close() {
    edge.close();
  }

  private ReceiveResult scan(String raw) {
    return scan("gate-1", "dana", raw);
  }

  private ReceiveResult scan(String station, String actor, String raw) {
    edge.clock.advance(Duration.ofSeconds(1));
    return receiving.scan(station, actor, raw);
  }

  private List<ReceiptReport> unsent() {
    return edge.db.read(dsl -> new ReceiptStore(dsl).unsent(10));
  }

  @Test
  void aManifest_opensAReceipt_andEveryScanThereIsReceivings_untilItCloses() {
    assertThat(receiving.takes("gate-1", "P1001-30")).isFalse();
    assertThat(receiving.takes("gate-1", "tt1 bill x")).isTrue();
    ReceiveResult opened = scan(MANIFEST);
    assertThat(opened.accepted()).isTrue();
    assertThat(opened.kind()).isEqualTo("RECEIPT");
    assertThat(opened.message()).startsWith("Receiving bill BILL0042: 0 of 3 parents");
    assertThat(opened.receipt().missing()).containsExactly("P1001-30", "SB12345", "P1002-5");
    assertThat(receiving.takes("gate-1", "P1001-30")).isTrue();
    assertThat(receiving.takes("gate-2", "P1001-30")).as("another station dispatches as before").isFalse();
  }

  @Test
  void parents_receivedExtraAndAlready_eachSaidPlainly() {
    scan(MANIFEST);
    ReceiveResult first = scan("P1001-30");
    assertThat(first.accepted()).isTrue();
    assertThat(first.reason()).isNull();
    assertThat(first.message()).isEqualTo("P1001-30 received: 1 of 3");
    ReceiveResult extra = scan("gate-1", "omar", "P9000-5");
    assertThat(extra.accepted()).as("an extra came off the vehicle: it is recorded").isTrue();
    assertThat(extra.reason()).isEqualTo(ErrorCode.NOT_ON_BILL);
    assertThat(extra.message()).contains("NOT on bill BILL0042");
    ReceiveResult again = scan("p1001-30");
    assertThat(again.accepted()).isFalse();
    assertThat(again.reason()).isEqualTo(ErrorCode.ALREADY_RECEIVED);
    assertThat(again.message()).contains("by dana");
    ReceiptView view = again.receipt();
    assertThat(view.received()).extracting(ReceiptView.Line::code).containsExactly("P1001-30");
    assertThat(view.extra()).extracting(ReceiptView.Line::code, ReceiptView.Line::by).containsExactly(
        org.assertj.core.groups.Tuple.tuple("P9000-5", "omar"));
    assertThat(view.missing()).containsExactly("SB12345", "P1002-5");
  }

  @Test
  void aChildOrRubbish_isRefused_andChangesNothing() {
    scan(MANIFEST);
    ReceiveResult child = scan("C77");
    assertThat(child.reason()).isEqualTo(ErrorCode.CODE_IS_CHILD);
    assertThat(child.message()).contains("scan the parents");
    assertThat(scan("<script>").reason()).isEqualTo(ErrorCode.INVALID_CODE);
    assertThat(edge.count("select count(*) from receipt_scan")).isZero();
  }

  @Test
  void aManifestReadInPart_isRefused_andOpensNothing() {
    ReceiveResult cut = scan("TT1 BILL BILL0042 N 3 P1001-30 SB12345");
    assertThat(cut.accepted()).isFalse();
    assertThat(cut.reason()).isEqualTo(ErrorCode.MANIFEST_UNREADABLE);
    assertThat(cut.message()).contains("2 of 3 parents");
    assertThat(edge.count("select count(*) from receipt")).isZero();
    assertThat(receiving.takes("gate-1", "P1001-30")).isFalse();
  }

  @Test
  void anotherBillsManifest_whileReceiving_isRefused_theSameOneIsANoOp() {
    scan(MANIFEST);
    scan("P1001-30");
    ReceiveResult same = scan(MANIFEST);
    assertThat(same.accepted()).isTrue();
    assertThat(same.message()).contains("Already receiving bill BILL0042: 1 of 3");
    ReceiveResult other = scan("TT1 BILL BILL0043 N 1 P7-5");
    assertThat(other.reason()).isEqualTo(ErrorCode.RECEIPT_OPEN);
    assertThat(edge.count("select count(*) from receipt")).isEqualTo(1);
  }

  @Test
  void undo_takesTheLastScanOff() {
    scan(MANIFEST);
    assertThat(scan("CMD-UNDO").reason()).isEqualTo(ErrorCode.NOTHING_TO_UNDO);
    scan("P1001-30");
    scan("SB12345");
    ReceiveResult undone = scan("CMD-UNDO");
    assertThat(undone.accepted()).isTrue();
    assertThat(undone.code()).isEqualTo("SB12345");
    assertThat(undone.receipt().received()).extracting(ReceiptView.Line::code).containsExactly("P1001-30");
  }

  @Test
  void finish_withParentsMissing_asksAgain_thenClosesAndNudgesSync() {
    scan(MANIFEST);
    scan("P1001-30");
    scan("P9000-5");
    ReceiveResult asked = scan("CMD-FINISH");
    assertThat(asked.accepted()).isFalse();
    assertThat(asked.reason()).isEqualTo(ErrorCode.FINISH_NEEDS_CONFIRMATION);
    assertThat(asked.message()).startsWith("2 of 3 parents are missing (SB12345, P1002-5)");
    assertThat(asked.receipt().confirming()).isEqualTo("FINISH");
    assertThat(unsent()).isEmpty();
    ReceiveResult closed = scan("CMD-FINISH");
    assertThat(closed.accepted()).isTrue();
    assertThat(closed.receipt()).isNull();
    assertThat(closed.message()).isEqualTo("Receipt of bill BILL0042 closed: 1 of 3 received, 2 missing, 1 extra. "
        + "It goes to the hub.");
    assertThat(closed.closed().missing()).containsExactly("SB12345", "P1002-5");
    assertThat(nudges).hasValue(1);
    assertThat(receiving.takes("gate-1", "P1001-30")).as("the station dispatches again").isFalse();
    assertThat(io.tracetrack.edge.sync.EdgeStatus.of(edge.db, edge.clock.instant()).receiptsToSend())
        .as("the dock's status counts it until the hub takes it").isEqualTo(1);
    List<ReceiptReport> out = unsent();
    assertThat(out).singleElement().satisfies(r -> {
      assertThat(r.bill()).isEqualTo("BILL0042");
      assertThat(r.manifest()).containsExactly("P1001-30", "SB12345", "P1002-5");
      assertThat(r.scans()).extracting(ReceiptReport.Line::code).containsExactly("P1001-30", "P9000-5");
      assertThat(r.closedBy()).isEqualTo("dana");
    });
  }

  @Test
  void aConfirmation_mustBeTheNextScan_withinTheWindow() {
    scan(MANIFEST);
    scan("P1001-30");
    scan("CMD-FINISH");
    scan("SB12345");
    assertThat(scan("CMD-FINISH").accepted()).as("a scan between: asked again").isFalse();
    edge.clock.advance(Receiving.CONFIRM_WINDOW);
    assertThat(scan("CMD-FINISH").accepted()).as("too late: asked again").isFalse();
    assertThat(scan("CMD-FINISH").accepted()).isTrue();
  }

  @Test
  void aScannersEchoOfFinish_isDropped_soItCannotConfirmTheFinishItEchoes() {
    scan(MANIFEST);
    scan("P1001-30");
    scan("CMD-FINISH");
    edge.clock.advance(Duration.ofMillis(100));
    ReceiveResult echo = receiving.scan("gate-1", "dana", "CMD-FINISH");
    assertThat(echo.outcome()).isEqualTo("IGNORED");
    assertThat(echo.reason()).isEqualTo(ErrorCode.BOUNCE);
    assertThat(echo.receipt()).as("still receiving").isNotNull();
    assertThat(scan("CMD-FINISH").accepted()).as("a second FINISH a second later confirms").isTrue();
  }

  @Test
  void aCompleteLoad_closesAtOnce() {
    scan(MANIFEST);
    for (String p : List.of("P1001-30", "SB12345", "P1002-5")) {
      scan(p);
    }
    ReceiveResult closed = scan("CMD-FINISH");
    assertThat(closed.accepted()).isTrue();
    assertThat(closed.message()).isEqualTo("Receipt of bill BILL0042 closed: 3 of 3 received. It goes to the hub.");
  }

  @Test
  void cancel_withScans_asksAgain_andSendsNothing() {
    scan(MANIFEST);
    scan("P1001-30");
    assertThat(scan("CMD-CANCEL").reason()).isEqualTo(ErrorCode.FINISH_NEEDS_CONFIRMATION);
    ReceiveResult cancelled = scan("CMD-CANCEL");
    assertThat(cancelled.accepted()).isTrue();
    assertThat(cancelled.receipt()).isNull();
    assertThat(unsent()).isEmpty();
    assertThat(nudges).hasValue(0);
  }

  @Test
  void aSecondReceiptOfTheBill_countsWhatTheFirstReceivedAsAlreadyReceived() {
    scan(MANIFEST);
    scan("P1001-30");
    scan("CMD-FINISH");
    scan("CMD-FINISH");
    ReceiveResult reopened = scan("gate-2", "omar", MANIFEST);
    assertThat(reopened.message()).contains("was received here before (1 parent, closed by dana)");
    ReceiveResult again = scan("gate-2", "omar", "P1001-30");
    assertThat(again.reason()).isEqualTo(ErrorCode.ALREADY_RECEIVED);
    assertThat(again.message()).contains("earlier receipt of bill BILL0042");
    assertThat(scan("gate-2", "omar", "SB12345").accepted()).isTrue();
  }

  @Test
  void anOpenReceipt_survivesARestart_scansAndAll() {
    scan(MANIFEST);
    scan("P1001-30");
    edge.close();
    edge = new TestEdge(dir);
    Receiving after = new Receiving(edge.db, CodeGrammar.defaults(), edge.clock, () -> { });
    assertThat(after.takes("gate-1", "SB12345")).isTrue();
    assertThat(after.open("gate-1")).hasValueSatisfying(v -> {
      assertThat(v.bill()).isEqualTo("BILL0042");
      assertThat(v.received()).extracting(ReceiptView.Line::code).containsExactly("P1001-30");
    });
  }

  @Test
  void theHubsWord_takesAReceiptOutOfWhatIsSent() {
    scan(MANIFEST);
    scan("CMD-FINISH");
    scan("CMD-FINISH");
    String key = unsent().getFirst().key();
    edge.db.write(dsl -> {
      new ReceiptStore(dsl).answered(key, 1L, 7L, null);
      return null;
    });
    assertThat(unsent()).isEmpty();
    assertThat(edge.count("select hub_receipt_id from receipt")).isEqualTo(7);
  }

  @Test
  void aReceiptTheHubRefuses_isNotSentAgain_andItsReasonShowsAtTheStation() {
    scan(MANIFEST);
    scan("CMD-FINISH");
    scan("CMD-FINISH");
    io.tracetrack.edge.sync.SyncStore sync = io.tracetrack.edge.sync.SyncStores.open(edge.db, CodeGrammar.defaults(), edge.clock);
    String key = sync.unsentReceipts(10).getFirst().key();
    sync.receiptAnswered(key, null, "the hub refused the receipt of bill BILL0042 (BILL_NOT_FOUND)");
    assertThat(sync.unsentReceipts(10)).isEmpty();
    assertThat(sync.status(edge.clock.instant()).notice()).contains("BILL_NOT_FOUND");
  }
}
