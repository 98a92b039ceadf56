package io.tracetrack.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostPolicyTest {

  private final HostPolicy dock = HostPolicy.loopbackAnd("127.0.0.1", List.of("dock7.example"));

  @Test
  void allows_loopbackWithAnyPort() {
    assertThat(dock.allows("localhost")).isTrue();
    assertThat(dock.allows("LocalHost:8081")).isTrue();
    assertThat(dock.allows("127.0.0.1:1")).isTrue();
    assertThat(dock.allows("[::1]:8081")).isTrue();
    assertThat(dock.allows("dock7.example.:8081")).isTrue();
  }

  @Test
  void refuses_foreignAndMalformed() {
    for (String h : List.of("evil.example", "evil.example:8081", "localhost.evil.example", "127.0.0.1.nip.io",
        "localhost:80x", "[::1", "[::1]x", "", "dock7.example.evil")) {
      assertThat(dock.allows(h)).as(h).isFalse();
    }
    assertThat(dock.allows(null)).isFalse();
  }

  @Test
  void any_allowsEverything() {
    assertThat(HostPolicy.any().allows("evil.example")).isTrue();
  }

  @Test
  void bindAddress_allowed() {
    assertThat(HostPolicy.loopbackAnd("192.168.7.2", List.of()).allows("192.168.7.2:8081")).isTrue();
  }

  @Test
  void parseList_namesAndAddresses() {
    assertThat(HostPolicy.parseList(" Dock7.Example , 10.0.0.5,[fe80::1]")).containsExactly("dock7.example", "10.0.0.5", "fe80::1");
    assertThat(HostPolicy.parseList("")).isEmpty();
  }

  @Test
  void parseList_portsAndWildcards_refused() {
    for (String bad : List.of("dock7:8081", "*.example", "a b", "dock7.example,", "http://x")) {
      assertThatThrownBy(() -> HostPolicy.parseList(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
