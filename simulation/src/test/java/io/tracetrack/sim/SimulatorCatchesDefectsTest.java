package io.tracetrack.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulation can fail: each defect of issue 14 is caught by the seeds recorded for it in
 * {@code issue14-defects.properties}, run with only the fault kinds that exercise it. While a
 * defect is open on this branch ({@code open=true}) one of its seeds must show its violation;
 * once fixed ({@code open=false}) the same seeds must hold every invariant. To check that a seed
 * still catches a defect put back on purpose, set its {@code open=true} again (or run with
 * {@code -Dsim.defectsOpen=1,2,...}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatorCatchesDefectsTest {

  private Runner.Workers workers;

  @BeforeAll
  void start() {
    workers = new Runner.Workers(false, 1);
  }

  @AfterAll
  void stop() {
    workers.close();
  }

  static Stream<Defects.Defect> defects() {
    String forced = System.getProperty("sim.defectsOpen", "");
    return Defects.load().all().stream().map(d -> forced.isBlank() ? d : new Defects.Defect(d.number(), d.title(),
        d.faults(), d.steps(), d.signature(), d.seeds(), d.open() || List.of(forced.split(",")).contains(Integer.toString(d.number()))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defects")
  void eachDefect_isCaughtByItsSeeds_whileOpen_andTheSameSeedsHold_onceFixed(Defects.Defect defect) {
    assertThat(defect.seeds()).as("%s has seeds recorded", defect).isNotEmpty();
    Simulation.Config config = new Simulation.Config(defect.faults(), defect.steps(), true);
    List<String> matching = new ArrayList<>();
    List<String> reports = new ArrayList<>();
    for (long seed : defect.seeds()) {
      Simulation.Result r = workers.one(seed, config);
      r.violations().stream().filter(defect::explains).forEach(v -> matching.add("seed " + seed + ": " + v));
      if (r.failed()) {
        reports.add(Runner.report(r));
      }
    }
    if (defect.open()) {
      assertThat(matching).as("%s is open: one of seeds %s must show /%s/", defect, defect.seeds(), defect.signature())
          .isNotEmpty();
    } else {
      assertThat(reports).as("%s is fixed: seeds %s must hold every invariant", defect, defect.seeds()).isEmpty();
    }
  }
}
