package io.tracetrack.hub.sync;

import io.tracetrack.hub.log.ChangeLog;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.ChangeEntry;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The feed never answers a page with a gap: a prune that runs between its cursor check and a read
 * (interposed here, deterministically, by a change log that prunes just before its first read) is
 * caught after the read.
 */
class ChangeFeedTest {

  private static final OffsetDateTime AT = OffsetDateTime.of(2025, 3, 1, 8, 0, 0, 0, ZoneOffset.UTC);
  private static final ChangeLog.Audience NORTH = new ChangeLog.Audience("DOCK-N", "NORTH");

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  /** A change log whose first audience read is preceded by a prune of everything but the newest entry. */
  private static final class PrunedUnderTheReader extends ChangeLog {
    private final AtomicBoolean pruned = new AtomicBoolean();

    PrunedUnderTheReader(HubDatabase db) {
      super(db);
    }

    @Override
    public Page read(long afterSeq, int limit, Audience audience) {
      if (pruned.compareAndSet(false, true)) {
        prune(AT.plusYears(1));
      }
      return super.read(afterSeq, limit, audience);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void changes_pruneBetweenTheCursorCheckAndTheRead_answersSnapshotRequired(String kind) throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C1"), entry("C2"), entry("C3"))));
      ChangeFeed feed = new ChangeFeed(new PrunedUnderTheReader(db));

      ChangeFeed.Result result = feed.changes(1, 10, 0, NORTH);

      assertThat(result).isEqualTo(new ChangeFeed.Result.SnapshotRequired(3, 3));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void changes_pruneThatLeavesTheCursorWhole_stillAnswersThePage(String kind) throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      db.transaction(tx -> ChangeLog.append(tx, List.of(entry("C1"), entry("C2"), entry("C3"))));
      ChangeFeed feed = new ChangeFeed(new PrunedUnderTheReader(db));

      ChangeFeed.Result result = feed.changes(2, 10, 0, NORTH);

      assertThat(result).isInstanceOfSatisfying(ChangeFeed.Result.Page.class, p ->
          assertThat(p.page().entries()).extracting(ChangeEntry::key).containsExactly("C3"));
    }
  }

  private static ChangeLog.Entry entry(String child) {
    return new ChangeLog.Entry(new Change.Link("P1001-3", child), AT, "test");
  }
}
