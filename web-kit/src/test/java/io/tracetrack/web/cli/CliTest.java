package io.tracetrack.web.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class CliTest {

  /** A command as the apps declare theirs: text flags with variables, checked when the config is built. */
  @Command(name = "tool", subcommands = {Tool.Sub.class, AutoComplete.GenerateCompletion.class})
  static final class Tool {
    @Mixin Cli.HelpFlag help;

    @Option(names = "--port", description = "a port")
    @Env("TOOL_PORT")
    String port;

    @Option(names = "--name", description = "a name")
    @Env("TOOL_NAME")
    String name;

    @Command(name = "sub")
    static final class Sub {
      @Mixin Cli.HelpFlag help;

      @Option(names = "--depth")
      @Env("TOOL_DEPTH")
      String depth;
    }
  }

  record Config(int port, String name) {}

  static Cli.Parsed<Config> parse(Map<String, String> env, String... args) {
    return Cli.parse(Cli.commandLine(new Tool(), env, Map.of("TOOL_SECRET", "a secret (environment only)")), args, parsed ->
        switch (parsed.commandSpec().userObject()) {
          case Tool t -> new Config(Flags.wholeNumber("--port", t.port, 80, 1, 65_535), t.name);
          case Tool.Sub s -> new Config(Flags.wholeNumber("--depth", s.depth, 1, 1, 9), null);
          default -> throw new IllegalStateException();
        });
  }

  static Config run(Map<String, String> env, String... args) {
    return ((Cli.Parsed.Run<Config>) parse(env, args)).config();
  }

  @Nested
  class Precedence {
    @Test
    void nothingSet_defaults() {
      assertThat(run(Map.of())).isEqualTo(new Config(80, null));
    }

    @Test
    void variableSet_setsTheFlag() {
      assertThat(run(Map.of("TOOL_PORT", "8080", "TOOL_NAME", " dock-7 "))).isEqualTo(new Config(8080, "dock-7"));
    }

    @Test
    void flagAndVariableSet_flagWins() {
      assertThat(run(Map.of("TOOL_PORT", "8080"), "--port", "9090")).isEqualTo(new Config(9090, null));
      assertThat(run(Map.of("TOOL_PORT", "8080"), "--port=9091")).isEqualTo(new Config(9091, null));
    }

    @Test
    void blankVariable_isUnset() {
      assertThat(run(Map.of("TOOL_PORT", "  "))).isEqualTo(new Config(80, null));
    }

    @Test
    void badVariable_namedInTheMessage_butAGoodFlagOverridesIt() {
      assertThatThrownBy(() -> run(Map.of("TOOL_PORT", "eighty")))
          .isInstanceOf(UsageException.class)
          .hasMessage("--port must be a whole number: eighty; set by TOOL_PORT (see 'tool --help')");
      assertThat(run(Map.of("TOOL_PORT", "eighty"), "--port", "81").port()).isEqualTo(81);
    }

    @Test
    void flagGivenTwice_lastWins() {
      assertThat(run(Map.of(), "--port", "1", "--port", "2").port()).isEqualTo(2);
    }
  }

  @Nested
  class Mistakes {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown flag|--colour|Unknown option: '--colour' (see 'tool --help')",
        "unknown flag on a subcommand|sub --colour|Unknown option: '--colour' (see 'tool sub --help')",
        "missing value|--port|Missing required parameter for option '--port' (<port>) (see 'tool --help')",
        "not a number|--port=eighty|--port must be a whole number: eighty (see 'tool --help')",
        "empty|--port=|--port must be a whole number, not empty (see 'tool --help')",
        "too big for a long|--port=123456789012345678901234567890|--port must be between 1 and 65535: 123456789012345678901234567890 (see 'tool --help')",
        "out of range|sub --depth 10|--depth must be between 1 and 9: 10 (see 'tool sub --help')",
        "negative|--port=-1|--port must be between 1 and 65535: -1 (see 'tool --help')",
        "unknown command|frobnicate|Unmatched argument at index 0: 'frobnicate' (see 'tool --help')",
        "mistyped flag|--portt=9|Unknown option: '--portt=9'; did you mean --port? (see 'tool --help')",
    })
    void everyMistake_isAUsageException_inOneShape(String name, String args, String message) {
      assertThatThrownBy(() -> parse(Map.of(), args.split(" ")))
          .isInstanceOf(UsageException.class)
          .hasMessage(message);
    }

    @Test
    void controlCharacters_areEscaped_andLongValuesCut() {
      assertThatThrownBy(() -> parse(Map.of(), "--port", "8\u001b[2J"))
          .hasMessageContaining("\\u001b").hasMessageNotContaining("\u001b");
      assertThatThrownBy(() -> parse(Map.of(), "--" + "x".repeat(100_000)))
          .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.getMessage().length()).isLessThan(500));
      assertThatThrownBy(() -> parse(Map.of(), "--port", "9".repeat(1_000_000)))
          .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.getMessage()).contains("between 1 and 65535"));
    }
  }

  @Nested
  class Printing {
    @Test
    void help_onEveryCommand_namesItsFlagsAndTheirVariables() {
      String top = ((Cli.Parsed.Print<Config>) parse(Map.of(), "--help")).text();
      assertThat(top).contains("--port", "--name", "TOOL_PORT", "TOOL_NAME", "TOOL_SECRET", "a secret (environment only)", "sub");
      String sub = ((Cli.Parsed.Print<Config>) parse(Map.of(), "sub", "-h")).text();
      assertThat(sub).contains("--depth", "TOOL_DEPTH").doesNotContain("TOOL_SECRET");
    }

    @Test
    void help_winsOverAMistakeInAValue() {
      assertThat(parse(Map.of("TOOL_PORT", "eighty"), "--port", "0", "--help")).isInstanceOf(Cli.Parsed.Print.class);
    }

    @Test
    void generateCompletion_printsABashScript() {
      String script = ((Cli.Parsed.Print<Config>) parse(Map.of(), "generate-completion")).text();
      assertThat(script).startsWith("#!/usr/bin/env bash").contains("complete -F", "--depth", "sub");
    }

    @Test
    void variable_isReadFromTheAnnotation() {
      CommandLine cli = Cli.commandLine(new Tool(), Map.of(), Map.of());
      assertThat(Cli.variable(cli, "--port")).contains("TOOL_PORT");
      assertThat(Cli.variable(cli, "--help")).isEmpty();
    }
  }
}
