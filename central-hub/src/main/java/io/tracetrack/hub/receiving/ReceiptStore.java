package io.tracetrack.hub.receiving;

import static io.tracetrack.hub.db.jooq.Tables.BILL;
import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;
import static io.tracetrack.hub.db.jooq.Tables.BILL_RECEIPT;
import static io.tracetrack.hub.db.jooq.Tables.BILL_RECEIPT_LINE;

import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.sync.ReceiptReport;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;

/** The receipt tables, seen from one transaction (or the pool, for reads). */
@Store
final class ReceiptStore {

  private final DSLContext tx;

  ReceiptStore(DSLContext tx) {
    this.tx = tx;
  }

  /** The receipt a dock sent before under this key, if it did. */
  Optional<Long> known(String edgeId, String key) {
    return tx.select(BILL_RECEIPT.ID).from(BILL_RECEIPT)
        .where(BILL_RECEIPT.EDGE_ID.eq(edgeId).and(BILL_RECEIPT.RECEIPT_KEY.eq(key))).fetchOptional(BILL_RECEIPT.ID);
  }

  /**
   * The bill's parents in its order, with the bill's row locked until the transaction ends (so they
   * cannot change while a receipt is judged against them); empty when there is no such bill.
   */
  Optional<List<String>> lockBillParents(String bill) {
    if (tx.select(BILL.ID).from(BILL).where(BILL.ID.eq(bill)).forUpdate().fetchOptional().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(tx.select(BILL_PARENT.PARENT_CODE).from(BILL_PARENT).where(BILL_PARENT.BILL_ID.eq(bill))
        .orderBy(BILL_PARENT.ADDED_AT, BILL_PARENT.PARENT_CODE).fetch(BILL_PARENT.PARENT_CODE));
  }

  /** A line of a receipt as recorded: its code, status, and (scanned lines) who and when. */
  record Line(String code, String status, String by, OffsetDateTime at) {}

  long insert(String dock, String edgeId, ReceiptReport r, OffsetDateTime now, List<Line> lines) {
    long id = tx.insertInto(BILL_RECEIPT)
        .set(BILL_RECEIPT.EDGE_ID, edgeId)
        .set(BILL_RECEIPT.RECEIPT_KEY, r.key())
        .set(BILL_RECEIPT.BILL_ID, r.bill())
        .set(BILL_RECEIPT.DOCK, dock)
        .set(BILL_RECEIPT.STATION, r.station())
        .set(BILL_RECEIPT.MANIFEST_PARENTS, String.join(" ", r.manifest()))
        .set(BILL_RECEIPT.OPENED_BY, r.openedBy())
        .set(BILL_RECEIPT.OPENED_AT, Receipts.utc(r.openedAt()))
        .set(BILL_RECEIPT.CLOSED_BY, r.closedBy())
        .set(BILL_RECEIPT.CLOSED_AT, Receipts.utc(r.closedAt()))
        .set(BILL_RECEIPT.RECORDED_AT, now)
        .returning(BILL_RECEIPT.ID).fetchOne(BILL_RECEIPT.ID);
    if (!lines.isEmpty()) {
      var insert = tx.insertInto(BILL_RECEIPT_LINE, BILL_RECEIPT_LINE.RECEIPT_ID, BILL_RECEIPT_LINE.CODE,
          BILL_RECEIPT_LINE.STATUS, BILL_RECEIPT_LINE.LINE_NO, BILL_RECEIPT_LINE.SCANNED_BY, BILL_RECEIPT_LINE.SCANNED_AT);
      int lineNo = 0;
      for (Line line : lines) {
        insert = insert.values(id, line.code(), line.status(), lineNo++, line.by(), line.at());
      }
      insert.execute();
    }
    return id;
  }

  /** The change's entry, as the transaction's last write (see {@link ChangeLog}). */
  void log(ChangeLog.Entry entry) {
    ChangeLog.append(tx, entry);
  }

  /** The ids of a bill's receipts, newest first. */
  List<Long> ofBill(String bill) {
    return tx.select(BILL_RECEIPT.ID).from(BILL_RECEIPT).where(BILL_RECEIPT.BILL_ID.eq(bill))
        .orderBy(BILL_RECEIPT.ID.desc()).fetch(BILL_RECEIPT.ID);
  }

  Receipts.ReceiptView view(long id) {
    Record r = tx.selectFrom(BILL_RECEIPT).where(BILL_RECEIPT.ID.eq(id)).fetchOne();
    List<Receipts.Line> received = new ArrayList<>();
    List<Receipts.Line> extra = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Set<String> onBill = new HashSet<>();
    tx.selectFrom(BILL_RECEIPT_LINE).where(BILL_RECEIPT_LINE.RECEIPT_ID.eq(id)).orderBy(BILL_RECEIPT_LINE.LINE_NO)
        .forEach(l -> {
          switch (l.getStatus()) {
            case Receipts.RECEIVED -> received.add(new Receipts.Line(l.getCode(), l.getScannedBy(), l.getScannedAt()));
            case Receipts.EXTRA -> extra.add(new Receipts.Line(l.getCode(), l.getScannedBy(), l.getScannedAt()));
            default -> missing.add(l.getCode());
          }
          if (!Receipts.EXTRA.equals(l.getStatus())) {
            onBill.add(l.getCode());
          }
        });
    String manifest = r.get(BILL_RECEIPT.MANIFEST_PARENTS);
    Set<String> listed = manifest.isEmpty() ? Set.of() : Set.of(manifest.split(" "));
    return new Receipts.ReceiptView(id, r.get(BILL_RECEIPT.BILL_ID), r.get(BILL_RECEIPT.DOCK), r.get(BILL_RECEIPT.STATION),
        r.get(BILL_RECEIPT.OPENED_BY), r.get(BILL_RECEIPT.OPENED_AT), r.get(BILL_RECEIPT.CLOSED_BY),
        r.get(BILL_RECEIPT.CLOSED_AT), r.get(BILL_RECEIPT.RECORDED_AT), received, missing, extra, !listed.equals(onBill));
  }
}
