package io.tracetrack.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracetrack.hub.mail.SmtpSettings;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The deployment's zone and the end-of-day mail settings (kept apart from HubConfigTest: other settings grow there). */
class HubConfigMailTest {

  @Test
  void defaults_systemZone_noMail_mailAt2330() {
    HubConfig c = HubConfig.parse(new String[0], Map.of());
    assertThat(c.zone()).isEqualTo(ZoneId.systemDefault());
    assertThat(c.smtp()).isNull();
    assertThat(c.eodMailAt()).isEqualTo(LocalTime.of(23, 30));
  }

  @Test
  void smtp_fromFlagsAndEnvironment_passwordFromEnvironmentOnly_neverPrinted() {
    HubConfig c = HubConfig.parse(new String[] {"--smtp-host", "mail.example", "--smtp-user", "hub", "--zone", "Asia/Kolkata",
        "--eod-mail-at", "22:05"}, Map.of("HUB_SMTP_PASSWORD", "s3cret-value", "HUB_SMTP_FROM", "eod@example.com"));
    assertThat(c.zone()).isEqualTo(ZoneId.of("Asia/Kolkata"));
    assertThat(c.eodMailAt()).isEqualTo(LocalTime.of(22, 5));
    SmtpSettings smtp = c.smtp();
    assertThat(smtp.host()).isEqualTo("mail.example");
    assertThat(smtp.port()).isEqualTo(587);
    assertThat(smtp.tls()).isEqualTo(SmtpSettings.Tls.STARTTLS);
    assertThat(smtp.from()).isEqualTo("eod@example.com");
    assertThat(smtp.password()).isEqualTo("s3cret-value");
    assertThat(smtp.toString()).doesNotContain("s3cret-value");
    assertThat(c.toString()).doesNotContain("s3cret-value");
    assertThat(HubConfig.parse(new String[] {"--smtp-host", "m.example", "--smtp-tls", "tls"}, Map.of()).smtp().port())
        .isEqualTo(465);
    assertThat(HubConfig.parse(new String[] {"--smtp-host", "m.example"}, Map.of()).smtp().from()).isEqualTo("tracetrack@m.example");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "smtp password as flag|--smtp-password hunter2|environment",
      "unknown zone|--zone Mars/Olympus|--zone must be a time zone",
      "mail time not HH:MM|--eod-mail-at 11pm|--eod-mail-at must be a local time",
      "mail time out of range|--eod-mail-at 24:10|--eod-mail-at must be a local time",
      "smtp port without host|--smtp-port 25|HUB_SMTP_HOST",
      "smtp port out of range|--smtp-host m.example --smtp-port 0|between 1 and 65535",
      "unknown tls mode|--smtp-host m.example --smtp-tls maybe|starttls, tls or none",
      "sender not an address|--smtp-host m.example --smtp-from hub|--smtp-from must be an e-mail address",
      "a user without encryption|--smtp-host m.example --smtp-tls none --smtp-user eod|password would cross the network in clear",
  })
  void hostileMailSettings_areRefusedClearly(String name, String args, String message) {
    assertThatThrownBy(() -> HubConfig.parse(args.split(" "), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @org.junit.jupiter.api.Test
  void plaintextAuth_isTakenOnlyWhenAskedForByName() {
    var smtp = HubConfig.parse(new String[] {"--smtp-host", "relay.local", "--smtp-tls", "plaintext-auth", "--smtp-user",
        "eod"}, Map.of("HUB_SMTP_PASSWORD", "secret")).smtp();
    assertThat(smtp.tls()).isEqualTo(io.tracetrack.hub.mail.SmtpSettings.Tls.PLAINTEXT_AUTH);
    assertThat(smtp.port()).isEqualTo(25);
    assertThat(HubConfig.parse(new String[] {"--smtp-host", "relay.local", "--smtp-tls", "none"}, Map.of()).smtp().user())
        .isNull();
  }
}
