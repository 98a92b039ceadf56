package io.tracetrack.hub.auth;

import io.tracetrack.model.ErrorCode;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.web.ClientAddresses;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

/**
 * The role check a protected route declares with itself ({@code rules.post("/bills",
 * access.allow(BILLING, this::create))}): a valid bearer token — or a browser session's cookie,
 * with its CSRF token on every unsafe request ({@link Sessions}) — whose account still stands as
 * the token says ({@link AccountCheck}), and a role the route allows, checked before the handler runs.
 * Unauthenticated is 401, authenticated but not allowed is 403; both are thrown as
 * {@link ApiProblem} and answered by the routing's error mapping.
 */
public final class Access {

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  private static final io.helidon.http.HeaderName CSRF = HeaderNames.create(Sessions.CSRF_HEADER);

  /** Every role: routes any signed-in user may call. */
  public static final Set<Role> ANYONE = Set.copyOf(EnumSet.allOf(Role.class));

  private final Tokens tokens;
  private final Sessions sessions;
  private final AccountCheck accounts;
  private final ClientAddresses addresses;

  public Access(Tokens tokens, AccountCheck accounts, ClientAddresses addresses) {
    this(Sessions.defaults(tokens, Clock.systemUTC()), accounts, addresses);
  }

  public Access(Sessions sessions, AccountCheck accounts, ClientAddresses addresses) {
    this.tokens = sessions.tokens();
    this.sessions = sessions;
    this.accounts = accounts;
    this.addresses = addresses;
  }

  /** A handler that runs for a signed-in caller. */
  @FunctionalInterface
  public interface CallerHandler {
    void handle(ServerRequest req, ServerResponse res, Caller caller) throws Exception;
  }

  /** A handler that needs the presented token itself (sign-out: its id and expiry). */
  @FunctionalInterface
  public interface TokenHandler {
    void handle(ServerRequest req, ServerResponse res, Tokens.Stamped token) throws Exception;
  }

  /** {@code handler}, run only for a caller signed in with one of {@code allowed}. */
  public Handler allow(Set<Role> allowed, CallerHandler handler) {
    Set<Role> roles = Set.copyOf(allowed);
    return (req, res) -> handler.handle(req, res, caller(req, roles));
  }

  /** {@code handler}, given the presented token if it is valid and allows one of {@code allowed}. */
  public Handler allowToken(Set<Role> allowed, TokenHandler handler) {
    Set<Role> roles = Set.copyOf(allowed);
    return (req, res) -> handler.handle(req, res, token(req, roles));
  }

  /**
   * The caller, if signed in with one of {@code allowed}.
   *
   * @throws ApiProblem 401 or 403
   */
  public Caller caller(ServerRequest req, Set<Role> allowed) {
    Tokens.Stamped token = token(req, allowed);
    return new Caller(token.principal(), addresses.of(req), Http.requestId(req));
  }

  private Tokens.Stamped token(ServerRequest req, Set<Role> allowed) {
    Optional<String> authorization = req.headers().value(HeaderNames.AUTHORIZATION);
    // a change is always checked against the account as it is now; a read may use the last second's answer
    boolean write = !SAFE_METHODS.contains(req.prologue().method().text());
    Tokens.Stamped token;
    if (authorization.isPresent()) {
      // an integrator (or a script with its own token): the header decides, a cookie beside it is ignored
      token = authorization
          .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
          .map(h -> h.substring(7).strip())
          .flatMap(tokens::verifyStamped)
          .filter(t -> accounts.stillValid(t, write))
          .orElseThrow(Access::unauthenticated);
    } else {
      // a browser: the session cookie, only with a session token inside, and only within its maximum age
      token = Sessions.cookie(req)
          .flatMap(tokens::verifyStamped)
          .filter(t -> t.sessionStart() != null && sessions.withinMaxAge(t))
          .filter(t -> accounts.stillValid(t, write))
          .orElseThrow(Access::unauthenticated);
      // Browsers send the cookie with requests other sites make them send; SameSite=Strict stops
      // that in today's browsers, and the token below (which another site can neither read nor
      // compute) stops it everywhere.
      if (write && !tokens.csrfMatches(token, req.headers().value(CSRF).orElse(null))) {
        throw new ApiProblem(403, ErrorCode.CSRF_INVALID,
            "this change lacks the page's security token; reload the page (sign in again if asked) and retry");
      }
    }
    if (!allowed.contains(token.principal().role())) {
      throw new ApiProblem(403, ErrorCode.FORBIDDEN, "your role may not do this");
    }
    return token;
  }

  private static ApiProblem unauthenticated() {
    return new ApiProblem(401, ErrorCode.UNAUTHENTICATED, "sign in first: a valid bearer token or session is required",
        Map.of(), Map.of(HeaderNames.WWW_AUTHENTICATE.defaultCase(), "Bearer realm=\"tracetrack\""));
  }
}
