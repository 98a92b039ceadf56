package io.tracetrack.hub.bill;

import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a printed manifest shows: the bill, and the text of one QR code that lists it, so the
 * receiving dock checks the whole load in one scan.
 *
 * @param bill the bill, its parents, child counts and weights
 * @param qr {@code TT1 BILL <id> N <count> <parent> <parent> ...}: only upper-case letters, digits,
 *     '-' and spaces, all in the QR alphanumeric set (the densest mode a full bill needs); no
 *     line breaks, because a keyboard-wedge scanner types each one as Enter and would split the
 *     scan; the count lets the reader tell a complete read from a cut one
 */
public record Manifest(BillView bill, String qr) {

  public Manifest {
    Objects.requireNonNull(bill, "bill");
    Objects.requireNonNull(qr, "qr");
  }

  public static Manifest of(BillView bill) {
    String parents = bill.parents().stream().map(BillView.Parent::code).collect(Collectors.joining(" "));
    String qr = "TT1 BILL " + bill.id() + " N " + bill.parents().size() + (parents.isEmpty() ? "" : " " + parents);
    return new Manifest(bill, qr);
  }
}
