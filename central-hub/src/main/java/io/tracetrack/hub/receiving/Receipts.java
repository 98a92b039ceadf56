package io.tracetrack.hub.receiving;

import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.ReceiptReport;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jooq.exception.DataAccessException;

/**
 * The receipts docks close at the destination. A receipt is judged once, when it arrives, against
 * the bill as the hub then holds it (received, missing, extra), and kept so; the same receipt sent
 * again is the one already recorded. Recording appends {@code bill.received.v1} to the change log
 * in the same transaction, as its last write, for the hub's own followers only: it changes nothing
 * a dock decides.
 */
public final class Receipts {

  static final String RECEIVED = "RECEIVED";
  static final String MISSING = "MISSING";
  static final String EXTRA = "EXTRA";

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
   * Records a receipt the dock {@code dock} (edge {@code edgeId}) closed. A second send racing the
   * first is answered from the winner's row.
   */
  public Outcome record(String dock, String edgeId, ReceiptReport report) {
    for (int attempt = 1; ; attempt++) {
      try {
        return db.transaction(tx -> recordIn(new ReceiptStore(tx), dock, edgeId, report));
      } catch (DataAccessException e) {
        if (attempt >= 2 || !HubDatabase.isUniqueViolation(e)) {
          throw e;
        }
      }
    }
  }

  private Outcome recordIn(ReceiptStore store, String dock, String edgeId, ReceiptReport r) {
    Optional<Long> known = store.known(edgeId, r.key());
    if (known.isPresent()) {
      return new Outcome.Recorded(store.view(known.get()), true);
    }
    Optional<List<String>> parents = store.lockBillParents(r.bill());
    if (parents.isEmpty()) {
      return new Outcome.NoSuchBill(r.bill());
    }
    Set<String> onBill = new HashSet<>(parents.get());
    Set<String> scanned = new HashSet<>();
    List<ReceiptStore.Line> lines = new ArrayList<>();
    List<String> received = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    for (ReceiptReport.Line line : r.scans()) {
      boolean on = onBill.contains(line.code());
      (on ? received : extra).add(line.code());
      scanned.add(line.code());
      lines.add(new ReceiptStore.Line(line.code(), on ? RECEIVED : EXTRA, line.by(), utc(line.at())));
    }
    List<String> missing = parents.get().stream().filter(p -> !scanned.contains(p)).toList();
    missing.forEach(code -> lines.add(new ReceiptStore.Line(code, MISSING, null, null)));
    OffsetDateTime now = utc(clock.instant());
    long id = store.insert(dock, edgeId, r, now, lines);
    store.log(ChangeLog.Entry.hubOnly(new Change.BillReceived(r.bill(), id, dock, r.station(), r.closedBy(),
        r.closedAt().toString(), received, missing, extra), now, "edge:" + edgeId));
    return new Outcome.Recorded(store.view(id), false);
  }

  /** The receipts of a bill, newest first (empty for a bill nobody received yet). */
  public List<ReceiptView> of(String bill) {
    ReceiptStore store = new ReceiptStore(db.dsl());
    return store.ofBill(bill).stream().map(store::view).toList();
  }

  static OffsetDateTime utc(Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
