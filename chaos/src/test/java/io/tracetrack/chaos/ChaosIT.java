package io.tracetrack.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short chaos run CI makes: a real hub and two real docks for 20 s with an edge kill, a hub
 * kill and partitions, through the same entry point as {@code ./tracetrack chaos}. Quiet when it
 * passes; when it fails, the run's log and the tails of every process's log are in the message.
 */
class ChaosIT {

  /** A seed whose schedule has an edge kill, a hub kill and two partitions (see {@link Schedule}). */
  private static final long SEED = 14;

  @TempDir Path data;

  @Test
  void twoDocksUnderKillsAndPartitions_loseNothing_applyNothingTwice_andConverge() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = ChaosMain.run(new String[] {"--docks", "2", "--seconds", "20", "--seed", Long.toString(SEED),
        "--data", data.resolve("run").toString(), "--settle-seconds", "30"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String log = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(log).isZero();
    JsonNode report = Http.JSON.readTree(out.toString(StandardCharsets.UTF_8).strip());
    assertThat(report.get("faults").get("kills").asInt()).as(log).isPositive();
    assertThat(report.get("faults").get("hubKills").asInt()).as(log).isPositive();
    assertThat(report.get("faults").get("partitions").asInt()).as(log).isPositive();
    assertThat(report.get("acked").asInt()).as(log).isPositive();
    for (String zero : new String[] {"lostAcked", "appliedTwice", "overLimit", "diverged", "stuck"}) {
      assertThat(report.get(zero).asInt()).as(zero + "\n" + log).isZero();
    }
  }
}
