package io.tracetrack.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The quick path must answer exactly what {@link Instant#parse} answers, for any text. */
class IsoInstantsTest {

  private static final String MUTATIONS = "0123456789-:.TZtz+ 9";

  @Test
  void theFormsTheHubWrites_parseToTheSameInstant_andTakeTheQuickPath() {
    Random random = new Random(20261206);
    for (int i = 0; i < 20_000; i++) {
      // years 0000 to 9999, every fraction length Instant.toString and the hub's formatter write
      Instant at = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L), random.nextInt(1_000_000_000));
      String text = canonical(at, random.nextInt(10));
      assertThat(IsoInstants.quick(text)).as(text).isNotNull().isEqualTo(Instant.parse(text));
    }
    assertThat(IsoInstants.quick("2026-12-06T17:12:00Z")).isEqualTo(Instant.parse("2026-12-06T17:12:00Z"));
    assertThat(IsoInstants.quick("2024-02-29T23:59:59.999999999Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.999999999Z"));
  }

  @Test
  void anyOtherText_isDecidedAsInstantParseDecidesIt() {
    Random random = new Random(7);
    String[] seeds = {"2026-12-06T17:12:00.123Z", "2026-12-06T17:12:00Z", "2024-02-29T00:00:00.5Z"};
    String[] fixed = {"2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-12-06T24:00:00Z", "2026-12-06T23:59:60Z",
        "2026-12-06T17:12:00.Z", "2026-12-06T17:12:00.1234567890Z", "2026-12-06t17:12:00Z", "2026-12-06T17:12:00z",
        "2026-12-06T17:12:00+01:00", "+12026-12-06T17:12:00Z", "2026-13-06T17:12:00Z", "2026-00-06T17:12:00Z",
        "2026-12-00T17:12:00Z", "2026-12-06T17:60:00Z", "2026-12-06 17:12:00Z", "-002-12-06T17:12:00Z", "", "Z",
        "2026-12-06T17:12Z", "2026-12-06T17:12:00.12a4Z", "２026-12-06T17:12:00Z"};
    for (String text : fixed) {
      assertSameAsInstantParse(text);
    }
    for (int i = 0; i < 50_000; i++) {
      StringBuilder text = new StringBuilder(seeds[random.nextInt(seeds.length)]);
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(text.length());
        char c = MUTATIONS.charAt(random.nextInt(MUTATIONS.length()));
        switch (random.nextInt(3)) {
          case 0 -> text.setCharAt(at, c);
          case 1 -> text.insert(at, c);
          default -> text.deleteCharAt(at);
        }
      }
      assertSameAsInstantParse(text.toString());
    }
  }

  private static void assertSameAsInstantParse(String text) {
    Instant expected;
    try {
      expected = Instant.parse(text);
    } catch (DateTimeParseException e) {
      expected = null;
    }
    Instant actual;
    try {
      actual = IsoInstants.parse(text);
    } catch (DateTimeParseException e) {
      actual = null;
    }
    assertThat(actual).as("'%s'", text).isEqualTo(expected);
  }

  /** The instant as the hub writes it: UTC, {@code digits} fraction digits (none: no '.'). */
  private static String canonical(Instant at, int digits) {
    String whole = String.format(java.util.Locale.ROOT, "%04d", at.atOffset(java.time.ZoneOffset.UTC).getYear())
        + at.toString().substring(at.toString().indexOf('-', 1), at.toString().indexOf('T') + 9);
    if (digits == 0) {
      return whole + "Z";
    }
    String nanos = String.format(java.util.Locale.ROOT, "%09d", at.getNano());
    return whole + "." + nanos.substring(0, digits) + "Z";
  }
}
