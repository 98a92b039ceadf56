package io.tracetrack.hub.eod;

import io.tracetrack.hub.io.Download;
import io.tracetrack.hub.io.ExportFormat;
import io.tracetrack.hub.mail.Mailer;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-of-day e-mail: a plain-text and an HTML body of the same figures, and the day's CSV
 * attached. Bill destinations, vehicle numbers and user names are typed by people; the HTML is a
 * mustache template ({@code resources/eod/letter.html.mustache}) that escapes every value, so none of
 * it is ever markup.
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

  /**
   * Compiled once; {@code {{value}}} escapes for HTML (mustache's default: {@code & < > " ' ` =}),
   * and the template has no unescaped tag, so no typed value can become markup.
   */
  private static final Mustache HTML = new DefaultMustacheFactory("eod").compile("letter.html.mustache");

  /** A name and its figure, as a table row. */
  record Row(String name, Object value) {}

  /** A titled table of rows. */
  record Section(String title, List<Row> rows) {}

  /** One bill line, as the template shows it. */
  record Bill(String id, String status, String createdBy, String destination, String vehicle, int parents, long children,
      String kg) {}

  static String html(EndOfDay.Summary s) {
    Map<String, Object> scope = new java.util.HashMap<>();
    scope.put("date", s.date().toString());
    scope.put("zone", s.zone());
    scope.put("figures", List.of(
        new Row("Parents created", s.parentsCreated()),
        new Row("Children linked", s.childrenLinked() + " (" + s.kgLinked().toPlainString() + " kg)"),
        new Row("Undos", s.undos() + ", undo rate " + percent(s.undoRate())),
        new Row("Refused scans", s.refusedScans() + ", error rate " + percent(s.errorRate()))));
    scope.put("sections", List.of(
        section("Bills by status", s.billsByStatus()),
        section("Bills by user", s.billsByUser()),
        section("Scans by dispatcher", s.scansByDispatcher()),
        section("Scans by dock", s.scansByDock())));
    scope.put("bills", s.bills().stream().map(b -> new Bill(b.id(), String.valueOf(b.status()), b.createdBy(), b.destination(),
        b.vehicle(), b.parents(), b.children(), b.actualKg().toPlainString())).toList());
    scope.put("incomplete", s.parentsLeftIncomplete().isEmpty() ? List.of() : List.of(String.join(", ", s.parentsLeftIncomplete())));
    StringWriter out = new StringWriter();
    HTML.execute(out, scope);
    return out.toString();
  }

  private static Section section(String title, Map<String, Long> values) {
    return new Section(title, values.entrySet().stream().map(e -> new Row(e.getKey(), e.getValue())).toList());
  }

  private static String percent(Double rate) {
    return rate == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }
}
