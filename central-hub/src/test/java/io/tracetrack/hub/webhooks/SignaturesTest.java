package io.tracetrack.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Secrets and signatures as the Standard Webhooks specification has them. */
class SignaturesTest {

  @Test
  void theSpecificationsTestVector_isReproducedExactly() {
    // the vector every Standard Webhooks library verifies (standard-webhooks/standard-webhooks, libraries/*)
    assertThat(Signatures.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
        "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void aNewSecret_isWhsecAndBase64Of32RandomBytes_neverTheSameTwice() {
    String a = Signatures.newSecret();
    String b = Signatures.newSecret();
    assertThat(a).startsWith("whsec_").isNotEqualTo(b);
    assertThat(Base64.getDecoder().decode(a.substring("whsec_".length()))).hasSize(32);
  }

  @Test
  void anotherBody_idOrTimestamp_signsDifferently() {
    String secret = Signatures.newSecret();
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    String base = Signatures.sign(secret, "7", 1000, body);
    assertThat(Signatures.sign(secret, "8", 1000, body)).isNotEqualTo(base);
    assertThat(Signatures.sign(secret, "7", 1001, body)).isNotEqualTo(base);
    assertThat(Signatures.sign(secret, "7", 1000, "{ }".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(base);
    assertThat(Signatures.sign(Signatures.newSecret(), "7", 1000, body)).isNotEqualTo(base);
  }

  @Test
  void aSecretWithoutItsPrefix_isRefused() {
    assertThatThrownBy(() -> Signatures.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "1", 1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
