package io.tracetrack.hub.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tracetrack.model.Role;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues and verifies access tokens: HS256 JWTs with issuer, audience, subject, role, area, issue
 * time, not-before, a short expiry, an id ({@code jti}, so one token can be signed out), the stamp
 * of the password it was signed in with ({@code pwv}) and the account's token epoch ({@code tep},
 * so "sign out everywhere" ends them all). Verification accepts exactly that: a token with another
 * algorithm (including {@code none}), another key, another audience or issuer, outside its validity,
 * or without any of the three revocation claims is refused — a token that cannot be revoked is no
 * token.
 */
public final class Tokens {

  public static final String ISSUER = "tracetrack-hub";
  public static final String AUDIENCE = "tracetrack-api";
  /** Tolerated difference between clocks when checking expiry and not-before. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private final byte[] key;
  private final Clock clock;
  private final Duration lifetime;

  public Tokens(byte[] key, Clock clock, Duration lifetime) {
    if (key.length < 32) {
      throw new IllegalArgumentException("the token key must be at least 256 bits");
    }
    this.key = key.clone();
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** An issued token and when it stops being valid. */
  public record Issued(String token, Instant expiresAt) {}

  /**
   * @param passwordStamp the account's password stamp (see {@link AccountCheck#stamp}); required
   * @param epoch the account's token epoch; a later "sign out everywhere" raises it
   */
  public Issued issue(Principal principal, String passwordStamp, int epoch) {
    return issue(principal, passwordStamp, epoch, null, lifetime);
  }

  /**
   * A browser session's token: the same claims plus when the session began ({@code sst}), so a
   * session kept alive by refreshes still ends at its maximum age, and its own (idle) lifetime.
   */
  public Issued issueSession(Principal principal, String passwordStamp, int epoch, Instant sessionStart, Duration idle) {
    Objects.requireNonNull(sessionStart, "sessionStart");
    return issue(principal, passwordStamp, epoch, sessionStart, idle);
  }

  private Issued issue(Principal principal, String passwordStamp, int epoch, Instant sessionStart, Duration lifetime) {
    Objects.requireNonNull(principal, "principal");
    if (passwordStamp == null || passwordStamp.isBlank()) {
      throw new IllegalArgumentException("a token needs the password stamp of the account it speaks for");
    }
    Instant now = clock.instant();
    Instant expires = now.plus(lifetime);
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(principal.username())
        .claim("role", principal.role().name())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(expires))
        .jwtID(UUID.randomUUID().toString());
    if (principal.area() != null) {
      claims.claim("area", principal.area());
    }
    claims.claim("pwv", passwordStamp);
    claims.claim("tep", epoch);
    if (sessionStart != null) {
      claims.claim("sst", sessionStart.getEpochSecond());
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    try {
      jwt.sign(new MACSigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return new Issued(jwt.serialize(), expires);
  }

  /** The principal a token stands for, if it is valid now. */
  public Optional<Principal> verify(String token) {
    return verifyStamped(token).map(Stamped::principal);
  }

  /**
   * A valid token: whom it speaks for and what can revoke it.
   *
   * @param id the token's {@code jti}, what a sign-out records
   * @param passwordStamp the stamp of the password it was signed in with
   * @param epoch the account's token epoch when it was issued
   * @param expiresAt when it stops being valid anyway
   * @param sessionStart when the browser session it belongs to began; {@code null} for an API token
   */
  public record Stamped(Principal principal, String id, String passwordStamp, int epoch, Instant expiresAt,
      Instant sessionStart) {
    public Stamped {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(passwordStamp, "passwordStamp");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  /**
   * The CSRF token of a browser session: an HMAC of the session token's id under the signing key.
   * Page scripts may read it (they must send it back in {@code X-CSRF-Token}); another site can
   * neither read it nor compute it, and it changes with every session token.
   */
  public String csrfToken(Stamped token) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
      byte[] tag = mac.doFinal(("csrf:" + token.id()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  /** Whether {@code presented} is the CSRF token of {@code token} (compared in constant time). */
  public boolean csrfMatches(Stamped token, String presented) {
    if (presented == null || presented.length() > 128) {
      return false;
    }
    return java.security.MessageDigest.isEqual(csrfToken(token).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        presented.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  public Optional<Stamped> verifyStamped(String token) {
    if (token == null || token.length() > 4096) {
      return Optional.empty();
    }
    // the signature and the claims of a token never change: they are checked once per token (a
    // client sends the same token with every request for its lifetime); the times are checked
    // against the clock on every request, and revocation is the caller's (AccountCheck), every time
    Decoded decoded = verified.getIfPresent(token);
    if (decoded == null) {
      Optional<Decoded> fresh = decode(token);
      if (fresh.isEmpty()) {
        return Optional.empty();
      }
      decoded = fresh.get();
      verified.put(token, decoded);
    }
    Instant now = clock.instant();
    if (!now.isBefore(decoded.stamped().expiresAt().plus(CLOCK_SKEW))) {
      return Optional.empty();
    }
    if (decoded.notBefore() != null && now.plus(CLOCK_SKEW).isBefore(decoded.notBefore())) {
      return Optional.empty();
    }
    return Optional.of(decoded.stamped());
  }

  /** A token whose signature and claims were found good, with its not-before time (or null). */
  private record Decoded(Stamped stamped, Instant notBefore) {}

  /**
   * Tokens already verified, by their text. Bounded, and only tokens that passed the signature
   * check get in, so garbage cannot fill it; a token's entry outlives it by at most the idle time.
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, Decoded> verified =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(20_000)
          .expireAfterAccess(Duration.ofMinutes(10)).build();

  private Optional<Decoded> decode(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
        return Optional.empty();
      }
      if (jwt.getState() != JWSObject.State.SIGNED || !jwt.verify(new MACVerifier(key))) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (!ISSUER.equals(claims.getIssuer()) || !List.of(AUDIENCE).equals(claims.getAudience())) {
        return Optional.empty();
      }
      if (claims.getExpirationTime() == null) {
        return Optional.empty();
      }
      String subject = claims.getSubject();
      Role role = Role.valueOf(claims.getStringClaim("role"));
      String id = claims.getJWTID();
      String stamp = claims.getStringClaim("pwv");
      Integer epoch = claims.getIntegerClaim("tep");
      if (id == null || id.length() > 64 || stamp == null || epoch == null) {
        return Optional.empty(); // without these a token could not be revoked
      }
      Long sessionStart = claims.getLongClaim("sst");
      return Optional.of(new Decoded(new Stamped(new Principal(subject, role, claims.getStringClaim("area")), id, stamp,
          epoch, claims.getExpirationTime().toInstant(), sessionStart == null ? null : Instant.ofEpochSecond(sessionStart)),
          claims.getNotBeforeTime() == null ? null : claims.getNotBeforeTime().toInstant()));
    } catch (ParseException | JOSEException | IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }
}
