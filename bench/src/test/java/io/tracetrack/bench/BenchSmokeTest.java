package io.tracetrack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark harness working; asserts the report's shape, never a timing (figures come
 * only from real runs of {@code ./tracetrack bench edge|sync}).
 */
class BenchSmokeTest {

  @TempDir Path dir;

  @Test
  void tinyRun_writesItsSection_andKeepsOthers() throws Exception {
    Path out = dir.resolve("BENCHMARKS.md");
    Files.writeString(out, "# Benchmarks\n\n<!-- hub:begin -->\nhub figures\n<!-- hub:end -->\n");
    BenchMain.main(new String[] {"edge", "--n", "60", "--dir", dir.resolve("data").toString(), "--out", out.toString()});
    String text = Files.readString(out);
    assertThat(text).contains("hub figures");
    assertThat(text).contains("<!-- edge:begin -->").contains("<!-- edge:end -->");
    assertThat(text).contains("raw SQLite single-row insert").contains("scan path in-process").contains("POST /api/scan");
    assertThat(text).contains("ratio to raw").contains("./tracetrack bench edge");
    // a second run replaces the section: what writeSection does with any section, checked without
    // running the bench again (a second edge process and its wrk rows proved nothing more)
    BenchMain.writeSection(out, "edge", "the next run's figures\n");
    String again = Files.readString(out);
    assertThat(again.split("<!-- edge:begin -->", -1)).hasSize(2);
    assertThat(again).contains("the next run's figures").doesNotContain("scan path in-process").contains("hub figures");
  }

  @Test
  void tinySyncRun_writesEveryPart_besideItsLimit() throws Exception {
    Path out = dir.resolve("BENCHMARKS.md");
    Files.writeString(out, "# Benchmarks\n\n<!-- edge:begin -->\nedge figures\n<!-- edge:end -->\n");
    // no peer: the test must not need node, npm or the network
    BenchMain.main(new String[] {"sync", "--docks", "2", "--batches", "1", "--scans", "300", "--peer-n", "0",
        "--latency-n", "3", "--parents", "50", "--dir", dir.resolve("sync").toString(), "--out", out.toString()});
    String text = Files.readString(out);
    assertThat(text).contains("edge figures").contains("<!-- sync:begin -->").contains("<!-- sync:end -->");
    assertThat(text).contains("raw PostgreSQL multi-row inserts").contains("ingest, all distinct")
        .contains("ingest, ~5% of links");
    assertThat(text).contains("### 2. Catch-up").contains("pull (sync --once)");
    assertThat(text).contains("snapshot stream alone").contains("sync: snapshot loaded");
    assertThat(text).contains("nothing (baseline, 10 s)").contains("catch-up pull of").contains("bootstrap of");
    assertThat(text).contains("visible on the hub").contains("known at dock B");
    assertThat(text).contains("Not run (`--peer-n 0`)");
  }

  @Test
  void tinyFleetRun_writesItsTable_andEveryDockEndsWithTheHubsBags() throws Exception {
    Path out = dir.resolve("BENCHMARKS.md");
    Files.writeString(out, "# Benchmarks\n\n<!-- edge:begin -->\nedge figures\n<!-- edge:end -->\n");
    BenchMain.main(new String[] {"fleet", "--docks", "3", "--seconds", "2", "--scan-every-ms", "200", "--warmup-seconds", "1",
        "--dir", dir.resolve("fleet").toString(), "--out", out.toString()});
    String text = Files.readString(out);
    assertThat(text).contains("edge figures").contains("<!-- fleet:begin -->").contains("<!-- fleet:end -->");
    assertThat(text).contains("push (one op, sent → answered)").contains("commit → every other dock")
        .contains("--warmup-seconds 1`").contains("| push during the 1 s warm-up");
    assertThat(text).contains("| docks whose replica ended equal to the hub's bags | 3 of 3 |");
    assertThat(text).contains("| errors (non-2xx answers and failed requests) | 0 |");
  }

  @Test
  void tinyRelayRun_writesBothTables_besideTheRawProducer() throws Exception {
    Path out = dir.resolve("BENCHMARKS.md");
    Files.writeString(out, "# Benchmarks\n\n<!-- fleet:begin -->\nfleet figures\n<!-- fleet:end -->\n");
    BenchMain.main(new String[] {"relay", "--events", "500", "--rate", "500", "--seconds", "1",
        "--dir", dir.resolve("relay").toString(), "--out", out.toString()});
    String text = Files.readString(out);
    assertThat(text).contains("fleet figures").contains("<!-- relay:begin -->").contains("<!-- relay:end -->");
    assertThat(text).contains("| raw producer, the same envelopes (built beforehand) | 500 |")
        .contains("| relay: read from the log, sent, acknowledged, position committed | 500 |");
    // every event the writers committed reached the reader: none missing, each counted once
    assertThat(text).contains("| relay: committed → read by a consumer | 500 |")
        .contains("| raw producer: sent → read by a consumer (the floor) | 500 |").doesNotContain("Not read within");
  }
}
