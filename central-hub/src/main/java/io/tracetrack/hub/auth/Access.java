package io.tracetrack.hub.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import java.util.Optional;

/**
 * The role check every protected route starts with: a valid bearer token whose account still
 * stands as the token says ({@link AccountCheck}), and a role the route allows. Unauthenticated is 401, authenticated but not allowed is 403; both are answered here.
 */
public final class Access {

  private final Tokens tokens;
  private final AccountCheck accounts;

  public Access(Tokens tokens, AccountCheck accounts) {
    this.tokens = tokens;
    this.accounts = accounts;
  }

  /** The caller, if signed in with one of {@code allowed}; otherwise empty, already answered. */
  public Optional<Caller> require(ServerRequest req, ServerResponse res, Role... allowed) {
    return requireToken(req, res, allowed).map(t -> new Caller(t.principal(), req.remotePeer().host(), Http.requestId(req)));
  }

  /**
   * The presented token itself, if it is valid and its account allows it one of {@code allowed}
   * (what sign-out needs: the token's id and expiry); otherwise empty, already answered.
   */
  public Optional<Tokens.Stamped> requireToken(ServerRequest req, ServerResponse res, Role... allowed) {
    Optional<Tokens.Stamped> token = req.headers().value(HeaderNames.AUTHORIZATION)
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).strip())
        .flatMap(tokens::verifyStamped)
        .filter(accounts::stillValid);
    if (token.isEmpty()) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"tracetrack\"");
      Http.problem(res, 401, ErrorCode.UNAUTHENTICATED, "a valid bearer token is required");
      return Optional.empty();
    }
    if (!token.get().principal().is(allowed)) {
      Http.problem(res, 403, ErrorCode.FORBIDDEN, "your role may not do this");
      return Optional.empty();
    }
    return token;
  }
}
