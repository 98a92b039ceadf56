package io.tracetrack.hub.eod;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The summary as one table, for the CSV and XLSX downloads and the mail attachment: a figure per row
 * ({@code section}, {@code item}, {@code value}), then one row per bill with its detail columns.
 */
final class EodTable {

  static final List<String> COLUMNS = List.of("section", "item", "value", "status", "created_by", "destination",
      "vehicle", "parents", "children", "actual_kg", "expected_kg");

  private EodTable() {}

  static List<List<Object>> rows(EndOfDay.Summary s) {
    List<List<Object>> rows = new ArrayList<>();
    figure(rows, "day", "date", s.date().toString());
    figure(rows, "day", "zone", s.zone());
    figure(rows, "day", "from", s.from().toString());
    figure(rows, "day", "to", s.to().toString());
    figures(rows, "bills by status", s.billsByStatus());
    figures(rows, "bills by user", s.billsByUser());
    figure(rows, "totals", "parents created", s.parentsCreated());
    figure(rows, "totals", "children linked", s.childrenLinked());
    figure(rows, "totals", "kg linked", s.kgLinked());
    figure(rows, "totals", "undos", s.undos());
    figure(rows, "totals", "undo rate", s.undoRate());
    figure(rows, "totals", "refused scans", s.refusedScans());
    figure(rows, "totals", "error rate", s.errorRate());
    figures(rows, "scans by dispatcher", s.scansByDispatcher());
    figures(rows, "scans by dock", s.scansByDock());
    for (String parent : s.parentsLeftIncomplete()) {
      figure(rows, "parent left incomplete", parent, null);
    }
    for (EndOfDay.BillLine b : s.bills()) {
      rows.add(Arrays.asList("bill", b.id(), null, b.status(), b.createdBy(), b.destination(), b.vehicle(), b.parents(),
          b.children(), b.actualKg(), b.expectedKg()));
    }
    return rows;
  }

  private static void figures(List<List<Object>> rows, String section, Map<String, Long> values) {
    values.forEach((k, v) -> figure(rows, section, k, v));
  }

  private static void figure(List<List<Object>> rows, String section, String item, Object value) {
    Object[] row = new Object[COLUMNS.size()];
    row[0] = section;
    row[1] = item;
    row[2] = value;
    rows.add(Arrays.asList(row));
  }
}
