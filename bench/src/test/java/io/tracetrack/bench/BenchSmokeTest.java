package io.tracetrack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark harness working; asserts the report's shape, never a timing (figures come
 * only from real runs of {@code ./tracetrack bench edge}).
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
    BenchMain.main(new String[] {"edge", "--n", "60", "--dir", dir.resolve("data").toString(), "--out", out.toString()});
    assertThat(Files.readString(out).split("<!-- edge:begin -->", -1)).hasSize(2);
  }
}
