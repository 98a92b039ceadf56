package io.tracetrack.edge.receiving;

import io.tracetrack.sync.ReceiptReport;
import io.tracetrack.web.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** The receipt tables, seen from one connection (inside a transaction for every write). */
@Store
public final class ReceiptStore {

  private final DSLContext dsl;

  public ReceiptStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** A receipt's row. */
  record Row(long id, String key, String bill, String station, List<String> manifest, String openedBy, long openedAt,
      String closedBy, Long closedAt) {}

  /** A parent scanned on a receipt. */
  record Scan(String code, boolean onManifest, String by, long at) {}

  Optional<Row> open(String station) {
    return dsl.fetchOptional("select * from receipt where station = ? and closed_at is null and cancelled_at is null",
        station).map(ReceiptStore::row);
  }

  /** The stations with a receipt open, to know without a query per scan which scans are receiving's. */
  List<String> openStations() {
    return dsl.fetch("select station from receipt where closed_at is null and cancelled_at is null")
        .getValues(0, String.class);
  }

  long insert(String key, String bill, String station, List<String> manifest, String by, long at) {
    dsl.execute("insert into receipt (receipt_key, bill_id, station, manifest, opened_by, opened_at) values (?, ?, ?, ?, ?, ?)",
        key, bill, station, String.join(" ", manifest), by, at);
    return dsl.fetchValue("select id from receipt where receipt_key = ?", key) instanceof Number n ? n.longValue() : -1;
  }

  List<Scan> scans(long receipt) {
    return dsl.fetch("select code, on_manifest, scanned_by, scanned_at from receipt_scan where receipt_id = ? "
        + "order by scanned_at, code", receipt).map(r -> new Scan(r.get(0, String.class), r.get(1, Integer.class) == 1,
            r.get(2, String.class), r.get(3, Long.class)));
  }

  void addScan(long receipt, String code, boolean onManifest, String by, long at) {
    dsl.execute("insert into receipt_scan (receipt_id, code, on_manifest, scanned_by, scanned_at) values (?, ?, ?, ?, ?)",
        receipt, code, onManifest ? 1 : 0, by, at);
  }

  boolean removeScan(long receipt, String code) {
    return dsl.execute("delete from receipt_scan where receipt_id = ? and code = ?", receipt, code) == 1;
  }

  void close(long receipt, String by, long at) {
    dsl.execute("update receipt set closed_by = ?, closed_at = ? where id = ?", by, at, receipt);
  }

  void cancel(long receipt, long at) {
    dsl.execute("update receipt set cancelled_at = ? where id = ?", at, receipt);
  }

  /** The last receipt of {@code bill} closed at this dock, if any. */
  Optional<Row> lastClosed(String bill) {
    return dsl.fetchOptional("select * from receipt where bill_id = ? and closed_at is not null "
        + "order by closed_at desc limit 1", bill).map(ReceiptStore::row);
  }

  /** Who received {@code code} on a closed receipt of {@code bill} at this dock, if anyone did. */
  Optional<Scan> receivedBefore(String bill, String code) {
    return dsl.fetchOptional("select s.code, s.on_manifest, s.scanned_by, s.scanned_at from receipt_scan s "
        + "join receipt r on r.id = s.receipt_id where r.bill_id = ? and s.code = ? and r.closed_at is not null "
        + "order by s.scanned_at desc limit 1", bill, code)
        .map(r -> new Scan(r.get(0, String.class), r.get(1, Integer.class) == 1, r.get(2, String.class), r.get(3, Long.class)));
  }

  /** Children on a parent as the replica of the hub holds them; null when the replica does not know it. */
  Integer children(String parent) {
    return dsl.fetchOptional("select child_count from hub_bag where code = ?", parent)
        .map(r -> r.get(0, Integer.class)).orElse(null);
  }

  /** The parent a child is on as the replica holds it, if it knows one. */
  Optional<String> parentOf(String child) {
    return dsl.fetchOptional("select parent_code from hub_bag where code = ? and parent_code is not null", child)
        .map(r -> r.get(0, String.class));
  }

  // ---------------------------------------------------------------- what sync sends

  /** Closed receipts the hub has not taken, oldest first, as they go on the wire. */
  public List<ReceiptReport> unsent(int max) {
    List<ReceiptReport> out = new ArrayList<>();
    for (Record r : dsl.fetch("select * from receipt where closed_at is not null and sent_at is null "
        + "and hub_refusal is null order by closed_at, id limit ?", max)) {
      Row row = row(r);
      List<ReceiptReport.Line> lines = scans(row.id()).stream()
          .map(s -> new ReceiptReport.Line(s.code(), s.by(), Instant.ofEpochMilli(s.at()))).toList();
      out.add(new ReceiptReport(row.key(), row.bill(), row.station(), row.manifest(), row.openedBy(),
          Instant.ofEpochMilli(row.openedAt()), row.closedBy(), Instant.ofEpochMilli(row.closedAt()), lines));
    }
    return out;
  }

  /** The hub took the receipt ({@code hubId} its number), or will never ({@code refusal} says why). */
  public void answered(String key, long at, Long hubId, String refusal) {
    if (refusal == null) {
      dsl.execute("update receipt set sent_at = ?, hub_receipt_id = ? where receipt_key = ?", at, hubId, key);
    } else {
      dsl.execute("update receipt set hub_refusal = ? where receipt_key = ?", refusal, key);
    }
  }

  /** Closed receipts still to send: what the dock's status shows. */
  public int unsentCount() {
    return dsl.fetchValue("select count(*) from receipt where closed_at is not null and sent_at is null "
        + "and hub_refusal is null") instanceof Number n ? n.intValue() : 0;
  }

  private static Row row(Record r) {
    String manifest = r.get("manifest", String.class);
    return new Row(r.get("id", Long.class), r.get("receipt_key", String.class), r.get("bill_id", String.class),
        r.get("station", String.class), manifest.isEmpty() ? List.of() : List.of(manifest.split(" ")),
        r.get("opened_by", String.class), r.get("opened_at", Long.class), r.get("closed_by", String.class),
        r.get("closed_at", Long.class));
  }
}
