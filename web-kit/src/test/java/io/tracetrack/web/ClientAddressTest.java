package io.tracetrack.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressTest {

  /** Our proxies: the load balancer 10.0.0.5 and the ingress range 10.1.0.0/16, and one IPv6 range. */
  private static final TrustedProxies OURS = TrustedProxies.parse("10.0.0.5, 10.1.0.0/16, fd00:1::/32");

  private static String resolve(String peer, String... forwardedFor) {
    return ClientAddress.resolve(peer, List.of(forwardedFor), OURS);
  }

  @Nested
  class WithoutTrustedProxies {

    @Test
    void forwardedFor_isIgnored_evenFromAProxyAddress() {
      assertThat(ClientAddress.resolve("10.0.0.5", List.of("203.0.113.7"), TrustedProxies.none())).isEqualTo("10.0.0.5");
      assertThat(ClientAddress.resolve("127.0.0.1", List.of("203.0.113.7"), TrustedProxies.parse(""))).isEqualTo("127.0.0.1");
    }
  }

  @Nested
  class FromAnUntrustedPeer {

    @Test
    void forwardedFor_isIgnored_theClientCannotPickItsAddress() {
      assertThat(resolve("198.51.100.1", "203.0.113.7")).isEqualTo("198.51.100.1");
      assertThat(resolve("198.51.100.1", "10.0.0.5")).isEqualTo("198.51.100.1");
    }
  }

  /** Through our proxy at 10.0.0.5: forwarded-for values → the client address. */
  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', value = {
      // nothing forwarded: the proxy is all we know
      "''|10.0.0.5",
      "'   '|10.0.0.5",
      // the plain case, and with spaces
      "203.0.113.7|203.0.113.7",
      "' 203.0.113.7 '|203.0.113.7",
      // a spoofed left-most entry (written by the client) is never believed
      "6.6.6.6, 203.0.113.7|203.0.113.7",
      "127.0.0.1, 10.0.0.5, 203.0.113.7|203.0.113.7",
      // our own proxies in the chain are skipped
      "203.0.113.7, 10.1.2.3|203.0.113.7",
      "6.6.6.6, 203.0.113.7, 10.1.2.3, 10.0.0.5|203.0.113.7",
      // garbage stops the walk: the last trusted hop is used
      "203.0.113.7, garbage|10.0.0.5",
      "203.0.113.7, unknown, 10.1.2.3|10.1.2.3",
      "203.0.113.7,,10.1.2.3|10.1.2.3",
      "'203.0.113.7, '|10.0.0.5",
      "evil.example|10.0.0.5",
      "localhost|10.0.0.5",
      "256.1.1.1|10.0.0.5",
      "1.2.3|10.0.0.5",
      "010.0.0.1|10.0.0.5",
      "0x7f.0.0.1|10.0.0.5",
      "203.0.113.7/24|10.0.0.5",
      "fe80::1%eth0|10.0.0.5",
      "'203.0.113.7\u0000'|10.0.0.5",
      "[203.0.113.7]|10.0.0.5",
      "[::1|10.0.0.5",
      "[2001:db8::1]x|10.0.0.5",
      "203.0.113.7:http|10.0.0.5",
      "203.0.113.7:123456|10.0.0.5",
      ".:1|10.0.0.5",
      // ports, as some proxies write them
      "203.0.113.7:4711|203.0.113.7",
      "[2001:db8::1]:443|2001:db8:0:0:0:0:0:1",
      "[2001:db8::1]|2001:db8:0:0:0:0:0:1",
      // IPv6, canonical form, so one client is one key however it is spelled
      "2001:DB8:0::1|2001:db8:0:0:0:0:0:1",
      "2001:db8::1, fd00:1::9|2001:db8:0:0:0:0:0:1",
      // an IPv4-mapped IPv6 address is the IPv4 address
      "::ffff:203.0.113.7|203.0.113.7",
      "::ffff:10.1.2.3|10.1.2.3",
  })
  void throughOurProxy(String forwardedFor, String client) {
    assertThat(resolve("10.0.0.5", forwardedFor)).isEqualTo(client);
  }

  @Test
  void everyForwardedForHeader_countsInOrder_asIfCommaJoined() {
    assertThat(resolve("10.0.0.5", "6.6.6.6, 203.0.113.7", "10.1.0.9")).isEqualTo("203.0.113.7");
    assertThat(resolve("10.0.0.5", "203.0.113.7", "198.51.100.9")).isEqualTo("198.51.100.9");
    assertThat(resolve("10.0.0.5", "203.0.113.7", "garbage")).isEqualTo("10.0.0.5");
  }

  @Test
  void anIpv6Proxy_isTrustedByItsRange() {
    assertThat(resolve("fd00:1::2", "203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(resolve("fd00:2::2", "203.0.113.7")).isEqualTo("fd00:2:0:0:0:0:0:2");
  }

  @Test
  void aDualStackPeer_matchesIpv4Ranges() {
    assertThat(resolve("::ffff:10.0.0.5", "203.0.113.7")).isEqualTo("203.0.113.7");
  }

  @Test
  void aPeerThatIsNoAddress_isKeptAsGiven_andForwardedForIgnored() {
    assertThat(resolve("some-socket", "203.0.113.7")).isEqualTo("some-socket");
    assertThat(resolve(null, "203.0.113.7")).isNull();
  }

  @Test
  void tooManyHops_stopAtTheCap_onTheLastTrustedOne() {
    List<String> hops = new ArrayList<>(Collections.nCopies(ClientAddress.MAX_HOPS, "10.1.0.1"));
    hops.add(0, "203.0.113.7");
    assertThat(resolve("10.0.0.5", String.join(",", hops))).isEqualTo("10.1.0.1");
    hops.remove(1);
    assertThat(resolve("10.0.0.5", String.join(",", hops))).isEqualTo("203.0.113.7");
  }

  @Test
  void aHugeHeader_isWalkedOnlyFromTheRight() {
    String spoofed = "6.6.6.6,".repeat(50_000) + "203.0.113.7";
    assertThat(resolve("10.0.0.5", spoofed)).isEqualTo("203.0.113.7");
    List<String> manyHeaders = new ArrayList<>(Collections.nCopies(10_000, "6.6.6.6"));
    manyHeaders.add("203.0.113.7");
    assertThat(ClientAddress.resolve("10.0.0.5", manyHeaders, OURS)).isEqualTo("203.0.113.7");
  }

  @Nested
  class Parsing {

    @Test
    void addressesAndRanges() {
      TrustedProxies p = TrustedProxies.parse(" 127.0.0.1 ,::1, 10.0.0.0/8 , 2001:db8::/32, [fd00::1], 0.0.0.0/0");
      assertThat(p.ranges()).extracting(Object::toString).containsExactly("127.0.0.1/32", "0:0:0:0:0:0:0:1/128",
          "10.0.0.0/8", "2001:db8:0:0:0:0:0:0/32", "fd00:0:0:0:0:0:0:1/128", "0.0.0.0/0");
      assertThat(TrustedProxies.parse(null).isEmpty()).isTrue();
      assertThat(TrustedProxies.parse(" ").isEmpty()).isTrue();
    }

    @Test
    void rangeMatching_atPrefixEdges() {
      TrustedProxies p = TrustedProxies.parse("192.168.4.0/22, 2001:db8:8000::/33");
      assertThat(p.trusts(ClientAddress.literal("192.168.7.255").orElseThrow())).isTrue();
      assertThat(p.trusts(ClientAddress.literal("192.168.8.0").orElseThrow())).isFalse();
      assertThat(p.trusts(ClientAddress.literal("192.168.3.255").orElseThrow())).isFalse();
      assertThat(p.trusts(ClientAddress.literal("2001:db8:ffff::1").orElseThrow())).isTrue();
      assertThat(p.trusts(ClientAddress.literal("2001:db8:7fff::1").orElseThrow())).isFalse();
      assertThat(TrustedProxies.parse("0.0.0.0/0").trusts(ClientAddress.literal("::1").orElseThrow()))
          .as("an IPv4 range never holds an IPv6 address").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "proxy.example|not an IP address",
        "localhost|not an IP address",
        "10.0.0.5:8080|not an IP address",
        "10.0.0.0/33|prefix length must be 0-32",
        "::/129|prefix length must be 0-128",
        "10.0.0.0/-1|not a CIDR prefix",
        "10.0.0.0/|not a CIDR prefix",
        "10.0.0.0/8/8|not a CIDR prefix",
        "10.0.0.7/8|bits set after the prefix",
        "*|not an IP address",
        "10.0.0.5,|not an IP address",
        "fe80::1%eth0|not an IP address",
        "999.0.0.1|not an IP address",
    })
    void badEntries_areRefusedByName(String value, String message) {
      assertThatThrownBy(() -> TrustedProxies.parse(value)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(message);
    }
  }
}
