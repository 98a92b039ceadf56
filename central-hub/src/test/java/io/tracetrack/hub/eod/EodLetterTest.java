package io.tracetrack.hub.eod;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The end-of-day mail's HTML: every value people type arrives as text, never as markup. */
class EodLetterTest {

  private static final List<String> HOSTILE = List.of("<script>alert(1)</script>", "\"><img src=x onerror=alert(2)>",
      "' onmouseover='alert(3)", "`${alert(4)}`", "&lt;already escaped&gt;", "</td></tr></table><h1>forged</h1>");

  @Test
  void hostileTextInEveryTypedField_isEscaped_noTagOrAttributeEscapes() {
    String h = EodLetter.html(summary());
    for (String bad : HOSTILE) {
      assertThat(h).as(bad).doesNotContain(bad);
    }
    assertThat(h).doesNotContain("<script", "<img", "<h1>forged").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("&amp;lt;already escaped&amp;gt;");
    // the document's own markup is all there is: as many cells as the template writes
    assertThat(h.split("<td>", -1)).hasSize(1 + 4 + 6 + 8 * 2);
  }

  @Test
  void figuresAndTablesAreAllShown() {
    String h = EodLetter.html(summary());
    assertThat(h).contains("End of day 2026-12-04", "Parents created</th><td>3", "Children linked</th><td>40 (12.500 kg)",
        "undo rate 5.0%", "error rate n/a", "Bills by status", "Scans by dock", "Parents left incomplete", "P1-30, P2-30");
  }

  @Test
  void theTemplateHasNoUnescapedTag() throws IOException {
    try (InputStream in = EodLetter.class.getResourceAsStream("/eod/letter.html.mustache")) {
      String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(template).doesNotContain("{{{", "{{&", "{{=");
    }
  }

  private static EndOfDay.Summary summary() {
    OffsetDateTime from = OffsetDateTime.of(2026, 12, 4, 0, 0, 0, 0, ZoneOffset.UTC);
    List<EndOfDay.BillLine> bills = List.of(
        new EndOfDay.BillLine("EOD0001", "OPEN", HOSTILE.get(2), HOSTILE.get(0), HOSTILE.get(1), 1, 30, new BigDecimal("9.000"),
            null),
        new EndOfDay.BillLine("EOD0002", "FINALIZED", "bella", HOSTILE.get(5), HOSTILE.get(4), 1, 10, new BigDecimal("3.500"),
            null));
    return new EndOfDay.Summary(LocalDate.of(2026, 12, 4), "UTC", from, from.plusDays(1), Map.of("OPEN", 1L, "FINALIZED", 1L),
        Map.of(HOSTILE.get(2), 1L, "bella", 1L), bills, 3, 40, new BigDecimal("12.500"), List.of("P1-30", "P2-30"),
        Map.of(HOSTILE.get(3), 40L), Map.of(HOSTILE.get(5), 40L), 2, 0.05, 0, null);
  }
}
