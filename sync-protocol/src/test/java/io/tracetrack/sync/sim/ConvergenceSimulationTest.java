package io.tracetrack.sync.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The convergence simulator over thousands of seeds (see {@link io.tracetrack.sync.sim}).
 * {@code -Dsim.runs=N} runs N seeds (default 2000), {@code -Dsim.seed=S} runs only seed S, {@code
 * -Dsim.from=F} starts the seeds at F (default 1), so CI can sweep new ground night after night.
 */
class ConvergenceSimulationTest {

  @Test
  void seededRuns_underPartitionsCrashesAndConflicts_convergeWithTheFiveInvariantsIntact() {
    String one = System.getProperty("sim.seed");
    if (one != null && !one.isBlank()) {
      Simulation.run(Long.parseLong(one.trim()), Simulation.Options.SOUND);
      return;
    }
    int runs = Integer.getInteger("sim.runs", 2000);
    long from = Long.getLong("sim.from", 1L);
    List<Simulation.Result> results = new ArrayList<>();
    List<Simulation.Failure> failures = new ArrayList<>();
    // seeds are independent runs: spread them over the cores, report the lowest failing seed
    LongStream.range(from, from + runs).parallel().forEach(seed -> {
      try {
        Simulation.Result r = Simulation.run(seed, Simulation.Options.SOUND);
        synchronized (results) {
          results.add(r);
        }
      } catch (Simulation.Failure f) {
        synchronized (failures) {
          failures.add(f);
        }
      }
    });
    if (!failures.isEmpty()) {
      failures.sort(Comparator.comparing(Throwable::getMessage));
      Simulation.Failure first = failures.getFirst();
      throw new AssertionError(failures.size() + " of " + runs + " seeds failed; the first:\n" + first.getMessage(),
          first);
    }
    Map<String, Integer> totals = new TreeMap<>();
    results.forEach(r -> r.counts().forEach((k, v) -> totals.merge(k, v, Integer::sum)));
    if (runs >= 500) {
      // the runs must have reached every case of the DESIGN conflict table, or they prove little
      assertThat(totals).as("what %d runs exercised", runs).containsKeys(
          "outcome.APPLIED", "outcome.DUPLICATE", "outcome.HELD",
          "outcome.REJECTED.CHILD_ALREADY_LINKED", "outcome.REJECTED.PARENT_COMPLETE",
          "outcome.REJECTED.STALE_UNLINK", "outcome.REJECTED.PARENT_FINALIZED",
          "pattern.same-child-two-parents", "pattern.past-limit", "pattern.unlink-vs-link",
          "pattern.same-parent-two-docks", "pattern.link-to-finalized",
          "crash.dock", "crash.hub", "net.drop", "net.duplicate", "net.stale-answer",
          "pull.snapshot-required", "snapshot.loaded", "snapshot.discarded",
          "resolve.MOVE", "resolve.KEEP", "resolve.DISMISS", "hub.finalize", "hub.prune", "hub.user");
    }
    System.out.println("convergence simulation: " + runs + " seeds from " + from + " passed; " + totals);
  }

  @Test
  void aSeed_runTwice_takesTheSameStepsToTheByte() {
    // re-running one seed is about that seed only
    assumeTrue(System.getProperty("sim.seed", "").isBlank(), "-Dsim.seed given");
    for (long seed = 1; seed <= 25; seed++) {
      Simulation.Result a = Simulation.run(seed, Simulation.Options.SOUND);
      Simulation.Result b = Simulation.run(seed, Simulation.Options.SOUND);
      assertThat(b.fingerprint()).as("seed %d", seed).isEqualTo(a.fingerprint());
      assertThat(b.counts()).isEqualTo(a.counts());
    }
  }
}
