package io.tracetrack.hub.users;

import io.tracetrack.model.ErrorCode;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.AccountCheck;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.web.Passwords;
import io.tracetrack.hub.auth.SignInLimiter;
import io.tracetrack.hub.auth.Sessions;
import io.tracetrack.hub.auth.Tokens;
import io.tracetrack.hub.web.ClientAddresses;
import io.tracetrack.hub.web.Http;
import io.tracetrack.web.ApiProblem;
import io.tracetrack.web.Form;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/token}: user name, password and (for users who enrolled TOTP) a
 * {@code totp} code in, a short-lived bearer token out. Anyone may call it, so it is rate-limited per
 * client address (before the body is even read; behind a proxy, the address it forwards, see
 * {@link ClientAddresses}) and per user name: 429 with Retry-After. A wrong
 * password and an unknown name get the same 401 {@code BAD_CREDENTIALS}; repeated failures lock the
 * (name, address) pair with 423 {@code ACCOUNT_LOCKED} (see {@link Users#signIn(String, String, String, String)}).
 *
 * <p>{@code POST /api/v1/auth/logout}: signs the presented token out, on every hub instance (204).
 *
 * <p>The web UI's browser session ({@link Sessions}): {@code POST /api/v1/auth/session} signs in
 * the same way and answers with an HttpOnly cookie plus the page's CSRF token; {@code GET} tells a
 * reloaded page who is signed in (and its CSRF token again); {@code POST /session/refresh} renews
 * the idle timeout while someone works; {@code DELETE} signs out.
 */
public final class AuthRoutes implements HttpService {

  private final Users users;
  private final Tokens tokens;
  private final SignInLimiter limiter;
  private final Access access;
  private final AccountCheck accounts;
  private final ClientAddresses addresses;
  private final Sessions sessions;

  public AuthRoutes(Users users, Sessions sessions, SignInLimiter limiter, Access access, AccountCheck accounts,
      ClientAddresses addresses) {
    this.users = users;
    this.sessions = sessions;
    this.tokens = sessions.tokens();
    this.limiter = limiter;
    this.access = access;
    this.accounts = accounts;
    this.addresses = addresses;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/token", this::token)
        .post("/logout", access.allowToken(Access.ANYONE, this::logout))
        .post("/session", this::startSession)
        .get("/session", access.allowToken(Access.ANYONE, this::session))
        .post("/session/refresh", access.allowToken(Access.ANYONE, this::refreshSession))
        .delete("/session", this::endSession);
  }

  /** Signs in like {@code /token}, but answers with a session cookie and the page's CSRF token. */
  private void startSession(ServerRequest req, ServerResponse res) {
    switch (signIn(req)) {
      case Users.SignIn.Ok ok -> {
        Tokens.Issued issued = sessions.start(ok.principal(), ok.passwordStamp(), ok.tokenEpoch());
        sessions.setCookie(res, issued, addresses.secure(req));
        Tokens.Stamped stamped = tokens.verifyStamped(issued.token()).orElseThrow();
        Http.json(res, 200, sessionView(stamped));
      }
      case Users.SignIn.Refused r -> Http.problem(res, r.code() == ErrorCode.ACCOUNT_LOCKED ? 423 : 401, r.code(), r.message());
    }
  }

  private void session(ServerRequest req, ServerResponse res, Tokens.Stamped token) {
    Http.json(res, 200, sessionView(token));
  }

  /** A new token for a running session (the page calls it while its user is active). */
  private void refreshSession(ServerRequest req, ServerResponse res, Tokens.Stamped token) {
    if (token.sessionStart() == null) {
      throw new ApiProblem(400, ErrorCode.BAD_REQUEST,
          "only a browser session is refreshed; an API client signs in again at /api/v1/auth/token");
    }
    Tokens.Issued next = sessions.refresh(token).orElseThrow(() -> new ApiProblem(401, ErrorCode.UNAUTHENTICATED,
        "this session has reached its maximum age; sign in again"));
    sessions.setCookie(res, next, addresses.secure(req));
    Http.json(res, 200, sessionView(tokens.verifyStamped(next.token()).orElseThrow()));
  }

  /**
   * Signs the browser out: the session's token is revoked (on every instance) and the cookie
   * removed. Answers 204 even without a valid session, so a page can always get back to sign-in;
   * with a valid one it needs the CSRF token, so no other site can sign a user out.
   */
  private void endSession(ServerRequest req, ServerResponse res) {
    Sessions.cookie(req).flatMap(tokens::verifyStamped).ifPresent(token -> {
      if (!tokens.csrfMatches(token, req.headers().value(io.helidon.http.HeaderNames.create(Sessions.CSRF_HEADER)).orElse(null))) {
        throw new ApiProblem(403, ErrorCode.CSRF_INVALID, "sign-out lacks the page's security token; reload the page");
      }
      accounts.revoke(token);
    });
    sessions.clearCookie(res, addresses.secure(req));
    res.status(204).send();
  }

  private Map<String, Object> sessionView(Tokens.Stamped token) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("username", token.principal().username());
    out.put("role", token.principal().role());
    out.put("area", token.principal().area());
    out.put("expiresAt", token.expiresAt());
    out.put("sessionEndsAt", sessions.endsAt(token));
    out.put("idleSeconds", sessions.idle().toSeconds());
    out.put("csrfToken", tokens.csrfToken(token));
    return out;
  }

  private void logout(ServerRequest req, ServerResponse res, Tokens.Stamped token) {
    accounts.revoke(token);
    res.status(204).send();
  }

  private void token(ServerRequest req, ServerResponse res) {
    switch (signIn(req)) {
      case Users.SignIn.Ok ok -> {
        Tokens.Issued issued = tokens.issue(ok.principal(), ok.passwordStamp(), ok.tokenEpoch());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", issued.token());
        out.put("token_type", "Bearer");
        out.put("expires_at", issued.expiresAt());
        out.put("role", ok.principal().role());
        Http.json(res, 200, out);
      }
      case Users.SignIn.Refused r -> Http.problem(res, r.code() == ErrorCode.ACCOUNT_LOCKED ? 423 : 401, r.code(), r.message());
    }
  }

  /** The sign-in both routes share: limits by address, then by name, then the password and TOTP. */
  private Users.SignIn signIn(ServerRequest req) {
    // the client's address, not the proxy's: else one client's guesses lock and slow everyone
    String address = addresses.of(req);
    // per address before the body is even read: a flood costs us no parsing
    refuseIfLimited(limiter.address(address));
    Form f = Http.form(req);
    String username = f.required("username", 64);
    String password = f.required("password", Passwords.MAX_LENGTH);
    String totp = f.optional("totp", 16, "totp must be the 6-digit code as a string");
    f.check();
    refuseIfLimited(limiter.username(username));
    return users.signIn(username, password, totp, address);
  }

  /**
   * Refuses with 429 (and Retry-After) when the verdict says so; every route that checks a password
   * uses this.
   *
   * @throws ApiProblem 429 when limited
   */
  public static void refuseIfLimited(SignInLimiter.Verdict verdict) {
    switch (verdict) {
      case SignInLimiter.Verdict.Allowed a -> { }
      case SignInLimiter.Verdict.Limited l -> {
        long seconds = l.retryAfter().toSeconds();
        throw new ApiProblem(429, ErrorCode.TOO_MANY_REQUESTS, "too many sign-in attempts; try again in " + seconds + " s",
            Map.of("retryAfterSeconds", seconds), Map.of(HeaderNames.RETRY_AFTER.defaultCase(), Long.toString(seconds)));
      }
    }
  }
}
