package io.tracetrack.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A seed is its own replay: run twice on the same hub, it takes the same steps to the byte. */
class DeterminismTest {

  @Test
  void aSeed_runTwiceWithEveryFault_takesTheSameStepsToTheByte() {
    try (Runner.Workers workers = new Runner.Workers(false, 1)) {
      for (long seed : new long[] {3, 7}) {
        Simulation.Result a = workers.one(seed, Simulation.Config.defaults());
        Simulation.Result b = workers.one(seed, Simulation.Config.defaults());
        assertThat(b.trace()).as("seed %d", seed).isEqualTo(a.trace());
        assertThat(b.violations()).isEqualTo(a.violations());
        assertThat(b.faults()).isEqualTo(a.faults());
        assertThat(a.trace()).as("seed %d did something", seed).hasSizeGreaterThan(Simulation.Config.DEFAULT_STEPS);
      }
    }
  }
}
