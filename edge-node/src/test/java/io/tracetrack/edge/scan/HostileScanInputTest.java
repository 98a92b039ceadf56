package io.tracetrack.edge.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.model.ErrorCode;
import io.tracetrack.edge.TestEdge;
import io.tracetrack.model.CodeGrammar;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input table of issue #2 on the scan path every entry point shares: each input gets a
 * clear rejection, nothing is stored, and the next scan works. The same table runs through the
 * HTTP endpoint and the terminal process in their own tests.
 */
class HostileScanInputTest {

  @TempDir Path dir;
  TestEdge edge;

  @BeforeEach
  void open() {
    edge = new TestEdge(dir);
    edge.scans.scan("s1", "asha", "P1-5");
    edge.clock.advance(Duration.ofSeconds(1));
  }

  @AfterEach
  void close() {
    edge.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.tracetrack.edge.HostileInputs#table")
  void hostileInput_isRejectedClearly_storesNothing_andTheNextScanWorks(String name, String input, String detail) {
    String before = edge.fingerprint();
    ScanResult r = edge.scans.scan("s1", "asha", input);
    assertThat(r.accepted()).isFalse();
    assertThat(r.reason()).isEqualTo(ErrorCode.INVALID_CODE);
    assertThat(r.detail()).hasToString(detail);
    assertThat(r.message()).isNotBlank().hasSizeLessThan(300);
    assertThat(r.parent()).as("the station stays on its parent").isEqualTo("P1-5");
    assertThat(edge.fingerprint()).isEqualTo(before);
    edge.clock.advance(Duration.ofSeconds(1));
    assertThat(edge.scans.scan("s1", "asha", "C42").accepted()).isTrue();
  }

  @Test
  void codeThatIsBothParentAndChildUnderAConfiguredGrammar_isAmbiguous_andStoresNothing(@TempDir Path other) {
    CodeGrammar loose = CodeGrammar.of("P[0-9]+-(?<count>[0-9]+)", "SB[0-9]{5}", "[A-Z0-9-]+", "[A-Z0-9]{6,20}");
    try (TestEdge looseEdge = new TestEdge(other, loose)) {
      String before = looseEdge.fingerprint();
      ScanResult r = looseEdge.scans.scan("s1", "asha", "P1-3");
      assertThat(r.reason()).isEqualTo(ErrorCode.INVALID_CODE);
      assertThat(r.detail()).hasToString("AMBIGUOUS");
      assertThat(looseEdge.fingerprint()).isEqualTo(before);
    }
  }

  @Test
  void commandTextsInOddCase_stillWork() {
    edge.scans.scan("s1", "asha", "c1");
    edge.clock.advance(Duration.ofSeconds(1));
    assertThat(edge.scans.scan("s1", "asha", "  cmd-undo\r").accepted()).isTrue();
  }
}
