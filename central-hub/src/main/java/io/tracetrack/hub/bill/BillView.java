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
    Totals totals) {

  public BillView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    parents = List.copyOf(parents);
    Objects.requireNonNull(totals, "totals");
  }

  /** A parent on the bill, with its children as linked now. */
  public record Parent(String code, int childCount, String addedBy, OffsetDateTime addedAt) {}

  /** What the bill carries now; weights from {@link io.tracetrack.model.WeightPolicy}. */
  public record Totals(int parentCount, long childCount, BigDecimal actualKg, BigDecimal expectedKg) {}
}
