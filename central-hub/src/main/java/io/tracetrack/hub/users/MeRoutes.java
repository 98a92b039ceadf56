package io.tracetrack.hub.users;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.AccountCheck;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.auth.SignInLimiter;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.Passwords;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.Role;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/me}: the signed-in user's own account.
 *
 * <pre>
 * route                       who          does
 * GET  /me                    any role     my account
 * PUT  /me/password           any role     change my password {oldPassword, newPassword}
 * GET  /me/notifications      any role     my in-app notifications, newest first
 * POST /me/totp               ADMIN        start TOTP enrolment: {provisioningUri}
 * GET  /me/totp/qr            ADMIN        the pending enrolment as a PNG QR image
 * POST /me/totp/verify        ADMIN        confirm enrolment {code}: sign-in now asks for codes
 * POST /me/totp/disable       ADMIN        turn TOTP off {password}
 * POST /me/logout-all         any role     sign out everywhere: every token of mine so far ends (204)
 * </pre>
 *
 * TOTP is offered to admins (PRODUCT.md: "TOTP two-factor for admins"); an admin who is later
 * demoted keeps it switched on, and can switch it off only while still an admin. That is the safe
 * side: a second factor is never dropped silently.
 */
public final class MeRoutes implements HttpService {

  private static final Role[] ANYONE = Role.values();

  private final UserAdmin users;
  private final TwoFactor twoFactor;
  private final Promotions promotions;
  private final Access access;
  private final SignInLimiter limiter;
  private final AccountCheck accounts;

  public MeRoutes(UserAdmin users, TwoFactor twoFactor, Promotions promotions, Access access, SignInLimiter limiter,
      AccountCheck accounts) {
    this.limiter = limiter;
    this.accounts = accounts;
    this.users = users;
    this.twoFactor = twoFactor;
    this.promotions = promotions;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::me)
        .put("/password", this::password)
        .get("/notifications", this::notifications)
        .post("/totp", this::startTotp)
        .get("/totp/qr", this::qr)
        .post("/totp/verify", this::verifyTotp)
        .post("/totp/disable", this::disableTotp)
        .post("/logout-all", this::logoutAll);
  }

  private void logoutAll(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, ANYONE);
    if (caller.isEmpty()) {
      return;
    }
    accounts.endAll(caller.get().principal().username());
    res.status(204).send();
  }

  /**
   * A stolen token must not become a free password oracle: routes that check the password get a
   * per-account budget like sign-in's (burst 5, 10 a minute).
   */
  private boolean passwordGuessesLimited(Caller caller, ServerResponse res) {
    return AuthRoutes.limited(res, limiter.username(caller.principal().username()));
  }

  private void me(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, ANYONE);
    if (caller.isEmpty()) {
      return;
    }
    users.get(caller.get().principal().username()).ifPresentOrElse(u -> Http.json(res, 200, u),
        () -> Http.problem(res, 404, ErrorCode.USER_NOT_FOUND, "your account no longer exists"));
  }

  private void password(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, ANYONE);
    if (caller.isEmpty() || passwordGuessesLimited(caller.get(), res)) {
      return;
    }
    Optional<JsonNode> body = Http.body(req, res);
    if (body.isEmpty()) {
      return;
    }
    Form f = new Form(body.get());
    String old = f.required("oldPassword", Passwords.MAX_LENGTH);
    String replacement = f.required("newPassword", Passwords.MAX_LENGTH);
    if (!f.ok(res)) {
      return;
    }
    Replies.answer(res, users.changeOwnPassword(caller.get(), old, replacement), 200);
  }

  private void notifications(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, ANYONE);
    if (caller.isEmpty()) {
      return;
    }
    Http.json(res, 200, Map.of("items", promotions.notifications(caller.get().principal().username(), Promotions.MAX_PAGE)));
  }

  private void startTotp(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN);
    if (caller.isEmpty()) {
      return;
    }
    Replies.answer(res, twoFactor.start(caller.get()), 201);
  }

  private void qr(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN);
    if (caller.isEmpty()) {
      return;
    }
    switch (twoFactor.qr(caller.get())) {
      case Outcome.Done<byte[]> png -> {
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, "image/png");
        res.send(png.value());
      }
      case Outcome.Refused<byte[]> r -> Http.problem(res, r.code().status(), r.code(), r.message());
    }
  }

  private void verifyTotp(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN);
    if (caller.isEmpty()) {
      return;
    }
    Optional<JsonNode> body = Http.body(req, res);
    if (body.isEmpty()) {
      return;
    }
    Form f = new Form(body.get());
    String code = f.required("code", 16);
    if (!f.ok(res)) {
      return;
    }
    Replies.answer(res, twoFactor.confirm(caller.get(), code), 200);
  }

  private void disableTotp(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN);
    if (caller.isEmpty() || passwordGuessesLimited(caller.get(), res)) {
      return;
    }
    Optional<JsonNode> body = Http.body(req, res);
    if (body.isEmpty()) {
      return;
    }
    Form f = new Form(body.get());
    String password = f.required("password", Passwords.MAX_LENGTH);
    if (!f.ok(res)) {
      return;
    }
    Replies.answer(res, twoFactor.disable(caller.get(), password), 200);
  }
}
