package io.tracetrack.sync;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A receipt a dock closed, as it reaches the hub ({@code POST /api/v1/sync/receipts}): the bill the
 * dock read from the manifest QR, the parents the manifest listed, and every parent scanned off
 * the vehicle with who and when. The hub judges the scans against the bill as it holds it; the
 * dock's own verdicts (received, extra) are not sent, so the two cannot disagree on the wire.
 *
 * @param key the dock's id for the receipt, made when it was opened: the hub keeps one receipt per
 *     key, so sending it again (a lost answer, a restored backup) records nothing twice
 * @param manifest the parents the scanned manifest listed, in its order
 * @param scans the parents scanned, in scan order, each once
 */
public record ReceiptReport(String key, String bill, String station, List<String> manifest, String openedBy,
    Instant openedAt, String closedBy, Instant closedAt, List<Line> scans) {

  /** Most parents a manifest lists, and so the most it is sensible to send. */
  public static final int MAX_MANIFEST = 100;
  /** Most scans one receipt holds: a vehicle carries one bill's parents, and extras are rare. */
  public static final int MAX_SCANS = 1000;

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern BILL = Pattern.compile("[A-Z0-9]{1,20}");

  /** One parent scanned off the vehicle. */
  public record Line(String code, String by, Instant at) {
    public Line {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(at, "at");
    }
  }

  public ReceiptReport {
    Objects.requireNonNull(openedAt, "openedAt");
    Objects.requireNonNull(closedAt, "closedAt");
    manifest = List.copyOf(manifest);
    scans = List.copyOf(scans);
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("key must be 1-64 letters, digits or '-'");
    }
    if (bill == null || !BILL.matcher(bill).matches()) {
      throw new IllegalArgumentException("bill must be 1-20 upper-case letters and digits");
    }
    text(station, "station");
    text(openedBy, "openedBy");
    text(closedBy, "closedBy");
    if (manifest.size() > MAX_MANIFEST || scans.size() > MAX_SCANS) {
      throw new IllegalArgumentException("a receipt lists at most " + MAX_MANIFEST + " manifest parents and "
          + MAX_SCANS + " scans");
    }
    manifest.forEach(code -> text(code, "a manifest parent"));
    HashSet<String> seen = new HashSet<>();
    for (Line line : scans) {
      text(line.code(), "a scanned code");
      text(line.by(), "a scan's by");
      if (!seen.add(line.code())) {
        throw new IllegalArgumentException("a parent is scanned at most once on a receipt: " + line.code());
      }
    }
    if (closedAt.isBefore(openedAt)) {
      throw new IllegalArgumentException("closedAt is before openedAt");
    }
  }

  private static void text(String value, String field) {
    if (value == null || value.isEmpty() || value.length() > 64 || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(field + " must be 1-64 printable characters");
    }
  }
}
