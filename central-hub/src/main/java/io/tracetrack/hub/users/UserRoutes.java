package io.tracetrack.hub.users;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.Passwords;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.Role;
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
 * POST   /users                       ADMIN   create {username, role, area (dispatchers only), password}
 * GET    /users/{username}            ADMIN   one user
 * PATCH  /users/{username}            ADMIN   edit {area?, disabled?}
 * DELETE /users/{username}            ADMIN   delete: anonymised tombstone, audit pseudonymised
 * PUT    /users/{username}/role       ADMIN   change role {role, area?} through every guard
 * PUT    /users/{username}/password   ADMIN   reset password {password}; clears a lockout
 * </pre>
 */
public final class UserRoutes implements HttpService {

  private final UserAdmin users;
  private final Access access;

  public UserRoutes(UserAdmin users, Access access) {
    this.users = users;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::list)
        .post("/", this::create)
        .get("/{username}", this::get)
        .patch("/{username}", this::edit)
        .delete("/{username}", this::delete)
        .put("/{username}/role", this::role)
        .put("/{username}/password", this::password);
  }

  private void list(ServerRequest req, ServerResponse res) {
    if (access.require(req, res, Role.ADMIN).isEmpty()) {
      return;
    }
    var q = req.query();
    Optional<Role> role;
    try {
      role = q.first("role").asOptional().map(r -> Role.valueOf(r.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      Http.problem(res, 400, ErrorCode.INVALID_ROLE, "role is one of ADMIN, BILLER, DISPATCHER");
      return;
    }
    Optional<String> area = q.first("area").asOptional();
    if (area.isPresent() && !UserAdmin.AREA_ID.matcher(area.get()).matches()) {
      Http.problem(res, 400, ErrorCode.INVALID_AREA, "an area id is 1-40 of A-Z, 0-9, _ and -");
      return;
    }
    Optional<String> disabledText = q.first("disabled").asOptional();
    if (disabledText.isPresent() && !disabledText.get().matches("true|false")) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "disabled is true or false");
      return;
    }
    Optional<String> after = q.first("after").asOptional();
    if (after.isPresent() && !UserAdmin.USERNAME.matcher(after.get()).matches()) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "after is the last user name of the previous page");
      return;
    }
    String limitText = q.first("limit").asOptional().orElse("50");
    if (!limitText.matches("[0-9]{1,3}") || Integer.parseInt(limitText) < 1 || Integer.parseInt(limitText) > UserAdmin.MAX_PAGE) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "limit is 1.." + UserAdmin.MAX_PAGE);
      return;
    }
    UserAdmin.Page page = users.list(new UserAdmin.Filter(role, area, disabledText.map(Boolean::parseBoolean), after,
        Integer.parseInt(limitText)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", page.items());
    out.put("next", page.next());
    Http.json(res, 200, out);
  }

  private void create(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN);
    if (caller.isEmpty()) {
      return;
    }
    Optional<JsonNode> body = Http.body(req, res);
    if (body.isEmpty()) {
      return;
    }
    Form f = new Form(body.get());
    f.only(Set.of("username", "role", "area", "password"));
    String username = f.required("username", 64);
    Role role = f.role("role", true);
    String area = f.optional("area", 40);
    String password = f.required("password", Passwords.MAX_LENGTH);
    if (!f.ok(res)) {
      return;
    }
    Replies.answer(res, users.create(new UserAdmin.NewUser(username, role, area, password), caller.get()), 201);
  }

  private void get(ServerRequest req, ServerResponse res) {
    if (access.require(req, res, Role.ADMIN).isEmpty()) {
      return;
    }
    String username = req.path().pathParameters().get("username");
    users.get(username).ifPresentOrElse(u -> Http.json(res, 200, u),
        () -> Http.problem(res, 404, ErrorCode.USER_NOT_FOUND, "no user " + UserAdmin.printable(username)));
  }

  private void edit(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN);
    if (caller.isEmpty()) {
      return;
    }
    Optional<JsonNode> body = Http.body(req, res);
    if (body.isEmpty()) {
      return;
    }
    Form f = new Form(body.get());
    f.only(Set.of("area", "disabled"));
    String area = f.optional("area", 40);
    Boolean disabled = f.bool("disabled");
    if (!f.ok(res)) {
      return;
    }
    String username = req.path().pathParameters().get("username");
    Replies.answer(res, users.edit(username, new UserAdmin.Edit(Optional.ofNullable(area), Optional.ofNullable(disabled)),
        caller.get()), 200);
  }

  private void delete(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN);
    if (caller.isEmpty()) {
      return;
    }
    Replies.answer(res, users.delete(req.path().pathParameters().get("username"), caller.get()), 200);
  }

  private void role(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN);
    if (caller.isEmpty()) {
      return;
    }
    Optional<JsonNode> body = Http.body(req, res);
    if (body.isEmpty()) {
      return;
    }
    Form f = new Form(body.get());
    f.only(Set.of("role", "area"));
    Role role = f.role("role", true);
    String area = f.optional("area", 40);
    if (!f.ok(res)) {
      return;
    }
    Replies.answer(res, users.changeRole(req.path().pathParameters().get("username"), role, area, caller.get()), 200);
  }

  private void password(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN);
    if (caller.isEmpty()) {
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
    Replies.answer(res, users.resetPassword(req.path().pathParameters().get("username"), password, caller.get()), 200);
  }
}
