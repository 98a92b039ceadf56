package io.tracetrack.hub.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.web.Http;
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
    Optional<Principal> principal = req.headers().value(HeaderNames.AUTHORIZATION)
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).strip())
        .flatMap(tokens::verifyStamped)
        .filter(accounts::stillValid)
        .map(Tokens.Stamped::principal);
    if (principal.isEmpty()) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"tracetrack\"");
      Http.problem(res, 401, "UNAUTHENTICATED", "a valid bearer token is required");
      return Optional.empty();
    }
    if (!principal.get().is(allowed)) {
      Http.problem(res, 403, "FORBIDDEN", "your role may not do this");
      return Optional.empty();
    }
    return Optional.of(new Caller(principal.get(), req.remotePeer().host(), Http.requestId(req)));
  }
}
