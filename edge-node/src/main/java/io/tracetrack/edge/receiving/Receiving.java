package io.tracetrack.edge.receiving;

import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.db.StoreUnavailableException;
import io.tracetrack.model.BounceFilter;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.CodeKind;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.ManifestCode;
import io.tracetrack.model.StationCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The receiving station's rules. A manifest QR opens a receipt at the station; from then on every
 * scan there is the receipt's until FINISH closes it or CANCEL drops it:
 * <ul>
 *   <li>a parent on the manifest is received (once; again is {@code ALREADY_RECEIVED}, also when an
 *       earlier receipt of the bill at this dock received it);
 *   <li>a parent not on it is kept as an extra ({@code NOT_ON_BILL}): it came off the vehicle, and
 *       somebody must deal with it;
 *   <li>a child is refused: receiving counts parents;
 *   <li>UNDO takes the last scan off; FINISH with parents missing, or CANCEL with scans made, asks
 *       for the same command again within {@link #CONFIRM_WINDOW}.
 * </ul>
 * Each answer is built after the transaction that stored its effect committed, as for a dispatch scan.
 */
public final class Receiving {

  /** How long a FINISH or CANCEL waits for the one that confirms it. */
  public static final Duration CONFIRM_WINDOW = Duration.ofSeconds(30);

  private final EdgeDatabase db;
  private final CodeGrammar grammar;
  private final Clock clock;
  private final Runnable afterClose;
  /** Stations with a receipt open: a dispatch scan elsewhere costs no query to rule receiving out. */
  private final Set<String> receiving = ConcurrentHashMap.newKeySet();
  /** A FINISH or CANCEL awaiting its confirmation, per station. */
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  /** The last scan taken per station: a scanner's echo of it is dropped, as on the dispatch path. */
  private final Map<String, BounceFilter.LastScan> lastScan = new ConcurrentHashMap<>();

  private record Pending(StationCommand command, Instant at) {}

  /**
   * @param afterClose runs after a receipt closed (the sync worker's nudge, so it leaves at once
   *     when the hub is reachable); cheap and non-blocking
   */
  public Receiving(EdgeDatabase db, CodeGrammar grammar, Clock clock, Runnable afterClose) {
    this.db = Objects.requireNonNull(db, "db");
    this.grammar = Objects.requireNonNull(grammar, "grammar");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.afterClose = Objects.requireNonNull(afterClose, "afterClose");
    receiving.addAll(db.read(dsl -> new ReceiptStore(dsl).openStations()));
  }

  /** Whether this scan at {@code station} is receiving's: a manifest, or anything while a receipt is open there. */
  public boolean takes(String station, String raw) {
    return receiving.contains(station) || ManifestCode.isManifest(raw);
  }

  /** The receipt open at {@code station}, if one is. */
  public Optional<ReceiptView> open(String station) {
    if (!receiving.contains(station)) {
      return Optional.empty();
    }
    return db.read(dsl -> {
      ReceiptStore store = new ReceiptStore(dsl);
      return store.open(station).map(row -> view(store, row));
    });
  }

  /** Takes one scan at a receiving station (or the manifest that makes it one). */
  public ReceiveResult scan(String station, String actor, String raw) {
    Instant now = clock.instant();
    // an echo of a FINISH must not confirm the FINISH it echoes: the page drops echoes, and so does this
    String echo = raw.strip().toUpperCase(java.util.Locale.ROOT);
    if (BounceFilter.isBounce(lastScan.get(station), echo, now, BounceFilter.DEFAULT_WINDOW)) {
      return new ReceiveResult("RECEIPT", "IGNORED", false, null, ErrorCode.BOUNCE,
          "Scanner bounce: the same scan again within the bounce window, ignored", now, open(station).orElse(null), null);
    }
    try {
      ReceiveResult result = db.write(dsl -> inTransaction(new ReceiptStore(dsl), station, actor, raw, now));
      if (result.receipt() == null) {
        receiving.remove(station);
        pending.remove(station);
      } else {
        receiving.add(station);
      }
      if (result.closed() != null) {
        afterClose.run();
      }
      lastScan.put(station, new BounceFilter.LastScan(echo, now));
      return result;
    } catch (StoreUnavailableException e) {
      return ReceiveResult.rejected(null, ErrorCode.STORE_UNAVAILABLE, "NOT RECORDED: " + e.getMessage()
          + ". Scan it again.", now, open(station).orElse(null));
    }
  }

  private ReceiveResult inTransaction(ReceiptStore store, String station, String actor, String raw, Instant now) {
    Optional<ReceiptStore.Row> open = store.open(station);
    if (ManifestCode.isManifest(raw)) {
      return manifest(store, open, station, actor, raw, now);
    }
    if (open.isEmpty()) {
      // the station's receipt was closed by another tab or process meanwhile
      return ReceiveResult.rejected(null, ErrorCode.NO_RECEIPT, "This station is not receiving: scan a manifest QR",
          now, null);
    }
    ReceiptStore.Row row = open.get();
    Pending asked = pending.remove(station);
    return switch (grammar.read(raw)) {
      case CodeKind.Command c -> switch (c.command()) {
        case FINISH -> close(store, row, actor, confirmed(asked, StationCommand.FINISH, now), now);
        case CANCEL -> cancel(store, row, confirmed(asked, StationCommand.CANCEL, now), now);
        case UNDO -> undo(store, row, now);
      };
      case CodeKind.Parent p -> parent(store, row, actor, p.code(), now);
      case CodeKind.Child c -> ReceiveResult.rejected(c.code(), ErrorCode.CODE_IS_CHILD, c.code() + " is a child bag"
          + store.parentOf(c.code()).map(p -> " (on " + p + ")").orElse("") + ": while receiving bill " + row.bill()
          + ", scan the parents. FINISH closes the receipt.", now, view(store, row));
      case CodeKind.NotACode n -> ReceiveResult.rejected(null, n.rejection().code(), n.rejection().message(), now,
          view(store, row));
    };
  }

  private static boolean confirmed(Pending asked, StationCommand command, Instant now) {
    return asked != null && asked.command() == command && !now.isAfter(asked.at().plus(CONFIRM_WINDOW));
  }

  private ReceiveResult manifest(ReceiptStore store, Optional<ReceiptStore.Row> open, String station, String actor,
      String raw, Instant now) {
    ManifestCode m;
    switch (ManifestCode.read(raw)) {
      case ManifestCode.Read.Unreadable u -> {
        return ReceiveResult.rejected(null, ErrorCode.MANIFEST_UNREADABLE, u.why(), now,
            open.map(row -> view(store, row)).orElse(null));
      }
      case ManifestCode.Read.Whole w -> m = w.manifest();
    }
    if (open.isPresent()) {
      ReceiptStore.Row row = open.get();
      ReceiptView view = view(store, row);
      if (row.bill().equals(m.bill())) {
        return ReceiveResult.accepted(m.bill(), null, "Already receiving bill " + m.bill() + ": "
            + view.received().size() + " of " + view.expected() + " parents received", now, view, null);
      }
      return ReceiveResult.rejected(m.bill(), ErrorCode.RECEIPT_OPEN, "This station is receiving bill " + row.bill()
          + ": FINISH closes that receipt (or CANCEL drops it) before bill " + m.bill(), now, view);
    }
    store.insert(UUID.randomUUID().toString(), m.bill(), station, m.parents(), actor, now.toEpochMilli());
    ReceiptStore.Row row = store.open(station).orElseThrow();
    ReceiptView view = view(store, row);
    String earlier = view.earlier() == null ? ""
        : " Bill " + m.bill() + " was received here before (" + parents(view.earlier().received()) + ", closed by "
            + view.earlier().closedBy() + "): those count as already received.";
    return ReceiveResult.accepted(m.bill(), null, "Receiving bill " + m.bill() + ": 0 of " + m.parents().size()
        + " parents. Scan each parent as it comes off; FINISH closes the receipt." + earlier, now, view, null);
  }

  private ReceiveResult parent(ReceiptStore store, ReceiptStore.Row row, String actor, String code, Instant now) {
    Optional<ReceiptStore.Scan> here = store.scans(row.id()).stream().filter(s -> s.code().equals(code)).findFirst();
    Optional<ReceiptStore.Scan> before = here.isPresent() ? here : store.receivedBefore(row.bill(), code);
    if (before.isPresent()) {
      String where = here.isPresent() ? "on this receipt" : "on an earlier receipt of bill " + row.bill();
      return ReceiveResult.rejected(code, ErrorCode.ALREADY_RECEIVED, code + " was received already " + where
          + " (by " + before.get().by() + "); not counted again", now, view(store, row));
    }
    boolean onManifest = row.manifest().contains(code);
    store.addScan(row.id(), code, onManifest, actor, now.toEpochMilli());
    ReceiptView view = view(store, row);
    if (!onManifest) {
      return ReceiveResult.accepted(code, ErrorCode.NOT_ON_BILL, code + " is NOT on bill " + row.bill()
          + ": kept as an extra. Set it aside.", now, view, null);
    }
    Integer children = store.children(code);
    return ReceiveResult.accepted(code, null, code + " received: " + view.received().size() + " of " + view.expected()
        + (children == null ? "" : " (" + children + (children == 1 ? " child)" : " children)")), now, view, null);
  }

  private ReceiveResult undo(ReceiptStore store, ReceiptStore.Row row, Instant now) {
    List<ReceiptStore.Scan> scans = store.scans(row.id());
    if (scans.isEmpty()) {
      return ReceiveResult.rejected(null, ErrorCode.NOTHING_TO_UNDO, "Nothing scanned on the receipt of bill "
          + row.bill() + " yet", now, view(store, row));
    }
    String last = scans.getLast().code();
    store.removeScan(row.id(), last);
    return ReceiveResult.accepted(last, null, last + " taken off the receipt of bill " + row.bill(), now,
        view(store, row), null);
  }

  private ReceiveResult close(ReceiptStore store, ReceiptStore.Row row, String actor, boolean confirmed, Instant now) {
    ReceiptView view = view(store, row);
    if (!view.missing().isEmpty() && !confirmed) {
      pending.put(row.station(), new Pending(StationCommand.FINISH, now));
      return ReceiveResult.rejected(null, ErrorCode.FINISH_NEEDS_CONFIRMATION, view.missing().size() + " of "
          + view.expected() + (view.missing().size() == 1 ? " parents is" : " parents are") + " missing ("
          + String.join(", ", shortList(view.missing()))
          + "): FINISH again to close the receipt with them missing", now, withConfirming(view, "FINISH"));
    }
    store.close(row.id(), actor, now.toEpochMilli());
    List<String> received = view.received().stream().map(ReceiptView.Line::code).toList();
    List<String> extra = view.extra().stream().map(ReceiptView.Line::code).toList();
    String message = "Receipt of bill " + row.bill() + " closed: " + received.size() + " of " + view.expected()
        + " received" + (view.missing().isEmpty() ? "" : ", " + view.missing().size() + " missing")
        + (extra.isEmpty() ? "" : ", " + extra.size() + (extra.size() == 1 ? " extra" : " extras"))
        + ". It goes to the hub.";
    return ReceiveResult.accepted(row.bill(), null, message, now, null,
        new ReceiveResult.Closed(row.bill(), view.expected(), received, view.missing(), extra));
  }

  private ReceiveResult cancel(ReceiptStore store, ReceiptStore.Row row, boolean confirmed, Instant now) {
    ReceiptView view = view(store, row);
    int scanned = view.received().size() + view.extra().size();
    if (scanned > 0 && !confirmed) {
      pending.put(row.station(), new Pending(StationCommand.CANCEL, now));
      return ReceiveResult.rejected(null, ErrorCode.FINISH_NEEDS_CONFIRMATION, "CANCEL drops the " + parents(scanned)
          + " scanned on the receipt of bill " + row.bill() + ": CANCEL again to drop them", now,
          withConfirming(view, "CANCEL"));
    }
    store.cancel(row.id(), now.toEpochMilli());
    return ReceiveResult.accepted(row.bill(), null, "Receiving bill " + row.bill()
        + " cancelled: nothing goes to the hub", now, null, null);
  }

  private static String parents(int n) {
    return n + (n == 1 ? " parent" : " parents");
  }

  private static List<String> shortList(List<String> codes) {
    return codes.size() <= 5 ? codes : List.of(String.join(", ", codes.subList(0, 5)), "…");
  }

  private static ReceiptView withConfirming(ReceiptView v, String command) {
    return new ReceiptView(v.bill(), v.station(), v.openedBy(), v.openedAt(), v.expected(), v.received(), v.missing(),
        v.extra(), v.earlier(), command);
  }

  private static ReceiptView view(ReceiptStore store, ReceiptStore.Row row) {
    List<ReceiptView.Line> received = new ArrayList<>();
    List<ReceiptView.Line> extra = new ArrayList<>();
    Set<String> got = new HashSet<>();
    for (ReceiptStore.Scan s : store.scans(row.id())) {
      ReceiptView.Line line = new ReceiptView.Line(s.code(), s.by(), Instant.ofEpochMilli(s.at()),
          s.onManifest() ? store.children(s.code()) : null);
      (s.onManifest() ? received : extra).add(line);
      got.add(s.code());
    }
    List<String> missing = row.manifest().stream().filter(p -> !got.contains(p)).toList();
    ReceiptView.Earlier earlier = store.lastClosed(row.bill())
        .map(e -> new ReceiptView.Earlier(e.closedBy(), Instant.ofEpochMilli(e.closedAt()), store.scans(e.id()).size()))
        .orElse(null);
    return new ReceiptView(row.bill(), row.station(), row.openedBy(), Instant.ofEpochMilli(row.openedAt()),
        row.manifest().size(), received, missing, extra, earlier, null);
  }
}
