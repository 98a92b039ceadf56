package io.tracetrack.hub.users;

import io.tracetrack.model.ErrorCode;

import io.helidon.common.uri.UriQuery;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.web.Passwords;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import io.tracetrack.web.Form;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/users}: user administration. Everything here is ADMIN only; what a user does to
 * their own account is under {@code /api/v1/me} ({@link MeRoutes}).
 *
 * <pre>
 * route                               who     does
 * GET    /users                       ADMIN   list; ?role=&amp;area=&amp;disabled=&amp;after=&amp;limit= (keyset by user name, limit ≤ 200)
 * POST   /users                       ADMIN   create {username, role, area (dispatchers only), password, email?}
 * GET    /users/{username}            ADMIN   one user
 * PATCH  /users/{username}            ADMIN   edit {area?, disabled?, email? ("" removes it)}
 * DELETE /users/{username}            ADMIN   delete: anonymised tombstone, audit pseudonymised
 * PUT    /users/{username}/role       ADMIN   change role {role, area?} through every guard
 * PUT    /users/{username}/password   ADMIN   reset password {password}; clears a lockout
 * POST   /users/{username}/unlock     ADMIN   clear the sign-in lock only (the password stays)
 * POST   /users/{username}/dock-access         ADMIN   grant an area's docks {area}: 204
 * DELETE /users/{username}/dock-access/{area}  ADMIN   take that grant back: 204
 * </pre>
 */
public final class UserRoutes implements HttpService {

  private static final Set<Role> ADMIN = Set.of(Role.ADMIN);
  /** RFC 5321 limit of a forward path. */
  private static final int MAX_EMAIL = 254;

  private final UserAdmin users;
  private final Access access;

  public UserRoutes(UserAdmin users, Access access) {
    this.users = users;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", access.allow(ADMIN, this::list))
        .post("/", access.allow(ADMIN, this::create))
        .get("/{username}", access.allow(ADMIN, this::get))
        .patch("/{username}", access.allow(ADMIN, this::edit))
        .delete("/{username}", access.allow(ADMIN, this::delete))
        .put("/{username}/role", access.allow(ADMIN, this::role))
        .put("/{username}/password", access.allow(ADMIN, this::password))
        .post("/{username}/unlock", access.allow(ADMIN, this::unlock))
        .post("/{username}/dock-access", access.allow(ADMIN, this::grantDockAccess))
        .delete("/{username}/dock-access/{area}", access.allow(ADMIN, this::revokeDockAccess));
  }

  private void list(ServerRequest req, ServerResponse res, Caller caller) {
    UserAdmin.Page page = users.list(filter(req.query()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", page.items());
    out.put("next", page.next());
    Http.json(res, 200, out);
  }

  private void create(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req).only(Set.of("username", "role", "area", "password", "email"));
    String username = f.required("username", 64);
    Role role = role(f, true);
    String area = f.optional("area", 40);
    String password = f.required("password", Passwords.MAX_LENGTH);
    String email = f.optional("email", MAX_EMAIL);
    f.check();
    Replies.answer(res, users.create(new UserAdmin.NewUser(username, role, area, password, email), caller), 201);
  }

  private void get(ServerRequest req, ServerResponse res, Caller caller) {
    String username = req.path().pathParameters().get("username");
    Http.json(res, 200, users.get(username).orElseThrow(() ->
        new ApiProblem(404, ErrorCode.USER_NOT_FOUND, "no user " + UserAdmin.printable(username))));
  }

  private void edit(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req).only(Set.of("area", "disabled", "email"));
    String area = f.optional("area", 40);
    Boolean disabled = f.bool("disabled");
    String email = f.optional("email", MAX_EMAIL);
    f.check();
    String username = req.path().pathParameters().get("username");
    Replies.answer(res, users.edit(username, new UserAdmin.Edit(Optional.ofNullable(area), Optional.ofNullable(disabled),
        Optional.ofNullable(email)), caller), 200);
  }

  private void delete(ServerRequest req, ServerResponse res, Caller caller) {
    Replies.answer(res, users.delete(req.path().pathParameters().get("username"), caller), 200);
  }

  private void role(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req).only(Set.of("role", "area"));
    Role role = role(f, true);
    String area = f.optional("area", 40);
    f.check();
    Replies.answer(res, users.changeRole(req.path().pathParameters().get("username"), role, area, caller), 200);
  }

  private void password(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req);
    String password = f.required("password", Passwords.MAX_LENGTH);
    f.check();
    Replies.answer(res, users.resetPassword(req.path().pathParameters().get("username"), password, caller), 200);
  }

  private void unlock(ServerRequest req, ServerResponse res, Caller caller) {
    Replies.answer(res, users.unlock(req.path().pathParameters().get("username"), caller), 200);
  }

  private void grantDockAccess(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req).only(Set.of("area"));
    String area = f.required("area", 40);
    f.check();
    noContent(res, users.grantDockAccess(req.path().pathParameters().get("username"), area(area), caller));
  }

  private void revokeDockAccess(ServerRequest req, ServerResponse res, Caller caller) {
    var p = req.path().pathParameters();
    noContent(res, users.revokeDockAccess(p.get("username"), area(p.get("area")), caller));
  }

  private static String area(String area) {
    if (!UserAdmin.AREA_ID.matcher(area).matches()) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_AREA, "an area id is 1-40 of A-Z, 0-9, _ and -");
    }
    return area;
  }

  private static void noContent(ServerResponse res, Outcome<UserView> outcome) {
    switch (outcome) {
      case Outcome.Done<UserView> d -> res.status(204).send();
      case Outcome.Refused<UserView> r -> Http.problem(res, r.code().status(), r.code(), r.message());
    }
  }

  /** A role field; a name that is no role is {@code INVALID_ROLE}. */
  static Role role(Form f, boolean required) {
    return f.oneOf("role", Role.class, required, ErrorCode.INVALID_ROLE);
  }

  /** The list's query, checked: each parameter that is there must be well-formed. */
  private static UserAdmin.Filter filter(UriQuery q) {
    Optional<Role> role;
    try {
      role = q.first("role").asOptional().map(r -> Role.valueOf(r.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_ROLE, "role is one of ADMIN, BILLER, DISPATCHER");
    }
    Optional<String> area = q.first("area").asOptional();
    if (area.isPresent() && !UserAdmin.AREA_ID.matcher(area.get()).matches()) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_AREA, "an area id is 1-40 of A-Z, 0-9, _ and -");
    }
    Optional<String> disabledText = q.first("disabled").asOptional();
    if (disabledText.isPresent() && !disabledText.get().matches("true|false")) {
      throw ApiProblem.invalid("disabled is true or false");
    }
    Optional<String> after = q.first("after").asOptional();
    // any name a page can end with, legacy ones included
    if (after.isPresent() && !UserAdmin.lookupable(after.get())) {
      throw ApiProblem.invalid("after is the last user name of the previous page");
    }
    String limitText = q.first("limit").asOptional().orElse("50");
    if (!limitText.matches("[0-9]{1,3}") || Integer.parseInt(limitText) < 1 || Integer.parseInt(limitText) > UserAdmin.MAX_PAGE) {
      throw ApiProblem.invalid("limit is 1.." + UserAdmin.MAX_PAGE);
    }
    return new UserAdmin.Filter(role, area, disabledText.map(Boolean::parseBoolean), after, Integer.parseInt(limitText));
  }
}
