package io.tracetrack.sync.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checks bite: each deliberately broken variant of the protocol is caught by the invariants
 * within a few seeds. A simulator that passes everything proves nothing.
 */
class SimulatorCanFailTest {

  @ParameterizedTest(name = "{0}/{1} is caught by {2}")
  @CsvSource({
      // the hub forgets edge_progress: a resent op takes effect twice
      "NO_EXACTLY_ONCE, NONE, '(2) op '",
      // the hub's log positions are taken at begin, a reader paging by id > n skips late commits
      "LOG_POSITION_AT_BEGIN, NONE, '(3) '",
      // the dock drops an op the hub only held: a green scan is lost
      "NONE, FORGETS_HELD, '(5) scan '",
      // the hub decides as if no bill were finalized: a finalized parent changes
      "IGNORES_FINALIZED, NONE, '(4) '",
      // the hub lets a parent fill to the maximum whatever its count
      "NO_LIMIT_CHECK, NONE, '(1) hub'",
      // the hub sends user.v1 only to the user's new area: the old area's docks keep them
      "USERS_BY_NEW_AREA_ONLY, NONE, 'sign in, the hub'",
      // the dock counts ops answered in a lost reply as pending: the fleet view shows a false backlog
      "NONE, COUNTS_WHOLE_OUTBOX, 'fleet: '",
  })
  void aBrokenVariant_isCaughtWithinAFewSeeds(Hub.Flaw hubFlaw, Dock.Flaw dockFlaw, String invariant) {
    Simulation.Options broken = new Simulation.Options(hubFlaw, dockFlaw);
    Optional<Simulation.Failure> caught = Optional.empty();
    long seed = 1;
    for (; seed <= 60 && caught.isEmpty(); seed++) {
      try {
        Simulation.run(seed, broken);
      } catch (Simulation.Failure f) {
        caught = Optional.of(f);
      }
    }
    assertThat(caught).as("%s/%s caught within 60 seeds", hubFlaw, dockFlaw).isPresent();
    String message = caught.get().getMessage();
    System.out.println(hubFlaw + "/" + dockFlaw + " caught:\n" + message.lines().limit(4).reduce((a, b) -> a + "\n" + b).orElse(""));
    assertThat(message)
        .contains("convergence simulation, seed " + (seed - 1))
        .contains(invariant)
        .contains(Simulation.RERUN + (seed - 1))
        .contains("last steps:");
  }
}
