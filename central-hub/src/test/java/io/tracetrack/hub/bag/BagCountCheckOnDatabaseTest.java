package io.tracetrack.hub.bag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.auth.Principal;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.Role;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The bag table itself refuses a parent over its limit or below zero, on H2 and PostgreSQL. */
class BagCountCheckOnDatabaseTest {

  private static final Caller ADMIN = Caller.of(new Principal("admin", Role.ADMIN, null));

  static List<String> kinds() {
    return TestDatabases.kinds().toList();
  }

  private static long childCount(HubDatabase db, String code) {
    return ((Number) db.dsl().fetchValue("select child_count from bag where code = '" + code + "'")).longValue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void directUpdatePastTheLimit_orBelowZero_isRefused(String kind) {
    try (HubDatabase db = TestDatabases.fresh(kind, 2)) {
      BagService bags = new BagService(db, CodeGrammar.defaults(), new AuditLog(db, Clock.systemUTC()), Clock.systemUTC());
      assertThat(bags.create("P1-3", ADMIN)).isInstanceOf(BagService.Outcome.Applied.class);
      assertThat(db.dsl().execute("update bag set child_count = 3 where code = 'P1-3'")).isEqualTo(1);

      assertThatThrownBy(() -> db.dsl().execute("update bag set child_count = 4 where code = 'P1-3'"))
          .isInstanceOf(DataAccessException.class)
          .satisfies(e -> assertThat(e.getMessage().toLowerCase(Locale.ROOT)).contains("bag_child_count_within_limit"));
      assertThatThrownBy(() -> db.dsl().execute("update bag set child_count = -1 where code = 'P1-3'"))
          .isInstanceOf(DataAccessException.class)
          .satisfies(e -> assertThat(e.getMessage().toLowerCase(Locale.ROOT)).contains("bag_child_count_not_negative"));
      assertThat(childCount(db, "P1-3")).isEqualTo(3);
    }
  }
}
