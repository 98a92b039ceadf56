package io.tracetrack.edge.receiving;

import io.tracetrack.model.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a scan at a receiving station, for the page: {@code kind} is always
 * {@code RECEIPT}, which tells it apart from a dispatch scan's answer.
 *
 * @param outcome ACCEPTED (something was recorded), REJECTED (nothing was) or IGNORED (a scanner's
 *     echo of the scan before, within the bounce window)
 * @param reason why not, or for an accepted extra {@code NOT_ON_BILL}; null for a plain receive
 * @param receipt the receipt still open after this scan, or null (closed, cancelled, or none)
 * @param closed what a receipt closed by this scan came to, or null
 */
public record ReceiveResult(String kind, String outcome, boolean accepted, String code, ErrorCode reason,
    String message, Instant at, ReceiptView receipt, Closed closed) {

  public ReceiveResult {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
  }

  /** A receipt closed: what goes to the hub. */
  public record Closed(String bill, int expected, List<String> received, List<String> missing, List<String> extra) {}

  static ReceiveResult accepted(String code, ErrorCode flag, String message, Instant at, ReceiptView receipt,
      Closed closed) {
    return new ReceiveResult("RECEIPT", "ACCEPTED", true, code, flag, message, at, receipt, closed);
  }

  static ReceiveResult rejected(String code, ErrorCode reason, String message, Instant at, ReceiptView receipt) {
    return new ReceiveResult("RECEIPT", "REJECTED", false, code, reason, message, at, receipt, null);
  }
}
