package io.tracetrack.hub.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.users.Users;
import io.tracetrack.hub.web.Http;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code POST /api/v1/auth/token}: user name and password in, a short-lived bearer token out. */
public final class AuthRoutes implements HttpService {

  private final Users users;
  private final Tokens tokens;

  public AuthRoutes(Users users, Tokens tokens) {
    this.users = users;
    this.tokens = tokens;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/token", this::token);
  }

  private void token(ServerRequest req, ServerResponse res) {
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
    switch (users.signIn(username.get(), password.get())) {
      case Users.SignIn.Ok ok -> {
        Tokens.Issued issued = tokens.issue(ok.principal());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", issued.token());
        out.put("token_type", "Bearer");
        out.put("expires_at", issued.expiresAt());
        out.put("role", ok.principal().role());
        Http.json(res, 200, out);
      }
      case Users.SignIn.Refused r -> Http.problem(res, "ACCOUNT_LOCKED".equals(r.code()) ? 423 : 401, r.code(), r.message());
    }
  }
}
