package io.tracetrack.hub.bill;

import io.tracetrack.model.BillRules;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * A bill as the API and the manifest show it. Totals are computed from the parents' current
 * child counts each time a view is made.
 */
public record BillView(
    String id,
    String destination,
    String vehicle,
    int capacity,
    BillRules.Status status,
    boolean shortClosed,
    String createdBy,
    OffsetDateTime createdAt,
    String finalizedBy,
    OffsetDateTime finalizedAt,
    String reopenedBy,
    OffsetDateTime reopenedAt,
    List<Parent> parents,
    Totals totals,
    List<Warning> warnings) {

  public BillView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    parents = List.copyOf(parents);
    Objects.requireNonNull(totals, "totals");
    warnings = List.copyOf(warnings);
  }

  /**
   * A parent on the bill, with its children as linked now.
   *
   * @param expectedCount the children it should carry: its limit, or its count if finished short
   * @param ready complete or finished short now
   * @param forcedReason why a biller put it on the bill although it was not ready; null when it was
   */
  public record Parent(String code, int childCount, int expectedCount, boolean ready, String forcedReason,
      String addedBy, OffsetDateTime addedAt) {}

  /** What the bill carries now; weights from {@link io.tracetrack.model.WeightPolicy}. */
  public record Totals(int parentCount, long childCount, long expectedChildCount, BigDecimal actualKg,
      BigDecimal expectedKg) {}

  /**
   * Something a biller should see before the load leaves, on the bill page, at finalize and on the
   * manifest: {@code PARENT_SHORT} (a parent short of its count, {@code parent} names it) or
   * {@code LOAD_SHORT} (the bill's children short of what its parents should carry).
   */
  public record Warning(String code, String parent, String message) {}
}
