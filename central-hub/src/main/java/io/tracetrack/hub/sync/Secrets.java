package io.tracetrack.hub.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Enrolment codes and device credentials: random, shown once, stored only as a hash. Both carry
 * at least 128 bits from {@link SecureRandom}, far beyond guessing (the enrol route is rate-limited
 * on top), so an unsalted SHA-256 is enough to keep a database dump from being usable, and it lets
 * the hub find the row by the secret in one indexed lookup.
 */
final class Secrets {

  /** 18 bytes = 144 bits, 24 base64url characters: short enough to type from a printout. */
  static final int CODE_BYTES = 18;
  /** 32 bytes = 256 bits, 43 base64url characters: only machines handle it. */
  static final int CREDENTIAL_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  static String code() {
    return random(CODE_BYTES);
  }

  static String credential() {
    return random(CREDENTIAL_BYTES);
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** SHA-256 of the secret, lower-case hex: what the database holds. */
  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
