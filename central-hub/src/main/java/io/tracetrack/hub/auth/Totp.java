package io.tracetrack.hub.auth;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238) as every authenticator app reads them: HMAC-SHA1, 30-second
 * steps, 6 digits, base32 secrets. A code is accepted one step either side of now, because phones'
 * clocks drift and people type slowly; a step already used is refused, so a code cannot be replayed.
 * java-otp is used here and nowhere else.
 */
public final class Totp {

  public static final Duration STEP = Duration.ofSeconds(30);
  public static final int DIGITS = 6;
  /** Steps either side of now that still count. */
  public static final int WINDOW = 1;
  public static final String ISSUER = "TraceTrack";

  private static final Pattern CODE = Pattern.compile("[0-9]{6}");
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private final TimeBasedOneTimePasswordGenerator generator =
      new TimeBasedOneTimePasswordGenerator(STEP, DIGITS, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  public Totp(Clock clock) {
    this.clock = clock;
  }

  /** A new random 160-bit secret (RFC 4226's recommended length), base32 without padding. */
  public String newSecret() {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    return base32(bytes);
  }

  /** What an authenticator app scans: {@code otpauth://totp/TraceTrack:<user>?secret=…&issuer=TraceTrack}. */
  public static String provisioningUri(String username, String secret) {
    String label = URLEncoder.encode(ISSUER + ":" + username, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
    return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + ISSUER + "&algorithm=SHA1&digits=" + DIGITS
        + "&period=" + STEP.toSeconds();
  }

  /**
   * The step {@code code} belongs to, if it is right for now (± {@link #WINDOW}) and newer than
   * {@code lastUsedStep}; empty otherwise (wrong, malformed, or replayed).
   */
  public OptionalLong accept(String secret, String code, Long lastUsedStep) {
    if (secret == null || code == null || !CODE.matcher(code).matches()) {
      return OptionalLong.empty();
    }
    long now = step(clock.instant());
    for (long s = now - WINDOW; s <= now + WINDOW; s++) {
      if (lastUsedStep != null && s <= lastUsedStep) {
        continue;
      }
      if (java.security.MessageDigest.isEqual(code(secret, s).getBytes(StandardCharsets.US_ASCII),
          code.getBytes(StandardCharsets.US_ASCII))) {
        return OptionalLong.of(s);
      }
    }
    return OptionalLong.empty();
  }

  /** The code for {@code secret} at {@code at}: what the user's app shows (tests compute codes with it). */
  public String codeAt(String secret, Instant at) {
    return code(secret, step(at));
  }

  private String code(String secret, long step) {
    try {
      return generator.generateOneTimePasswordString(new SecretKeySpec(unbase32(secret), "HmacSHA1"),
          Instant.ofEpochSecond(step * STEP.toSeconds()), Locale.ROOT);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("a stored TOTP secret is not a usable key", e);
    }
  }

  private static long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), STEP.toSeconds());
  }

  static String base32(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  static byte[] unbase32(String text) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : text.toCharArray()) {
      int v = BASE32.indexOf(c);
      if (v < 0) {
        throw new IllegalArgumentException("not base32: " + c);
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }
}
