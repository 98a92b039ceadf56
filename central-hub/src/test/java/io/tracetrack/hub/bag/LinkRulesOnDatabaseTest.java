package io.tracetrack.hub.bag;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.auth.Principal;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.Role;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The link rules on real databases (H2 and PostgreSQL, each test on a fresh database), including
 * under concurrency: many requests at once, each its own transaction on its own connection.
 */
class LinkRulesOnDatabaseTest {

  private static final Caller ADMIN = Caller.of(new Principal("admin", Role.ADMIN, null));

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  private static <T> List<T> concurrently(int n, java.util.function.IntFunction<Callable<T>> task) throws Exception {
    return io.tracetrack.hub.Concurrently.run(n, task);
  }

  private static long count(HubDatabase db, String sql) {
    return ((Number) db.dsl().fetchValue(sql)).longValue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void fiftyConcurrentLinksToOneParent_neverExceedItsLimit(String kind) throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 60)) {
      BagService bags = new BagService(db, CodeGrammar.defaults(), new AuditLog(db, Clock.systemUTC()), Clock.systemUTC());
      assertThat(bags.create("SB50000", ADMIN)).isInstanceOf(BagService.Outcome.Applied.class);
      List<BagService.Outcome> outcomes = concurrently(50, i -> () -> bags.link("SB50000", "C5" + i, ADMIN));
      long applied = outcomes.stream().filter(o -> o instanceof BagService.Outcome.Applied).count();
      assertThat(applied).isEqualTo(30);
      assertThat(outcomes).filteredOn(o -> o instanceof BagService.Outcome.Rejected)
          .allSatisfy(o -> assertThat(((BagService.Outcome.Rejected) o).rejection().code().name()).isEqualTo("PARENT_FULL"));
      assertThat(count(db, "select child_count from bag where code = 'SB50000'")).isEqualTo(30);
      assertThat(count(db, "select count(*) from bag where parent_code = 'SB50000'")).isEqualTo(30);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void oneChildRacedOntoTwoParents_landsOnExactlyOne(String kind) throws Exception {
    try (HubDatabase db = TestDatabases.fresh(kind, 20)) {
      BagService bags = new BagService(db, CodeGrammar.defaults(), new AuditLog(db, Clock.systemUTC()), Clock.systemUTC());
      for (int round = 0; round < 10; round++) {
        String p1 = "P" + round + "1-5";
        String p2 = "P" + round + "2-5";
        bags.create(p1, ADMIN);
        bags.create(p2, ADMIN);
        String child = "C77" + round;
        List<BagService.Outcome> outcomes = concurrently(2, i -> () -> bags.link(i == 0 ? p1 : p2, child, ADMIN));
        assertThat(outcomes).filteredOn(o -> o instanceof BagService.Outcome.Applied).hasSize(1);
        BagService.Outcome.Rejected loser = (BagService.Outcome.Rejected) outcomes.stream()
            .filter(o -> o instanceof BagService.Outcome.Rejected).findFirst().orElseThrow();
        assertThat(loser.rejection().code().name()).isEqualTo("CHILD_ALREADY_LINKED");
        assertThat(count(db, "select count(*) from bag where code = '" + child + "' and parent_code is not null")).isEqualTo(1);
        assertThat(count(db, "select child_count from bag where code = '" + p1 + "'")
            + count(db, "select child_count from bag where code = '" + p2 + "'")).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void linksUnlinksAndRefusals_followTheSharedRules(String kind) {
    try (HubDatabase db = TestDatabases.fresh(kind, 5)) {
      BagService bags = new BagService(db, CodeGrammar.defaults(), new AuditLog(db, Clock.systemUTC()), Clock.systemUTC());
      bags.create("P1001-3", ADMIN);
      for (String c : List.of("C1", "C2", "C3")) {
        assertThat(bags.link("P1001-3", c, ADMIN)).isInstanceOf(BagService.Outcome.Applied.class);
      }
      assertThat(reason(bags.link("P1001-3", "C4", ADMIN))).isEqualTo("PARENT_COMPLETE");
      assertThat(reason(bags.link("P1001-3", "C1", ADMIN))).isEqualTo("DUPLICATE");
      bags.create("P2-5", ADMIN);
      assertThat(reason(bags.link("P2-5", "C1", ADMIN))).isEqualTo("CHILD_ALREADY_LINKED");
      assertThat(reason(bags.link("P2-5", "P1001-3", ADMIN))).isEqualTo("CODE_IS_PARENT");
      assertThat(reason(bags.link("P404-5", "C9", ADMIN))).isEqualTo("UNKNOWN_PARENT");
      assertThat(reason(bags.link("P2-5", "<script>", ADMIN))).isEqualTo("INVALID_CODE");
      assertThat(reason(bags.unlink("C1", "P2-5", ADMIN))).isEqualTo("STALE_UNLINK");
      assertThat(bags.unlink("C3", "P1001-3", ADMIN)).isInstanceOf(BagService.Outcome.Applied.class);
      BagView after = bags.get("P1001-3", ADMIN).orElseThrow();
      assertThat(after.childCount()).isEqualTo(2);
      assertThat(after.complete()).isFalse();
      assertThat(after.children()).containsExactly("C1", "C2");
      assertThat(after.history()).extracting(BagView.Event::kind).contains("LINK", "UNLINK", "CREATE_PARENT");
      assertThat(bags.link("P1001-3", "C4", ADMIN)).isInstanceOf(BagService.Outcome.Applied.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void dispatchers_seeAndChangeOnlyTheirArea(String kind) {
    try (HubDatabase db = TestDatabases.fresh(kind, 5)) {
      db.dsl().execute("insert into area (id, name, created_at) values ('NORTH', 'North', current_timestamp), ('SOUTH', 'South', current_timestamp)");
      BagService bags = new BagService(db, CodeGrammar.defaults(), new AuditLog(db, Clock.systemUTC()), Clock.systemUTC());
      Caller north = Caller.of(new Principal("nina", Role.DISPATCHER, "NORTH"));
      Caller south = Caller.of(new Principal("sam", Role.DISPATCHER, "SOUTH"));
      assertThat(bags.create("P9-5", north)).isInstanceOf(BagService.Outcome.Applied.class);
      assertThat(bags.get("P9-5", north)).isPresent();
      assertThat(bags.get("P9-5", south)).isEmpty();
      assertThat(reason(bags.link("P9-5", "C90", south))).isEqualTo("UNKNOWN_PARENT");
      assertThat(bags.link("P9-5", "C90", north)).isInstanceOf(BagService.Outcome.Applied.class);
      assertThat(bags.get("P9-5", ADMIN)).isPresent();
    }
  }

  private static String reason(BagService.Outcome outcome) {
    assertThat(outcome).isInstanceOf(BagService.Outcome.Rejected.class);
    return ((BagService.Outcome.Rejected) outcome).rejection().code().name();
  }
}
