package io.tracetrack.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the audit trail keeps of a client's address after the cut: its network, never a lookup. */
class AddressesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "203.0.113.77|203.0.113.0/24",
      "10.0.0.1|10.0.0.0/24",
      "010.001.002.003|10.1.2.0/24",
      "203.0.113.0/24|203.0.113.0/24",
      "2001:db8:85a3:8d3:1319:8a2e:370:7348|2001:db8:85a3::/48",
      "2001:DB8::1|2001:db8:0::/48",
      "::1|0:0:0::/48",
      "fe80::1%eth0|fe80:0:0::/48",
      "[2001:db8:1:2::9]|2001:db8:1::/48",
      "::ffff:198.51.100.7|198.51.100.0/24",
      "2001:db8:85a3::/48|2001:db8:85a3::/48",
      "256.1.1.1|?",
      "host.example|?",
      "1:2:3:4:5:6:7:8:9|?",
      "1::2::3|?",
      "10.0.0.1/24|?",
      "<script>|?",
  })
  void network_ofAnAddress(String address, String network) {
    assertThat(Addresses.network(address)).isEqualTo(network);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"203.0.113.77", "2001:db8::1"})
  void commit_bindsTheAddressToItsNonce(String address) {
    String nonce = Addresses.nonce();
    assertThat(nonce).hasSize(32).isNotEqualTo(Addresses.nonce());
    assertThat(Addresses.commit(address, nonce)).hasSize(64).isEqualTo(Addresses.commit(address, nonce))
        .isNotEqualTo(Addresses.commit(address, Addresses.nonce()))
        .isNotEqualTo(Addresses.commit(address + "1", nonce));
  }
}
