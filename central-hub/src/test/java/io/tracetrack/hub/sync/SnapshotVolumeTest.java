package io.tracetrack.hub.sync;

import io.tracetrack.hub.log.ChangeLog;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.db.HubDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A snapshot of 1.8M bags (the bootstrap target of issue #7) on PostgreSQL, streamed through gzip
 * into a counting sink: it must end with its End line and hold no more than a fetch's worth of rows
 * at a time. The time is printed, not asserted (a 2-core machine shared with other builds).
 * Run with {@code -Dtracetrack.volume=true}.
 */
@EnabledIfSystemProperty(named = "tracetrack.volume", matches = "true")
class SnapshotVolumeTest {

  @Test
  void snapshotOf1_8MillionBags_streamsToItsEnd() throws Exception {
    try (HubDatabase db = TestDatabases.fresh("postgresql", 4)) {
      // 360,000 parents of 4 children each: 1.8M bags
      db.dsl().execute("insert into bag (code, role, expected_count, limit_count, child_count, created_by, created_at) "
          + "select 'P' || g || '-4', 'PARENT', 4, 4, 4, 'bench', current_timestamp from generate_series(1, 360000) g");
      db.dsl().execute("insert into bag (code, role, limit_count, parent_code, created_by, created_at) "
          + "select 'C' || g, 'CHILD', 0, 'P' || ((g - 1) / 4 + 1) || '-4', 'bench', current_timestamp "
          + "from generate_series(1, 1440000) g");
      db.dsl().execute("analyze bag");
      for (boolean gzip : new boolean[] {false, true}) {
        Counting sink = new Counting();
        long start = System.nanoTime();
        try (OutputStream out = gzip ? new GZIPOutputStream(sink, 1 << 16) : sink) {
          new Snapshots(db).write(new ChangeLog.Audience("DOCK-1", "NORTH"), out);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(Locale.ROOT, "snapshot of 1.8M bags%s: %d ms, %.1f MB sent%n", gzip ? " (gzip)" : "", ms,
            sink.bytes / 1e6);
        if (!gzip) {
          assertThat(sink.lines).isEqualTo(1_800_000 + 2);
          assertThat(sink.tail()).contains("\"kind\":\"end\"");
        }
      }
    }
  }

  /** Counts bytes and lines and keeps the last line, nothing more. */
  private static final class Counting extends OutputStream {
    long bytes;
    long lines;
    private final ByteArrayOutputStream last = new ByteArrayOutputStream();
    private String tail = "";

    @Override
    public void write(int b) {
      bytes++;
      if (b == '\n') {
        lines++;
        tail = last.toString(StandardCharsets.UTF_8);
        last.reset();
      } else {
        last.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    String tail() {
      return tail;
    }
  }
}
