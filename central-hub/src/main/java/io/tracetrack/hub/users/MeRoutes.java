package io.tracetrack.hub.users;

import io.tracetrack.model.ErrorCode;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.AccountCheck;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.auth.SignInLimiter;
import io.tracetrack.web.Passwords;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import io.tracetrack.web.Form;
import java.util.Map;
import java.util.Set;

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

  private static final Set<Role> ADMIN = Set.of(Role.ADMIN);

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
    rules.get("/", access.allow(Access.ANYONE, this::me))
        .put("/password", access.allow(Access.ANYONE, this::password))
        .get("/notifications", access.allow(Access.ANYONE, this::notifications))
        .post("/totp", access.allow(ADMIN, this::startTotp))
        .get("/totp/qr", access.allow(ADMIN, this::qr))
        .post("/totp/verify", access.allow(ADMIN, this::verifyTotp))
        .post("/totp/disable", access.allow(ADMIN, this::disableTotp))
        .post("/logout-all", access.allow(Access.ANYONE, this::logoutAll));
  }

  private void logoutAll(ServerRequest req, ServerResponse res, Caller caller) {
    accounts.endAll(caller.principal().username());
    res.status(204).send();
  }

  /**
   * A stolen token must not become a free password oracle: routes that check the password get a
   * per-account budget like sign-in's (burst 5, 10 a minute), spent before the body is read.
   */
  private void limitPasswordGuesses(Caller caller) {
    AuthRoutes.refuseIfLimited(limiter.username(caller.principal().username()));
  }

  private void me(ServerRequest req, ServerResponse res, Caller caller) {
    Http.json(res, 200, users.get(caller.principal().username()).orElseThrow(() ->
        new ApiProblem(404, ErrorCode.USER_NOT_FOUND, "your account no longer exists")));
  }

  private void password(ServerRequest req, ServerResponse res, Caller caller) {
    limitPasswordGuesses(caller);
    Form f = Http.form(req);
    String old = f.required("oldPassword", Passwords.MAX_LENGTH);
    String replacement = f.required("newPassword", Passwords.MAX_LENGTH);
    f.check();
    Replies.answer(res, users.changeOwnPassword(caller, old, replacement), 200);
  }

  private void notifications(ServerRequest req, ServerResponse res, Caller caller) {
    Http.json(res, 200, Map.of("items", promotions.notifications(caller.principal().username(), Promotions.MAX_PAGE)));
  }

  private void startTotp(ServerRequest req, ServerResponse res, Caller caller) {
    Replies.answer(res, twoFactor.start(caller), 201);
  }

  private void qr(ServerRequest req, ServerResponse res, Caller caller) {
    switch (twoFactor.qr(caller)) {
      case Outcome.Done<byte[]> png -> {
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, "image/png");
        res.send(png.value());
      }
      case Outcome.Refused<byte[]> r -> Http.problem(res, r.code().status(), r.code(), r.message());
    }
  }

  private void verifyTotp(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req);
    String code = f.required("code", 16);
    f.check();
    Replies.answer(res, twoFactor.confirm(caller, code), 200);
  }

  private void disableTotp(ServerRequest req, ServerResponse res, Caller caller) {
    limitPasswordGuesses(caller);
    Form f = Http.form(req);
    String password = f.required("password", Passwords.MAX_LENGTH);
    f.check();
    Replies.answer(res, twoFactor.disable(caller, password), 200);
  }
}
