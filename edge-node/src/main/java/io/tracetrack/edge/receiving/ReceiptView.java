package io.tracetrack.edge.receiving;

import java.time.Instant;
import java.util.List;

/**
 * A receipt open at a station, as the page draws it: the bill's parents received, still missing,
 * and the extras that came though not on the bill.
 *
 * @param expected how many parents the manifest listed
 * @param earlier an earlier receipt of the same bill closed at this dock, or null: parents it
 *     received count as already received
 * @param confirming {@code FINISH} or {@code CANCEL} when the station waits for that command again
 *     to confirm it (closing with parents missing, dropping scans), else null
 */
public record ReceiptView(String bill, String station, String openedBy, Instant openedAt, int expected,
    List<Line> received, List<String> missing, List<Line> extra, Earlier earlier, String confirming) {

  public ReceiptView {
    received = List.copyOf(received);
    missing = List.copyOf(missing);
    extra = List.copyOf(extra);
  }

  /**
   * A parent scanned off the vehicle.
   *
   * @param children its children as this dock's replica of the hub knows them, or null if unknown
   */
  public record Line(String code, String by, Instant at, Integer children) {}

  /** The last receipt of the bill closed here before this one. */
  public record Earlier(String closedBy, Instant closedAt, int received) {}
}
