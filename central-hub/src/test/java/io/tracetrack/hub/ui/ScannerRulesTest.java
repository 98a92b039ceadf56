package io.tracetrack.hub.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pure rules of the hub's wedge-scanner module ({@code hub-web/scanner.js}: the bounce filter
 * and the scanner-burst test) under Node's own test runner, as a real process. Skipped, not
 * passed, where Node is not installed; the browser journey covers the module end to end anyway.
 */
class ScannerRulesTest {

  @Test
  void scannerRules_passUnderNode() throws Exception {
    assumeThat(onPath("node")).as("node on the PATH").isTrue();
    Path tests = Path.of("src/test/js/scanner.test.mjs").toAbsolutePath();
    Process node = new ProcessBuilder("node", "--test", tests.toString()).redirectErrorStream(true).start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    assertThat(output).contains("# pass 3").contains("# fail 0");
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
