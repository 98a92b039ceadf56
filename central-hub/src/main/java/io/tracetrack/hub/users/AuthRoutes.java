package io.tracetrack.hub.users;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.AccountCheck;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.Passwords;
import io.tracetrack.hub.auth.SignInLimiter;
import io.tracetrack.hub.auth.Tokens;
import io.tracetrack.hub.web.Http;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/auth/token}: user name, password and (for users who enrolled TOTP) a
 * {@code totp} code in, a short-lived bearer token out. Anyone may call it, so it is rate-limited per
 * client address (before the body is even read) and per user name: 429 with Retry-After. A wrong
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

  public AuthRoutes(Users users, Tokens tokens, SignInLimiter limiter, Access access, AccountCheck accounts) {
    this.users = users;
    this.tokens = tokens;
    this.limiter = limiter;
    this.access = access;
    this.accounts = accounts;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/token", this::token)
        .post("/logout", this::logout);
  }

  private void logout(ServerRequest req, ServerResponse res) {
    Optional<Tokens.Stamped> token = access.requireToken(req, res, io.tracetrack.model.Role.values());
    if (token.isEmpty()) {
      return;
    }
    accounts.revoke(token.get());
    res.status(204).send();
  }

  private void token(ServerRequest req, ServerResponse res) {
    if (limited(res, limiter.address(req.remotePeer().host()))) {
      return;
    }
    Optional<JsonNode> body = Http.body(req, res);
    if (body.isEmpty()) {
      return;
    }
    Optional<String> username = Http.text(body.get(), "username", 64, res);
    if (username.isEmpty()) {
      return;
    }
    Optional<String> password = Http.text(body.get(), "password", Passwords.MAX_LENGTH, res);
    if (password.isEmpty()) {
      return;
    }
    JsonNode totp = body.get().get("totp");
    if (totp != null && !totp.isNull() && (!totp.isTextual() || totp.textValue().length() > 16)) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "totp must be the 6-digit code as a string");
      return;
    }
    if (limited(res, limiter.username(username.get()))) {
      return;
    }
    switch (users.signIn(username.get(), password.get(), totp == null || totp.isNull() ? null : totp.textValue(),
        req.remotePeer().host())) {
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

  /** Answers 429 when the verdict says so (every route that checks a password uses this). */
  public static boolean limited(ServerResponse res, SignInLimiter.Verdict verdict) {
    return switch (verdict) {
      case SignInLimiter.Verdict.Allowed a -> false;
      case SignInLimiter.Verdict.Limited l -> {
        res.header(HeaderNames.RETRY_AFTER, Long.toString(l.retryAfter().toSeconds()));
        Http.problem(res, 429, ErrorCode.TOO_MANY_REQUESTS, "too many sign-in attempts; try again in "
            + l.retryAfter().toSeconds() + " s", Map.of("retryAfterSeconds", l.retryAfter().toSeconds()));
        yield true;
      }
    };
  }
}
