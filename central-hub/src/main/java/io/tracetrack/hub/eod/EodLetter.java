package io.tracetrack.hub.eod;

import io.tracetrack.hub.io.Download;
import io.tracetrack.hub.io.ExportFormat;
import io.tracetrack.hub.mail.Mailer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-of-day e-mail: a plain-text and an HTML body of the same figures, and the day's CSV
 * attached. Bill destinations, vehicle numbers and user names are typed by people; in the HTML every
 * value goes through {@link #html}, so none of it is ever markup.
 */
final class EodLetter {

  private EodLetter() {}

  static Mailer.Letter of(EndOfDay.Summary s, List<String> to) {
    String subject = String.format(Locale.ROOT, "TraceTrack end of day %s: %d bills, %d children linked, %s kg",
        s.date(), s.bills().size(), s.childrenLinked(), s.kgLinked().toPlainString());
    byte[] csv = Download.bytes(ExportFormat.CSV, "eod-" + s.date(), EodTable.COLUMNS, EodTable.rows(s));
    return new Mailer.Letter(to, subject, text(s), html(s),
        List.of(new Mailer.Attachment("eod-" + s.date() + ".csv", "text/csv; charset=utf-8", csv)));
  }

  static String text(EndOfDay.Summary s) {
    StringBuilder t = new StringBuilder();
    t.append("End of day ").append(s.date()).append(" (").append(s.zone()).append(")\n\n");
    t.append("Parents created: ").append(s.parentsCreated()).append('\n');
    t.append("Children linked: ").append(s.childrenLinked()).append(" (").append(s.kgLinked().toPlainString()).append(" kg)\n");
    t.append("Undos: ").append(s.undos()).append(", undo rate ").append(percent(s.undoRate())).append('\n');
    t.append("Refused scans: ").append(s.refusedScans()).append(", error rate ").append(percent(s.errorRate())).append('\n');
    section(t, "Bills by status", s.billsByStatus());
    section(t, "Bills by user", s.billsByUser());
    section(t, "Scans by dispatcher", s.scansByDispatcher());
    section(t, "Scans by dock", s.scansByDock());
    t.append("\nBills\n");
    for (EndOfDay.BillLine b : s.bills()) {
      t.append("  ").append(b.id()).append("  ").append(b.status()).append("  ").append(b.createdBy()).append("  ")
          .append(b.destination()).append(" / ").append(b.vehicle()).append("  parents ").append(b.parents())
          .append(", children ").append(b.children()).append(", ").append(b.actualKg().toPlainString()).append(" kg\n");
    }
    if (!s.parentsLeftIncomplete().isEmpty()) {
      t.append("\nParents left incomplete: ").append(String.join(", ", s.parentsLeftIncomplete())).append('\n');
    }
    t.append("\nThe same figures are attached as CSV.\n");
    return t.toString();
  }

  private static void section(StringBuilder t, String title, Map<String, Long> values) {
    t.append('\n').append(title).append('\n');
    if (values.isEmpty()) {
      t.append("  (none)\n");
    }
    values.forEach((k, v) -> t.append("  ").append(k).append(": ").append(v).append('\n'));
  }

  static String html(EndOfDay.Summary s) {
    StringBuilder h = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">");
    h.append("<h1>End of day ").append(html(s.date().toString())).append(" <small>(").append(html(s.zone()))
        .append(")</small></h1><table>");
    row(h, "Parents created", s.parentsCreated());
    row(h, "Children linked", s.childrenLinked() + " (" + s.kgLinked().toPlainString() + " kg)");
    row(h, "Undos", s.undos() + ", undo rate " + percent(s.undoRate()));
    row(h, "Refused scans", s.refusedScans() + ", error rate " + percent(s.errorRate()));
    h.append("</table>");
    table(h, "Bills by status", s.billsByStatus());
    table(h, "Bills by user", s.billsByUser());
    table(h, "Scans by dispatcher", s.scansByDispatcher());
    table(h, "Scans by dock", s.scansByDock());
    h.append("<h2>Bills</h2><table><tr><th>Bill</th><th>Status</th><th>Created by</th><th>Destination</th>"
        + "<th>Vehicle</th><th>Parents</th><th>Children</th><th>kg</th></tr>");
    for (EndOfDay.BillLine b : s.bills()) {
      h.append("<tr>");
      for (Object cell : List.of(b.id(), b.status(), b.createdBy(), b.destination(), b.vehicle(), b.parents(), b.children(),
          b.actualKg().toPlainString())) {
        h.append("<td>").append(html(String.valueOf(cell))).append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</table>");
    if (!s.parentsLeftIncomplete().isEmpty()) {
      h.append("<h2>Parents left incomplete</h2><p>").append(html(String.join(", ", s.parentsLeftIncomplete()))).append("</p>");
    }
    return h.append("<p>The same figures are attached as CSV.</p></body></html>").toString();
  }

  private static void table(StringBuilder h, String title, Map<String, Long> values) {
    h.append("<h2>").append(html(title)).append("</h2><table>");
    values.forEach((k, v) -> row(h, k, v));
    h.append("</table>");
  }

  private static void row(StringBuilder h, String name, Object value) {
    h.append("<tr><th align=\"left\">").append(html(name)).append("</th><td>").append(html(String.valueOf(value)))
        .append("</td></tr>");
  }

  private static String percent(Double rate) {
    return rate == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }

  /** Text as HTML text or attribute value: the five characters that could end either are escaped. */
  static String html(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
