package io.tracetrack.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EdgeConfigTest {

  @Test
  void noArguments_servesOnLoopbackWithDefaults() {
    EdgeConfig c = EdgeConfig.parse(new String[0], Map.of());
    assertThat(c.command()).isEqualTo("serve");
    assertThat(c.bind()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8081);
    assertThat(c.dataDir()).isEqualTo(Path.of("edge-data").toAbsolutePath());
    assertThat(c.bounceWindow()).isEqualTo(Duration.ofMillis(800));
    assertThat(c.idleReset()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void flagsWinOverEnvironment_environmentWinsOverDefaults() {
    EdgeConfig c = EdgeConfig.parse(new String[] {"--port", "9000", "--dock=D7"},
        Map.of("EDGE_PORT", "9100", "EDGE_BIND", "0.0.0.0", "EDGE_DATA", "/tmp/x"));
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.bind()).isEqualTo("0.0.0.0");
    assertThat(c.dock()).isEqualTo("D7");
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void scanCommand_takesStationAndUser() {
    EdgeConfig c = EdgeConfig.parse(new String[] {"scan", "--data", "/tmp/d", "--station", "t1", "--user", "asha"}, Map.of());
    assertThat(c.command()).isEqualTo("scan");
    assertThat(c.station()).isEqualTo("t1");
    assertThat(c.user()).isEqualTo("asha");
  }

  @Test
  void user_isStoredLowerCase() {
    assertThat(EdgeConfig.parse(new String[] {"scan", "--user", "Asha"}, Map.of()).user()).isEqualTo("asha");
  }

  @Test
  void allowedHosts_fromFlagOrEnvironment_defaultNone() {
    assertThat(EdgeConfig.parse(new String[0], Map.of()).allowedHosts()).isEmpty();
    assertThat(EdgeConfig.parse(new String[] {"--allowed-hosts", "Dock7.example,10.1.2.3"}, Map.of()).allowedHosts())
        .containsExactly("dock7.example", "10.1.2.3");
    assertThat(EdgeConfig.parse(new String[0], Map.of("EDGE_ALLOWED_HOSTS", "dock7.example")).allowedHosts())
        .containsExactly("dock7.example");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown flag|--colour red|Unknown options: '--colour', 'red'",
      "port not a number|--port eighty|must be a whole number",
      "port out of range|--port 70000|between 0 and 65535",
      "negative bounce|--bounce-ms -1|between",
      "flag without value|--port|Missing required parameter for option '--port'",
      "unknown command|frobnicate|Unmatched argument at index 0: 'frobnicate'",
      "bad regex|--child-pattern C[0-9|not a valid regular expression",
      "parent pattern without count|--parent-pattern P[0-9]+|(?<count>",
      "station with shell chars|scan --station a;rm|must be 1-64",
      "bind with shell chars|--bind $(reboot)|--bind must be",
      "user like a flag|scan --user -rf|starts with a letter or digit",
      "allowed host with port|--allowed-hosts dock7.example:80|--allowed-hosts",
      "allowed host wildcard|--allowed-hosts *.example|--allowed-hosts",
  })
  void hostileFlags_areRefusedWithAClearMessage(String name, String args, String message) {
    assertThatThrownBy(() -> EdgeConfig.parse(args.split(" "), Map.of()))
        .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining(message);
  }

  @Test
  void hostileEnvironmentValue_isRefusedAndEchoedSafely() {
    assertThatThrownBy(() -> EdgeConfig.parse(new String[0], Map.of("EDGE_PORT", "80\u001b[2J")))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("\\u001b")
        .hasMessageNotContaining("\u001b");
  }

  @Test
  void dataPathWithNul_isRefused() {
    assertThatThrownBy(() -> EdgeConfig.parse(new String[] {"--data", "a\u0000b"}, Map.of()))
        .isInstanceOf(StartupException.class);
  }

  @Test
  void stationWithSpaces_isRefused() {
    assertThatThrownBy(() -> EdgeConfig.parse(new String[] {"scan", "--station", "a; rm -rf /"}, Map.of()))
        .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining("must be 1-64");
  }

  @Test
  void help_listsEveryFlagWithItsEnvironmentVariable() {
    assertThat(EdgeCommandLine.parse(new String[] {"--help"}, Map.of())).isInstanceOf(io.tracetrack.web.cli.Cli.Parsed.Print.class);
    assertThat(((io.tracetrack.web.cli.Cli.Parsed.Print<EdgeConfig>) EdgeCommandLine.parse(new String[] {"serve", "--help"}, Map.of()))
        .text()).contains("--data", "EDGE_DATA", "--port", "EDGE_PORT", "--bind", "EDGE_BIND", "--dock", "EDGE_DOCK");
  }
}
