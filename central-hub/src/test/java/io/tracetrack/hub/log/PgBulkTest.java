package io.tracetrack.hub.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.db.HubDatabase;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Record;
import org.junit.jupiter.api.Test;

/**
 * A few rows go in as one INSERT, many as a COPY: both must store exactly the same values, the
 * awkward ones too (tabs, newlines, backslashes, COPY's own null marker as text, quotes, nulls,
 * timestamps to the microsecond).
 */
class PgBulkTest {

  private static final String COLUMNS = "bag_event (at, kind, bag_code, parent_code, actor, dock, source, station)";
  private static final OffsetDateTime AT = OffsetDateTime.of(2026, 12, 6, 9, 30, 1, 123_456_000, ZoneOffset.UTC);
  private static final String[] AWKWARD = {"tab\there", "line\nbreak", "back\\slash", "\\N", "quote ' \" ;", "ünï¢ødé",
      "cr\rx", "--", ""};

  @Test
  void aFewRows_asOneInsert_storeWhatACopyStores() {
    try (HubDatabase db = TestDatabases.postgres(2)) {
      PgBulk.CopyRows few = rows("FEW", 0);
      assertThat(few.values()).hasSizeLessThanOrEqualTo(PgBulk.INSERT_AT_MOST);
      PgBulk.CopyRows many = rows("MANY", 80); // past the INSERT's size: a COPY
      db.transaction(tx -> {
        PgBulk.copy(tx, COLUMNS, few);
        PgBulk.copy(tx, COLUMNS, many);
        return null;
      });
      assertThat(read(db, "FEW")).isNotEmpty().isEqualTo(read(db, "MANY").subList(0, AWKWARD.length));
    }
  }

  /** One row per awkward text (in the actor, the parent and the station), then {@code filler} plain rows. */
  private static PgBulk.CopyRows rows(String kind, int filler) {
    PgBulk.CopyRows rows = new PgBulk.CopyRows();
    for (int i = 0; i < AWKWARD.length; i++) {
      rows.add(PgBulk.text(AT.plusSeconds(i))).add(kind).add("P100" + i + "-30").add(i % 2 == 0 ? null : AWKWARD[i])
          .add(AWKWARD[i]).add(i % 3 == 0 ? null : "DOCK-" + i).add("EDGE").add(AWKWARD[AWKWARD.length - 1 - i]).end();
    }
    for (int i = 0; i < filler; i++) {
      rows.add(PgBulk.text(AT)).add(kind).add("P9999-30").add(null).add("filler").add(null).add("API").add(null).end();
    }
    return rows;
  }

  private static List<String> read(HubDatabase db, String kind) {
    List<String> out = new ArrayList<>();
    for (Record r : db.dsl().fetch("select at, bag_code, parent_code, actor, dock, source, station from bag_event"
        + " where kind = ? order by id", kind)) {
      out.add(r.get(0, OffsetDateTime.class).toInstant() + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3) + "|" + r.get(4)
          + "|" + r.get(5) + "|" + r.get(6));
    }
    return out;
  }
}
