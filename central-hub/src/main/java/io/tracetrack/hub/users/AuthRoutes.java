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
 */
public final class AuthRoutes implements HttpService {

  private final Users users;
  private final Tokens tokens;
  private final SignInLimiter limiter;
  private final Access access;
  private final AccountCheck accounts;
  private final ClientAddresses addresses;

  public AuthRoutes(Users users, Tokens tokens, SignInLimiter limiter, Access access, AccountCheck accounts,
      ClientAddresses addresses) {
    this.users = users;
    this.tokens = tokens;
    this.limiter = limiter;
    this.access = access;
    this.accounts = accounts;
    this.addresses = addresses;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/token", this::token)
        .post("/logout", access.allowToken(Access.ANYONE, this::logout));
  }

  private void logout(ServerRequest req, ServerResponse res, Tokens.Stamped token) {
    accounts.revoke(token);
    res.status(204).send();
  }

  private void token(ServerRequest req, ServerResponse res) {
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
    switch (users.signIn(username, password, totp, address)) {
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
