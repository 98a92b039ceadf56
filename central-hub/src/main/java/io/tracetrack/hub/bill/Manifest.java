package io.tracetrack.hub.bill;

import io.tracetrack.model.ManifestCode;
import java.util.Objects;

/**
 * What a printed manifest shows: the bill, and the text of one QR code that lists it, so the
 * receiving dock checks the whole load in one scan.
 *
 * @param bill the bill, its parents, child counts and weights
 * @param qr the {@link ManifestCode} text, {@code TT1 BILL <id> N <count> <parent> ...}: what a
 *     receiving dock reads to check the load with no network
 */
public record Manifest(BillView bill, String qr) {

  public Manifest {
    Objects.requireNonNull(bill, "bill");
    Objects.requireNonNull(qr, "qr");
  }

  public static Manifest of(BillView bill) {
    return new Manifest(bill, new ManifestCode(bill.id(), bill.parents().stream().map(BillView.Parent::code).toList()).text());
  }
}
