package io.tracetrack.edge.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.edge.sync.EdgeStatus;
import io.tracetrack.edge.TestEdge;
import io.tracetrack.model.BounceFilter;
import io.tracetrack.model.CodeGrammar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan path's hook for the sync worker: it runs after a scan is committed, and only then. */
class ScanNudgeTest {

  @TempDir Path dir;
  TestEdge edge;
  final AtomicInteger nudges = new AtomicInteger();
  ScanService scans;

  @BeforeEach
  void start() {
    edge = new TestEdge(dir);
    scans = new ScanService(edge.db, CodeGrammar.defaults(), edge.clock, BounceFilter.DEFAULT_WINDOW, Duration.ofMinutes(10),
        nudges::incrementAndGet);
  }

  @AfterEach
  void stop() {
    edge.close();
  }

  @Test
  void committedScans_nudgeOnceEach_afterTheOpIsInTheOutbox() {
    scans.scan("s1", "asha", "P1001-3");
    assertThat(nudges).hasValue(1);
    edge.clock.advance(Duration.ofSeconds(2));
    scans.scan("s1", "asha", "C1");
    assertThat(nudges).hasValue(2);
    assertThat(EdgeStatus.of(edge.db, edge.clock.instant()).pendingOps()).isEqualTo(2);
  }

  @Test
  void inputThatIsNotACode_orABounce_storesNothing_andDoesNotNudge() {
    scans.scan("s1", "asha", "not a code!");
    assertThat(nudges).hasValue(0);
    scans.scan("s1", "asha", "P1001-3");
    scans.scan("s1", "asha", "P1001-3"); // within the bounce window
    assertThat(nudges).hasValue(1);
  }
}
