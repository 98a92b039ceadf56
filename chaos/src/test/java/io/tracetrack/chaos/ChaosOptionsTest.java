package io.tracetrack.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChaosOptionsTest {

  @Test
  void allThreeRequiredFlags_parse() {
    ChaosOptions o = ChaosOptions.parse("--docks", "3", "--seconds", "60", "--seed", "-7");
    assertThat(o.docks()).isEqualTo(3);
    assertThat(o.seconds()).isEqualTo(60);
    assertThat(o.seed()).isEqualTo(-7);
    assertThat(o.data()).isNull();
  }

  @Test
  void aMissingOrBadFlag_isRefusedWithWhatWasWrong() {
    assertThatThrownBy(() -> ChaosOptions.parse("--docks", "2", "--seconds", "30")).hasMessageContaining("--seed");
    assertThatThrownBy(() -> ChaosOptions.parse("--docks", "0", "--seconds", "30", "--seed", "1")).hasMessageContaining("--docks");
    assertThatThrownBy(() -> ChaosOptions.parse("--docks", "x", "--seconds", "30", "--seed", "1")).hasMessageContaining("'x'");
    assertThatThrownBy(() -> ChaosOptions.parse("--docks", "2", "--seconds", "30", "--seed", "1", "--colour", "red"))
        .hasMessageContaining("--colour");
  }

  @Test
  void badFlags_exit64_withTheUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = ChaosMain.run(new String[] {"--docks", "2"}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).isEqualTo(64);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: ./tracetrack chaos");
  }

  @Test
  void theSameSeed_givesTheSameFaultsAndScans() {
    assertThat(Schedule.of(42, 4, 600)).isEqualTo(Schedule.of(42, 4, 600));
    assertThat(Schedule.of(42, 4, 600)).isNotEqualTo(Schedule.of(43, 4, 600));
    ScanScript a = new ScanScript(42, 1);
    ScanScript b = new ScanScript(42, 1);
    for (int i = 0; i < 500; i++) {
      assertThat(a.next()).isEqualTo(b.next());
    }
  }

  @Test
  void everyRunHasAKillAHubKillAndPartitions_andFaultsEndBeforeTheRunDoes() {
    for (long seed = 0; seed < 200; seed++) {
      Schedule s = Schedule.of(seed, 2, 20);
      assertThat(s.faults()).extracting(Schedule.Fault::kind).contains(Schedule.Kind.EDGE_KILL, Schedule.Kind.HUB_KILL,
          Schedule.Kind.PARTITION);
      assertThat(s.faults()).allMatch(f -> f.atMs() + f.durationMs() <= 20_000 * 85 / 100);
    }
  }
}
