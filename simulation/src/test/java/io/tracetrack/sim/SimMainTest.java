package io.tracetrack.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The simulate command line: help exits 0, every bad flag 64 (before any seed runs). */
class SimMainTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "help|--help|0",
      "short help|-h|0",
      "unknown flag|--frobnicate|64",
      "no seeds|--seeds 0|64",
      "seed not a number|--seed x|64",
      "huge steps|--steps 99999999999999999999|64",
      "unknown fault kind|--faults nope|64",
      "missing value|--seeds|64",
  })
  void exitCodes(String name, String args, int exit) {
    assertThat(SimMain.run(args.split(" "))).isEqualTo(exit);
  }
}
