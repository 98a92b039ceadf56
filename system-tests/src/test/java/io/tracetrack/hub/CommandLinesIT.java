package io.tracetrack.hub;

import io.tracetrack.web.testing.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both apps' jars, as an operator meets their command lines: help exits 0, and a mistake exits 64
 * with one line of the same shape in the hub and the dock, {@code <app>: <problem> (see '<command> --help')}.
 */
class CommandLinesIT {

  record Run(int exit, String stdout, String stderr) {}

  static Run run(Path jar, Map<String, String> env, String... args) throws Exception {
    Path out = Files.createTempFile("cli", ".out");
    Path err = Files.createTempFile("cli", ".err");
    try {
      Process p = ChildJvm.start(jar, ChildJvm.refusedKind(List.of(args)), List.of(args), builder -> {
        builder.environment().keySet().removeIf(k -> k.startsWith("HUB_") || k.startsWith("EDGE_"));
        builder.environment().putAll(env);
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      });
      p.getOutputStream().close();
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("exited").isTrue();
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static Path jar(String app) throws IOException {
    return Path.of(System.getProperty(app.equals("hub") ? "hub.jar" : "edge.jar"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "hub|--help|Usage: central-hub",
      "hub|-h|Usage: central-hub",
      "hub|generate-completion --help|Usage: central-hub generate-completion",
      "edge|--help|Usage: edge-node",
      "edge|serve -h|Usage: edge-node serve",
  })
  void help_exit0(String app, String args, String usage) throws Exception {
    Run run = run(jar(app), Map.of(), args.split(" "));
    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(run.stdout()).startsWith(usage);
    assertThat(run.stderr()).isEmpty();
  }

  /** The tests' cheap password hashes never reach a real hub or dock: both refuse to start with the switch. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"hub", "edge"})
  void theTestsCheapHashSwitch_isRefusedByTheApps_exit78(String app) throws Exception {
    Run run = run(jar(app), Map.of("JAVA_TOOL_OPTIONS", "-Dtracetrack.test.cheap-password-hashes=true"), "--version-of-nothing");
    assertThat(run.exit()).as(run.stderr()).isEqualTo(78);
    assertThat(run.stderr()).contains("tracetrack.test.cheap-password-hashes is for the build's tests only");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "hub|--frobnicate|central-hub: Unknown option: '--frobnicate' (see 'central-hub --help')",
      "edge|--frobnicate|edge-node: Unknown option: '--frobnicate' (see 'edge-node serve --help')",
      "hub|--port=eighty|central-hub: --port must be a whole number: eighty (see 'central-hub --help')",
      "edge|--port=eighty|edge-node: --port must be a whole number: eighty (see 'edge-node serve --help')",
      "hub|--port=|central-hub: --port must be a whole number, not empty (see 'central-hub --help')",
      "edge|--port=|edge-node: --port must be a whole number, not empty (see 'edge-node serve --help')",
      "hub|--port=99999999999999999999|central-hub: --port must be between 0 and 65535: 99999999999999999999 (see 'central-hub --help')",
      "edge|--port=99999999999999999999|edge-node: --port must be between 0 and 65535: 99999999999999999999 (see 'edge-node serve --help')",
  })
  void mistake_exit64_oneLineOfTheSameShape(String app, String args, String line) throws Exception {
    Run run = run(jar(app), Map.of(), args.split(" "));
    assertThat(run.exit()).isEqualTo(64);
    assertThat(run.stderr()).isEqualTo(line + "\n");
  }

  @Test
  void variableSetsAFlag_andAFlagBeatsIt() throws Exception {
    Run fromEnv = run(jar("hub"), Map.of("HUB_SMTP_TLS", "tls"));
    assertThat(fromEnv.exit()).isEqualTo(64);
    assertThat(fromEnv.stderr()).contains("HUB_SMTP_TLS (--smtp-tls) is set but HUB_SMTP_HOST (--smtp-host) is not");
    Run badEnvGoodFlag = run(jar("hub"), Map.of("HUB_POOL_SIZE", "lots"), "--pool-size", "many");
    assertThat(badEnvGoodFlag.stderr()).as("the flag's value is the one checked")
        .isEqualTo("central-hub: --pool-size must be a whole number: many (see 'central-hub --help')\n");
  }
}
