package io.tracetrack.hub.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook secrets and signatures as the Standard Webhooks specification has them, so that an
 * integrator's existing library verifies what the hub sends: a secret is {@code whsec_} + base64 of
 * the key; a delivery carries {@code webhook-id}, {@code webhook-timestamp} (seconds) and {@code
 * webhook-signature}, {@code v1,} + base64 of HMAC-SHA256 over {@code id.timestamp.body}.
 */
public final class Signatures {

  /** What every secret starts with. */
  public static final String PREFIX = "whsec_";
  /** Key bytes of a new secret (the specification asks for 24 to 64). */
  static final int KEY_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Signatures() {}

  /** A new random secret, {@code whsec_...}. */
  public static String newSecret() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The {@code webhook-signature} value of one attempt. */
  public static String sign(String secret, String id, long timestampSeconds, byte[] body) {
    if (!secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
    }
    byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is in every JDK", e);
    }
  }
}
