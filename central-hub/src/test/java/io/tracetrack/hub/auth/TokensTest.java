package io.tracetrack.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.tracetrack.model.Role;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Verification accepts exactly the tokens the hub issues, and nothing else. */
class TokensTest {

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private final Tokens tokens = new Tokens(KEY, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(15));
  private final Principal asha = new Principal("asha", Role.DISPATCHER, "NORTH");

  private static String signed(JWSAlgorithm alg, byte[] key, Consumer<JWTClaimsSet.Builder> claims) throws Exception {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
        .issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).subject("asha").claim("role", "ADMIN")
        .issueTime(Date.from(NOW)).notBeforeTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(600)))
        .jwtID("token-1").claim("pwv", "0123456789abcdef").claim("tep", 0);
    claims.accept(b);
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), b.build());
    jwt.sign(new MACSigner(key));
    return jwt.serialize();
  }

  @Test
  void issuedToken_verifies_withRoleAndArea() {
    String token = tokens.issue(asha, "0123456789abcdef", 0).token();
    assertThat(tokens.verify(token)).contains(asha);
  }

  @Test
  void issuedToken_carriesItsId_passwordStamp_andEpoch() {
    Tokens.Issued issued = tokens.issue(asha, "0123456789abcdef", 3);
    Tokens.Stamped stamped = tokens.verifyStamped(issued.token()).orElseThrow();
    assertThat(stamped.passwordStamp()).isEqualTo("0123456789abcdef");
    assertThat(stamped.epoch()).isEqualTo(3);
    assertThat(stamped.id()).isNotBlank();
    assertThat(stamped.expiresAt()).isEqualTo(issued.expiresAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    assertThat(tokens.verifyStamped(tokens.issue(asha, "0123456789abcdef", 3).token()).orElseThrow().id())
        .isNotEqualTo(stamped.id());
  }

  @Test
  void issuing_withoutAPasswordStamp_isRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> tokens.issue(asha, null, 0))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> tokens.issue(asha, " ", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tokenWithoutPasswordStampIdOrEpoch_isRefused() throws Exception {
    // such a token could not be ended by a password change, a sign-out or "sign out everywhere"
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, KEY, b -> b.claim("pwv", null)))).isEmpty();
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, KEY, b -> b.jwtID(null)))).isEmpty();
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, KEY, b -> b.claim("tep", null)))).isEmpty();
  }

  @Test
  void wellFormedTokenFromOurKey_verifies() throws Exception {
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, KEY, b -> {}))).isPresent();
  }

  @Test
  void algNone_isRefused() {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).subject("root")
        .claim("role", "ADMIN").expirationTime(Date.from(NOW.plusSeconds(600))).build();
    assertThat(tokens.verify(new PlainJWT(claims).serialize())).isEmpty();
  }

  @Test
  void algNoneHeaderGluedOntoARealToken_isRefused() {
    String real = tokens.issue(asha, "0123456789abcdef", 0).token();
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    String[] parts = real.split("\\.");
    assertThat(tokens.verify(none + "." + parts[1] + ".")).isEmpty();
    assertThat(tokens.verify(none + "." + parts[1] + "." + parts[2])).isEmpty();
  }

  @Test
  void otherAlgorithm_isRefused() throws Exception {
    byte[] longKey = (new String(KEY, StandardCharsets.US_ASCII).repeat(2)).getBytes(StandardCharsets.US_ASCII);
    assertThat(tokens.verify(signed(JWSAlgorithm.HS512, longKey, b -> {}))).isEmpty();
  }

  @Test
  void otherKey_isRefused() throws Exception {
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII), b -> {})))
        .isEmpty();
  }

  @Test
  void expired_isRefused_beyondTheSkew() throws Exception {
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, KEY, b -> b.expirationTime(Date.from(NOW.minusSeconds(31)))))).isEmpty();
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, KEY, b -> b.expirationTime(Date.from(NOW.minusSeconds(10)))))).isPresent();
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, KEY, b -> b.expirationTime(null)))).isEmpty();
  }

  @Test
  void aTokenVerifiedBefore_isStillJudgedByTheClock_everyTime() throws Exception {
    io.tracetrack.hub.TestClock clock = new io.tracetrack.hub.TestClock(NOW);
    Tokens moving = new Tokens(KEY, clock, Duration.ofMinutes(15));
    String token = moving.issue(asha, "0123456789abcdef", 0).token();
    assertThat(moving.verify(token)).contains(asha);
    clock.advance(Duration.ofMinutes(15).plus(Tokens.CLOCK_SKEW));
    assertThat(moving.verify(token)).as("verified once, expired now").isEmpty();
    String later = signed(JWSAlgorithm.HS256, KEY, b -> b.notBeforeTime(Date.from(clock.instant().plusSeconds(120)))
        .expirationTime(Date.from(clock.instant().plusSeconds(900))));
    assertThat(moving.verify(later)).isEmpty();
    clock.advance(Duration.ofSeconds(120));
    assertThat(moving.verify(later)).as("refused while not yet valid, good once it is").isPresent();
  }

  @Test
  void notYetValid_isRefused() throws Exception {
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, KEY, b -> b.notBeforeTime(Date.from(NOW.plusSeconds(120)))))).isEmpty();
  }

  @Test
  void wrongAudienceOrIssuer_isRefused() throws Exception {
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, KEY, b -> b.audience("someone-else")))).isEmpty();
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, KEY, b -> b.issuer("evil")))).isEmpty();
  }

  @Test
  void tamperedPayload_isRefused() {
    String[] parts = tokens.issue(asha, "0123456789abcdef", 0).token().split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("DISPATCHER", "ADMIN");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(tokens.verify(forged)).isEmpty();
  }

  @Test
  void garbageAndUnknownRole_areRefused() throws Exception {
    assertThat(tokens.verify("")).isEmpty();
    assertThat(tokens.verify("a.b.c")).isEmpty();
    assertThat(tokens.verify("x".repeat(10_000))).isEmpty();
    assertThat(tokens.verify(signed(JWSAlgorithm.HS256, KEY, b -> b.claim("role", "SUPERUSER")))).isEmpty();
  }

  @Test
  void shortKey_isRefusedAtConstruction() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Tokens(new byte[16], Clock.systemUTC(), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
