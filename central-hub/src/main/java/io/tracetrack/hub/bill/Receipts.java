package io.tracetrack.hub.bill;

import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;
import static io.tracetrack.hub.db.jooq.Tables.BILL_RECEIPT;
import static io.tracetrack.hub.db.jooq.Tables.BILL_RECEIPT_LINE;

import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.ReceiptReport;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;

/**
 * Receiving a load at the destination: the receipts docks close after scanning a bill's manifest
 * QR and the parents coming off the vehicle. A receipt is judged once, when it arrives, against
 * the bill as the hub then holds it (received, missing, extra), and kept so; the same receipt sent
 * again is the one already recorded. Recording appends {@code bill.received.v1} to the change log
 * in the same transaction, as its last write; no dock hears it (it changes nothing a dock decides).
 */
public final class Receipts {

  private final HubDatabase db;
  private final Clock clock;

  public Receipts(HubDatabase db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What sending a receipt came to. */
  public sealed interface Outcome {
    /** Recorded now, or ({@code duplicate}) already recorded from an earlier send of the same receipt. */
    record Recorded(ReceiptView receipt, boolean duplicate) implements Outcome {}

    /** The hub has no such bill: the dock read a manifest this hub did not print, or the bill is gone. */
    record NoSuchBill(String bill) implements Outcome {}
  }

  /** A receipt as the bill page and the API show it. */
  public record ReceiptView(long id, String bill, String dock, String station, String openedBy, OffsetDateTime openedAt,
      String closedBy, OffsetDateTime closedAt, OffsetDateTime recordedAt, List<Line> received, List<String> missing,
      List<Line> extra, boolean manifestDiffers) {
    public ReceiptView {
      received = List.copyOf(received);
      missing = List.copyOf(missing);
      extra = List.copyOf(extra);
    }
  }

  /** A parent scanned off the vehicle: who scanned it, when. */
  public record Line(String code, String by, OffsetDateTime at) {}

  /**
   * Records a receipt the dock {@code dock} (edge {@code edgeId}) closed.
   *
   * @throws DataAccessException only for a database failure: a second send racing the first is
   *     answered from the winner's row
   */
  public Outcome record(String dock, String edgeId, ReceiptReport report) {
    for (int attempt = 1; ; attempt++) {
      try {
        return db.transaction(tx -> recordIn(tx, dock, edgeId, report));
      } catch (DataAccessException e) {
        if (attempt >= 2 || !HubDatabase.isUniqueViolation(e)) {
          throw e;
        }
      }
    }
  }

  private Outcome recordIn(DSLContext tx, String dock, String edgeId, ReceiptReport r) {
    Optional<Long> known = tx.select(BILL_RECEIPT.ID).from(BILL_RECEIPT)
        .where(BILL_RECEIPT.EDGE_ID.eq(edgeId).and(BILL_RECEIPT.RECEIPT_KEY.eq(r.key()))).fetchOptional(BILL_RECEIPT.ID);
    if (known.isPresent()) {
      return new Outcome.Recorded(view(tx, known.get()), true);
    }
    // the bill's row is locked, so its parents cannot change while the receipt is judged against them
    if (new BillStore(tx).lock(r.bill()).isEmpty()) {
      return new Outcome.NoSuchBill(r.bill());
    }
    List<String> onBill = tx.select(BILL_PARENT.PARENT_CODE).from(BILL_PARENT).where(BILL_PARENT.BILL_ID.eq(r.bill()))
        .orderBy(BILL_PARENT.ADDED_AT, BILL_PARENT.PARENT_CODE).fetch(BILL_PARENT.PARENT_CODE);
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    long id = tx.insertInto(BILL_RECEIPT)
        .set(BILL_RECEIPT.EDGE_ID, edgeId)
        .set(BILL_RECEIPT.RECEIPT_KEY, r.key())
        .set(BILL_RECEIPT.BILL_ID, r.bill())
        .set(BILL_RECEIPT.DOCK, dock)
        .set(BILL_RECEIPT.STATION, r.station())
        .set(BILL_RECEIPT.MANIFEST_PARENTS, String.join(" ", r.manifest()))
        .set(BILL_RECEIPT.OPENED_BY, r.openedBy())
        .set(BILL_RECEIPT.OPENED_AT, utc(r.openedAt()))
        .set(BILL_RECEIPT.CLOSED_BY, r.closedBy())
        .set(BILL_RECEIPT.CLOSED_AT, utc(r.closedAt()))
        .set(BILL_RECEIPT.RECORDED_AT, now)
        .returning(BILL_RECEIPT.ID).fetchOne(BILL_RECEIPT.ID);
    Set<String> bill = new HashSet<>(onBill);
    Set<String> scanned = new HashSet<>();
    List<String> received = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    var insert = tx.insertInto(BILL_RECEIPT_LINE, BILL_RECEIPT_LINE.RECEIPT_ID, BILL_RECEIPT_LINE.CODE,
        BILL_RECEIPT_LINE.STATUS, BILL_RECEIPT_LINE.LINE_NO, BILL_RECEIPT_LINE.SCANNED_BY, BILL_RECEIPT_LINE.SCANNED_AT);
    int lineNo = 0;
    for (ReceiptReport.Line line : r.scans()) {
      boolean on = bill.contains(line.code());
      (on ? received : extra).add(line.code());
      scanned.add(line.code());
      insert = insert.values(id, line.code(), on ? "RECEIVED" : "EXTRA", lineNo++, line.by(), utc(line.at()));
    }
    List<String> missing = onBill.stream().filter(p -> !scanned.contains(p)).toList();
    for (String code : missing) {
      insert = insert.values(id, code, "MISSING", lineNo++, null, null);
    }
    if (lineNo > 0) {
      insert.execute();
    }
    ChangeLog.append(tx, ChangeLog.Entry.hubOnly(new Change.BillReceived(r.bill(), id, dock, r.station(), r.closedBy(),
        r.closedAt().toString(), received, missing, extra), now, "edge:" + edgeId));
    return new Outcome.Recorded(view(tx, id), false);
  }

  /** The receipts of a bill, newest first (empty for a bill nobody received yet, or none at all). */
  public List<ReceiptView> of(String bill) {
    DSLContext dsl = db.dsl();
    return dsl.select(BILL_RECEIPT.ID).from(BILL_RECEIPT).where(BILL_RECEIPT.BILL_ID.eq(bill))
        .orderBy(BILL_RECEIPT.ID.desc()).fetch(BILL_RECEIPT.ID).stream().map(id -> view(dsl, id)).toList();
  }

  private static ReceiptView view(DSLContext tx, long id) {
    Record r = tx.selectFrom(BILL_RECEIPT).where(BILL_RECEIPT.ID.eq(id)).fetchOne();
    List<Line> received = new ArrayList<>();
    List<Line> extra = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> judged = new ArrayList<>();
    tx.selectFrom(BILL_RECEIPT_LINE).where(BILL_RECEIPT_LINE.RECEIPT_ID.eq(id)).orderBy(BILL_RECEIPT_LINE.LINE_NO)
        .forEach(l -> {
          switch (l.getStatus()) {
            case "RECEIVED" -> received.add(new Line(l.getCode(), l.getScannedBy(), l.getScannedAt()));
            case "EXTRA" -> extra.add(new Line(l.getCode(), l.getScannedBy(), l.getScannedAt()));
            default -> missing.add(l.getCode());
          }
          if (!"EXTRA".equals(l.getStatus())) {
            judged.add(l.getCode());
          }
        });
    String manifest = r.get(BILL_RECEIPT.MANIFEST_PARENTS);
    Set<String> listed = manifest.isEmpty() ? Set.of() : Set.of(manifest.split(" "));
    return new ReceiptView(id, r.get(BILL_RECEIPT.BILL_ID), r.get(BILL_RECEIPT.DOCK), r.get(BILL_RECEIPT.STATION),
        r.get(BILL_RECEIPT.OPENED_BY), r.get(BILL_RECEIPT.OPENED_AT), r.get(BILL_RECEIPT.CLOSED_BY),
        r.get(BILL_RECEIPT.CLOSED_AT), r.get(BILL_RECEIPT.RECORDED_AT), received, missing, extra,
        !listed.equals(new HashSet<>(judged)));
  }

  private static OffsetDateTime utc(java.time.Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
