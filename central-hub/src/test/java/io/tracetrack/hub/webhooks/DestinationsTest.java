package io.tracetrack.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.model.ErrorCode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Where a webhook may send: hostile URLs, internal addresses, the allow-list, and a name that rebinds. */
class DestinationsTest {

  /** DNS is outside the system: names resolve as this table says (the machine has no DNS anyway). */
  static final AtomicReference<String> PUBLIC_NAME_AT = new AtomicReference<>("93.184.216.34");

  static InetAddress[] resolve(String host) throws UnknownHostException {
    return switch (host) {
      case "hooks.example.com" -> new InetAddress[] {InetAddress.getByName(PUBLIC_NAME_AT.get())};
      case "localhost" -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
      case "erp.internal" -> new InetAddress[] {InetAddress.getByName("10.1.2.3")};
      case "split.example.com" -> new InetAddress[] {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("192.168.1.9")};
      default -> {
        if (host.matches("[0-9.]+|.*:.*")) {
          yield new InetAddress[] {InetAddress.getByName(host)}; // a literal: no lookup
        }
        throw new UnknownHostException(host);
      }
    };
  }

  final Destinations none = new Destinations(List.of(), DestinationsTest::resolve);
  final Destinations internalAllowed = new Destinations(List.of("erp.internal", "127.0.0.1"), DestinationsTest::resolve);

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "file:///etc/passwd", "ftp://hooks.example.com/x", "gopher://hooks.example.com/",
      "javascript:alert(1)", "mailto:ops@example.com", "/api/hook", "hooks.example.com/hook",
      "https://user:pass@hooks.example.com/hook", "https://user@hooks.example.com/hook", "https:///nohost",
      "https://hooks.example.com/a b", "https://hooks.example.com/\u0000", "https://hooks.example.com/#frag",
      "https://under_score.example.com/", "http://[::1/", "https://no-such-host.invalid/hook", "http:hooks.example.com"})
  void hostileOrBrokenUrls_areInvalid(String url) {
    assertThat(none.check(url)).isInstanceOfSatisfying(Destinations.Verdict.Refused.class,
        r -> assertThat(r.code()).as(r.reason()).isEqualTo(ErrorCode.WEBHOOK_URL_INVALID));
  }

  @Test
  void anOverLongUrl_isInvalid() {
    String url = "https://hooks.example.com/" + "a".repeat(Destinations.MAX_URL);
    assertThat(none.check(url)).isInstanceOfSatisfying(Destinations.Verdict.Refused.class,
        r -> assertThat(r.reason()).contains("at most 2000"));
    assertThat(none.check(null)).isInstanceOf(Destinations.Verdict.Refused.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.0.0.5/", "http://172.16.3.4/",
      "http://192.168.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[fd00::1]/",
      "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/", "http://100.64.0.1/",
      "http://0.0.0.0/", "http://0.1.2.3/", "http://224.0.0.1/", "http://erp.internal/hook", "http://split.example.com/",
      "http://2130706433/", "http://0x7f.1/"})
  void internalAddresses_areNotAllowed_unlessNamed(String url) {
    Destinations.Verdict v = none.check(url);
    if (v instanceof Destinations.Verdict.Refused r && r.code() == ErrorCode.WEBHOOK_URL_INVALID) {
      // a numeric host Java's resolver does not take as an address is no host at all: refused either way
      assertThat(url).containsAnyOf("2130706433", "0x7f");
      return;
    }
    assertThat(v).isInstanceOfSatisfying(Destinations.Verdict.Refused.class,
        r -> assertThat(r.code()).as(r.reason()).isEqualTo(ErrorCode.WEBHOOK_HOST_NOT_ALLOWED));
  }

  @Test
  void publicHosts_needNoNaming_andNamedInternalHostsAreAllowed() {
    assertThat(none.check("https://hooks.example.com/tracetrack?x=1")).isInstanceOf(Destinations.Verdict.Allowed.class);
    assertThat(none.check("http://93.184.216.34:8443/hook")).isInstanceOf(Destinations.Verdict.Allowed.class);
    assertThat(internalAllowed.check("http://ERP.internal/hook")).isInstanceOf(Destinations.Verdict.Allowed.class);
    assertThat(internalAllowed.check("http://127.0.0.1:9999/hook")).isInstanceOf(Destinations.Verdict.Allowed.class);
    // named by address, not by the name that resolves to it
    assertThat(internalAllowed.check("http://localhost:9999/hook")).isInstanceOf(Destinations.Verdict.Refused.class);
  }

  @Test
  void aNameThatRebindsToLoopback_isRefusedAtTheNextCheck() {
    try {
      assertThat(none.check("https://hooks.example.com/hook")).isInstanceOf(Destinations.Verdict.Allowed.class);
      PUBLIC_NAME_AT.set("127.0.0.1");
      assertThat(none.check("https://hooks.example.com/hook")).isInstanceOfSatisfying(Destinations.Verdict.Refused.class,
          r -> assertThat(r.reason()).contains("127.0.0.1").contains("loopback"));
    } finally {
      PUBLIC_NAME_AT.set("93.184.216.34");
    }
  }
}
