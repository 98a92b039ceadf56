package io.tracetrack.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracetrack.web.cli.Cli;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The edge's command line as picocli reads it: help, mistakes, the environment behind flags. */
class EdgeCommandLineTest {

  static String printed(String... args) {
    return switch (EdgeCommandLine.parse(args, Map.of())) {
      case Cli.Parsed.Print<EdgeConfig> print -> print.text();
      case Cli.Parsed.Run<EdgeConfig> run -> throw new AssertionError("runs " + run.config().command());
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"serve", "scan", "users", "status", "enroll", "sync", "generate-completion"})
  void help_onEveryCommand_namesEachOfItsFlagsAndVariables(String command) {
    CommandLine cli = EdgeCommandLine.commandLine(Map.of()).getSubcommands().get(command);
    for (String help : List.of("--help", "-h")) {
      String text = printed(command, help);
      assertThat(text).startsWith("Usage: edge-node " + command);
      for (OptionSpec option : cli.getCommandSpec().options()) {
        assertThat(text).contains(option.longestName());
        Cli.variable(cli, option.longestName()).ifPresent(variable -> assertThat(text).contains(variable));
      }
    }
  }

  @Test
  void help_ofTheEdge_namesEveryCommand_andServeIsTheDefault() {
    assertThat(printed("--help")).contains("serve", "scan", "users", "status", "enroll", "sync", "generate-completion");
    assertThat(printed("--port", "9000", "--help")).startsWith("Usage: edge-node serve");
  }

  @Test
  void generateCompletion_printsABashScriptForEveryCommand() {
    assertThat(printed("generate-completion")).startsWith("#!/usr/bin/env bash")
        .contains("edge-node", "serve", "enroll", "--resnapshot", "--password-stdin");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "serve|serve --frobnicate",
      "scan|scan --frobnicate",
      "users|users list --frobnicate",
      "status|status --frobnicate",
      "enroll|enroll --frobnicate",
      "sync|sync --once --frobnicate",
  })
  void unknownFlag_onEveryCommand_exit64_namingTheFlagAndTheHelp(String command, String args) {
    assertThatThrownBy(() -> EdgeConfig.parse(args.split(" "), Map.of()))
        .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage("Unknown option: '--frobnicate' (see 'edge-node " + command + " --help')");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "serve|serve --busy-timeout-ms soon",
      "scan|scan --busy-timeout-ms soon",
      "users|users --busy-timeout-ms soon",
      "status|status --busy-timeout-ms soon",
      "enroll|enroll --busy-timeout-ms soon",
      "sync|sync --once --busy-timeout-ms soon",
  })
  void badValue_onEveryCommand_exit64_inTheSameShape(String command, String args) {
    assertThatThrownBy(() -> EdgeConfig.parse(args.split(" "), Map.of()))
        .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessage("--busy-timeout-ms must be a whole number: soon (see 'edge-node " + command + " --help')");
  }

  @Test
  void aFlagOfAnotherCommand_isRefused_notIgnored() {
    assertThatThrownBy(() -> EdgeConfig.parse(new String[] {"scan", "--port", "9000"}, Map.of()))
        .hasMessageStartingWith("Unknown options: '--port', '9000'");
    // before the command it would be serve's flag, and status would run on the default folder
    assertThatThrownBy(() -> EdgeConfig.parse(new String[] {"--data", "/tmp/x", "status"}, Map.of()))
        .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining("'status'");
  }

  @Test
  void environment_setsEachCommandsFlags_andAFlagWins() {
    Map<String, String> env = Map.of("EDGE_USER", "Asha", "EDGE_STATION", "t9", "EDGE_HUB", "https://hub.example/",
        "EDGE_ENROLLMENT_CODE", "abc-123", "EDGE_DATA", "/tmp/from-env");
    EdgeConfig scan = EdgeConfig.parse(new String[] {"scan"}, env);
    assertThat(scan.user()).isEqualTo("asha");
    assertThat(scan.station()).isEqualTo("t9");
    assertThat(scan.dataDir()).hasToString("/tmp/from-env");
    EdgeConfig enroll = EdgeConfig.parse(new String[] {"enroll", "--hub", "http://other.example:8080", "--data=/tmp/flag"}, env);
    assertThat(enroll.hub()).isEqualTo(URI.create("http://other.example:8080"));
    assertThat(enroll.enrollmentCode()).isEqualTo("abc-123");
    assertThat(enroll.dataDir()).hasToString("/tmp/flag");
  }

  @Test
  void aBadVariable_isNamed_andAFlagOverridesIt() {
    assertThatThrownBy(() -> EdgeConfig.parse(new String[0], Map.of("EDGE_PORT", "eighty")))
        .hasMessage("--port must be a whole number: eighty; set by EDGE_PORT (see 'edge-node serve --help')");
    assertThat(EdgeConfig.parse(new String[] {"--port", "0"}, Map.of("EDGE_PORT", "eighty")).port()).isZero();
  }

  @Test
  void usersActionAndName_reachTheConfig() {
    EdgeConfig add = EdgeConfig.parse(new String[] {"users", "add", "dina", "--password-stdin"}, Map.of());
    assertThat(add.arguments()).containsExactly("add", "dina");
    assertThat(add.passwordFromStdin()).isTrue();
    assertThat(EdgeConfig.parse(new String[] {"users"}, Map.of()).arguments()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "empty data|serve|--data=|--data must be a folder path",
      "empty port|serve|--port=|--port must be a whole number, not empty",
      "empty dock|status|--dock=|--dock must be 1-64",
      "empty user|scan|--user=|--user:",
      "empty hub|enroll|--hub=|--hub must be http(s)",
      "empty code|enroll|--code=|--code must be the enrolment code",
      "empty pattern|scan|--child-pattern=|code grammar:",
      "huge port|serve|--port=99999999999999999999999999999999|--port must be between 0 and 65535",
      "negative timeout|sync|--busy-timeout-ms=-5|--busy-timeout-ms must be between 0 and 600000",
      "unknown users action|users|frobnicate|users: unknown action 'frobnicate'",
      "too many names|users|add|Unmatched argument",
      "hub with user info|enroll|--hub=http://me:pw@hub.example|--hub must be http(s)",
      "code with spaces inside|enroll|--code=abc def|--code must be the enrolment code",
  })
  void hostileValues_exit64_withAClearMessage_neverAStackTrace(String name, String command, String arg, String message) {
    String[] args = command.equals("users") && arg.equals("add") ? new String[] {"users", "add", "a", "b"}
        : command.equals("sync") ? new String[] {"sync", "--once", arg} : new String[] {command, arg};
    assertThatThrownBy(() -> EdgeConfig.parse(args, Map.of()))
        .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining(message)
        .hasMessageEndingWith(" --help')")
        .hasMessageNotContaining("Exception")
        .hasMessageNotContaining("\tat ");
  }
}
