package io.tracetrack.hub.auth;

import io.helidon.http.SetCookie;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Browser sessions: the same signed token an integrator gets, carried in an {@code HttpOnly},
 * {@code SameSite=Strict} cookie (and {@code Secure} when the request came over TLS), so no page
 * script can ever read it. A session token lives for the idle timeout only; the page refreshes it
 * while a person is working (keys, clicks — not the dashboard's own polling), so a desk left alone
 * signs itself out. Refreshing keeps the session's start ({@code sst}), and a session ends at its
 * maximum age however busy it is: a stolen cookie is worth a working day at most.
 *
 * <p>Every unsafe request made with the cookie must also carry the session's CSRF token
 * ({@link Tokens#csrfToken}) in {@code X-CSRF-Token}; {@link Access} checks it.
 */
public final class Sessions {

  /** The cookie's name. */
  public static final String COOKIE = "tt_session";
  /** The request header that carries the CSRF token of a cookie session. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  private final Tokens tokens;
  private final Clock clock;
  private final Duration idle;
  private final Duration maxAge;

  public Sessions(Tokens tokens, Clock clock, Duration idle, Duration maxAge) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (idle.isNegative() || idle.isZero() || maxAge.compareTo(idle) < 0) {
      throw new IllegalArgumentException("a session's maximum age must be at least its idle timeout");
    }
    this.idle = idle;
    this.maxAge = maxAge;
  }

  /** Defaults: 30 idle minutes, 12 hours at most. */
  public static Sessions defaults(Tokens tokens, Clock clock) {
    return new Sessions(tokens, clock, Duration.ofMinutes(30), Duration.ofHours(12));
  }

  public Tokens tokens() {
    return tokens;
  }

  public Duration idle() {
    return idle;
  }

  /** A new session, starting now. */
  public Tokens.Issued start(Principal principal, String passwordStamp, int epoch) {
    return tokens.issueSession(principal, passwordStamp, epoch, clock.instant(), idle);
  }

  /** The next token of a running session, or empty when the session is past its maximum age. */
  public Optional<Tokens.Issued> refresh(Tokens.Stamped current) {
    if (current.sessionStart() == null || !withinMaxAge(current)) {
      return Optional.empty();
    }
    return Optional.of(tokens.issueSession(current.principal(), current.passwordStamp(), current.epoch(),
        current.sessionStart(), idle));
  }

  /** When the session of {@code token} ends however active its user is. */
  public Instant endsAt(Tokens.Stamped token) {
    return token.sessionStart() == null ? token.expiresAt() : token.sessionStart().plus(maxAge);
  }

  boolean withinMaxAge(Tokens.Stamped token) {
    return token.sessionStart() == null || clock.instant().isBefore(token.sessionStart().plus(maxAge));
  }

  /** The session token the request's cookie carries, unverified. */
  public static Optional<String> cookie(ServerRequest req) {
    return req.headers().cookies().first(COOKIE).asOptional().filter(v -> !v.isBlank());
  }

  /** Sets the session cookie to {@code issued}. */
  public void setCookie(ServerResponse res, Tokens.Issued issued, boolean secure) {
    res.headers().addCookie(SetCookie.builder(COOKIE, issued.token())
        .path("/")
        .httpOnly(true)
        .secure(secure)
        .sameSite(SetCookie.SameSite.STRICT)
        // the browser may drop it when it expires anyway; the signature's expiry is what counts
        .maxAge(Duration.between(clock.instant(), issued.expiresAt()).plusSeconds(Tokens.CLOCK_SKEW.toSeconds()))
        .build());
  }

  /** Removes the session cookie from the browser. */
  public void clearCookie(ServerResponse res, boolean secure) {
    res.headers().addCookie(SetCookie.builder(COOKIE, "")
        .path("/")
        .httpOnly(true)
        .secure(secure)
        .sameSite(SetCookie.SameSite.STRICT)
        // Helidon leaves out a Max-Age of zero; an expiry in the past removes the cookie as well
        .expires(Instant.EPOCH)
        .build());
  }
}
