package io.tracetrack.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracetrack.web.cli.Cli;
import io.tracetrack.web.cli.UsageException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The hub's command line as picocli reads it: help, mistakes, the environment behind flags. */
class HubCommandLineTest {

  static String printed(String... args) {
    return switch (HubCommandLine.parse(args, Map.of())) {
      case Cli.Parsed.Print<HubConfig> print -> print.text();
      case Cli.Parsed.Run<HubConfig> run -> throw new AssertionError("runs");
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  void help_namesEveryFlagAndVariable_andTheSecretsWithoutAFlag(String help) {
    CommandLine cli = HubCommandLine.commandLine(Map.of());
    String text = printed(help);
    assertThat(text).startsWith("Usage: central-hub");
    for (OptionSpec option : cli.getCommandSpec().options()) {
      if (!option.hidden()) {
        assertThat(text).contains(option.longestName());
        Cli.variable(cli, option.longestName()).ifPresent(variable -> assertThat(text).contains(variable));
      }
    }
    assertThat(text).contains("HUB_DB_PASSWORD", "HUB_ADMIN_PASSWORD", "HUB_JWT_SECRET", "HUB_SMTP_PASSWORD", "generate-completion")
        .as("a secret has no flag to show").doesNotContain("--db-password", "--jwt-secret");
  }

  @Test
  void help_ofGenerateCompletion_andTheScript() {
    assertThat(printed("generate-completion", "--help")).startsWith("Usage: central-hub generate-completion");
    assertThat(printed("generate-completion")).startsWith("#!/usr/bin/env bash").contains("central-hub", "--smtp-tls", "plaintext-auth");
  }

  @Test
  void help_winsOverBadValues() {
    assertThat(printed("--port", "http", "--help")).startsWith("Usage: central-hub");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown flag|--frobnicate|Unknown option: '--frobnicate' (see 'central-hub --help')",
      "unknown flag on completion|generate-completion --frobnicate|Unknown option: '--frobnicate' (see 'central-hub generate-completion --help')",
      "bad value|--pool-size lots|--pool-size must be a whole number: lots (see 'central-hub --help')",
      "unknown command|serve|Unmatched argument at index 0: 'serve' (see 'central-hub --help')",
  })
  void mistakes_exit64_inTheEdgesShape(String name, String args, String message) {
    assertThatThrownBy(() -> HubCommandLine.parse(args.split(" "), Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessage(message);
  }

  @Test
  void environment_setsFlags_aFlagWins_andABadVariableIsNamed() {
    Map<String, String> env = Map.of("HUB_SESSION_IDLE_MINUTES", "45", "HUB_POOL_SIZE", "7", "HUB_BIND", " 127.0.0.1 ");
    HubConfig c = HubConfig.parse(new String[] {"--pool-size", "9"}, env);
    assertThat(c.sessionIdle()).isEqualTo(Duration.ofMinutes(45));
    assertThat(c.dockSilentAfter()).as("the default").isEqualTo(Duration.ofMinutes(5));
    assertThat(c.auditAddressRetention()).as("the default").isEqualTo(Duration.ofDays(90));
    assertThat(HubConfig.parse(new String[0], Map.of("HUB_DOCK_SILENT_MINUTES", "12")).dockSilentAfter())
        .isEqualTo(Duration.ofMinutes(12));
    assertThat(c.poolSize()).isEqualTo(9);
    assertThat(c.bind()).as("a stray space in an env file is not meant").isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> HubConfig.parse(new String[0], Map.of("HUB_PORT", "http")))
        .hasMessage("--port must be a whole number: http; set by HUB_PORT (see 'central-hub --help')");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "db password|--db-password|HUB_DB_PASSWORD",
      "admin password|--admin-password=hunter2|HUB_ADMIN_PASSWORD",
      "token key|--jwt-secret hunter2|HUB_JWT_SECRET",
      "mail password|--smtp-password=hunter2|HUB_SMTP_PASSWORD",
  })
  void aSecretAsAFlag_isRefused_withoutEchoingIt(String name, String args, String variable) {
    assertThatThrownBy(() -> HubConfig.parse(args.split(" "), Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("is a secret: pass it in the environment (" + variable + ")")
        .hasMessageNotContaining("hunter2");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "empty port|--port=|--port must be a whole number, not empty",
      "empty data|--data=|--data must be a folder path",
      "empty db|--db=|--db must be postgres or h2",
      "empty zone|--zone=|--zone must be a time zone",
      "huge pool|--pool-size=123456789012345678901234567890|--pool-size must be between 2 and 500",
      "huge session|--session-max-hours=4294967296|--session-max-hours must be between 1 and 168",
      "unknown tls mode|--smtp-host=m.example --smtp-tls=STARTSSL|--smtp-tls must be starttls, tls or none",
      "unknown db|--db=oracle|--db must be postgres or h2",
      "tls mode without host|--smtp-tls=tls|HUB_SMTP_HOST (--smtp-host) is not",
      "session shorter than idle|--session-idle-minutes=120 --session-max-hours=1|--session-max-hours must be at least",
      "control characters|--zone=\u001b[2J|--zone must be a time zone",
      "silent after no time|--dock-silent-minutes=0|--dock-silent-minutes must be between 1 and 1440",
      "addresses kept no time|--audit-address-days=0|--audit-address-days must be between 1 and 3650",
  })
  void hostileValues_exit64_withAClearMessage_neverAStackTrace(String name, String args, String message) {
    assertThatThrownBy(() -> HubConfig.parse(args.split(" "), Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(message)
        .hasMessageEndingWith("(see 'central-hub --help')")
        .hasMessageNotContaining("\u001b")
        .hasMessageNotContaining("Exception");
  }

  @Test
  void everyFlagHasItsVariable_underTheNamesTheDeployFilesUse() {
    CommandLine cli = HubCommandLine.commandLine(Map.of());
    assertThat(List.of("--port", "--bind", "--data", "--db", "--db-url", "--db-user", "--token-minutes", "--pool-size",
        "--db-cores", "--db-queue-timeout", "--allowed-hosts", "--trusted-proxies", "--change-log-retention", "--session-idle-minutes",
        "--session-max-hours", "--zone", "--smtp-host", "--smtp-port", "--smtp-user", "--smtp-from", "--smtp-tls", "--eod-mail-at",
            "--dock-silent-minutes", "--audit-address-days")
        .stream().map(flag -> Cli.variable(cli, flag).orElse("none")).toList())
        .containsExactly("HUB_PORT", "HUB_BIND", "HUB_DATA", "HUB_DB", "HUB_DB_URL", "HUB_DB_USER", "HUB_TOKEN_MINUTES",
            "HUB_POOL_SIZE", "HUB_DB_CORES", "HUB_DB_QUEUE_TIMEOUT", "HUB_ALLOWED_HOSTS", "HUB_TRUSTED_PROXIES", "HUB_CHANGE_LOG_RETENTION_DAYS",
            "HUB_SESSION_IDLE_MINUTES", "HUB_SESSION_MAX_HOURS", "HUB_ZONE", "HUB_SMTP_HOST", "HUB_SMTP_PORT", "HUB_SMTP_USER",
            "HUB_SMTP_FROM", "HUB_SMTP_TLS", "HUB_EOD_MAIL_AT", "HUB_DOCK_SILENT_MINUTES",
            "HUB_AUDIT_ADDRESS_DAYS");
  }
}
