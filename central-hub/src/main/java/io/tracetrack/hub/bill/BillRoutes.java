package io.tracetrack.hub.bill;

import io.tracetrack.model.ErrorCode;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.auth.QrCodes;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.BillRules;
import io.tracetrack.model.Rejection;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import io.tracetrack.web.Form;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/bills}: billers and admins only. A malformed request is a 400, an unknown bill a
 * 404 {@code BILL_NOT_FOUND}, a change the bill's state refuses a 409; the problem's {@code code}
 * is the stable {@link io.tracetrack.model.ErrorCode} name.
 */
public final class BillRoutes implements HttpService {

  private static final Set<Role> BILLING = Set.of(Role.BILLER, Role.ADMIN);
  /** Longest text accepted for a field before it is even looked at; the rules then allow 100. */
  private static final int MAX_TEXT = 256;
  /** Side of the manifest's QR picture: about 5 cm at print resolution, readable from a full bill's text. */
  private static final int QR_PIXELS = 360;

  private final BillService bills;
  private final Access access;

  public BillRoutes(BillService bills, Access access) {
    this.bills = bills;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/bills", access.allow(BILLING, this::create))
        .get("/bills", access.allow(BILLING, this::list))
        .get("/bills/{id}", access.allow(BILLING, this::get))
        .patch("/bills/{id}", access.allow(BILLING, this::edit))
        .post("/bills/{id}/parents", access.allow(BILLING, this::addParent))
        .delete("/bills/{id}/parents/{parent}", access.allow(BILLING, this::removeParent))
        .post("/bills/{id}/finalize", access.allow(BILLING, this::finalizeBill))
        .post("/bills/{id}/reopen", access.allow(BILLING, this::reopen))
        .get("/bills/{id}/manifest", access.allow(BILLING, this::manifest))
        .get("/bills/{id}/qr.png", access.allow(BILLING, this::qr));
  }

  private void create(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req);
    String id = f.required("id", MAX_TEXT);
    String destination = f.required("destination", MAX_TEXT);
    String vehicle = f.required("vehicle", MAX_TEXT);
    Integer capacity = f.requiredInteger("capacity");
    f.check();
    answer(res, bills.create(id, destination, vehicle, capacity, caller));
  }

  private void list(ServerRequest req, ServerResponse res, Caller caller) {
    UriQuery q = req.query();
    Optional<BillRules.Status> status = q.first("status").asOptional().map(BillRoutes::status);
    Optional<String> createdBy = q.first("createdBy").asOptional();
    if (createdBy.isPresent() && createdBy.get().length() > 64) {
      throw ApiProblem.invalid("createdBy is longer than 64 characters");
    }
    Optional<BillPage.Cursor> cursor = q.first("cursor").asOptional().map(c -> BillPage.Cursor.decode(c)
        .orElseThrow(() -> ApiProblem.badRequest(ErrorCode.INVALID_CURSOR, "cursor is not one this hub gave out; start again without it")));
    String limitText = q.first("limit").orElse("50");
    int limit = limitText.matches("[0-9]{1,3}") ? Integer.parseInt(limitText) : -1;
    if (limit < 1 || limit > BillPage.MAX_PAGE) {
      throw ApiProblem.invalid("limit must be 1.." + BillPage.MAX_PAGE);
    }
    Http.json(res, 200, bills.list(status, createdBy, cursor, limit));
  }

  private void get(ServerRequest req, ServerResponse res, Caller caller) {
    String id = req.path().pathParameters().get("id");
    Http.json(res, 200, bills.get(id).orElseThrow(() -> notFound(id)));
  }

  private void edit(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req);
    Integer capacity = f.integer("capacity");
    String destination = f.optional("destination", MAX_TEXT);
    String vehicle = f.optional("vehicle", MAX_TEXT);
    f.check();
    answer(res, bills.edit(req.path().pathParameters().get("id"), new BillService.Edit(capacity, destination, vehicle), caller));
  }

  private void addParent(ServerRequest req, ServerResponse res, Caller caller) {
    Form f = Http.form(req);
    String parent = f.required("parent", MAX_TEXT);
    Boolean create = f.bool("create");
    Boolean force = f.bool("force");
    String reason = f.optional("reason", MAX_TEXT);
    f.check();
    if (Boolean.TRUE.equals(force) != (reason != null)) {
      throw new ApiProblem(400, ErrorCode.BILL_FIELD_INVALID, Boolean.TRUE.equals(force)
          ? "force needs a reason: say why this parent goes although it is not ready"
          : "reason goes with force: true");
    }
    answer(res, bills.addParent(req.path().pathParameters().get("id"), parent, caller, Boolean.TRUE.equals(create),
        Boolean.TRUE.equals(force) ? reason : null));
  }

  private void removeParent(ServerRequest req, ServerResponse res, Caller caller) {
    answer(res, bills.removeParent(req.path().pathParameters().get("id"), req.path().pathParameters().get("parent"),
        caller));
  }

  /** The body is optional here: finalizing a full bill needs nothing said. */
  private void finalizeBill(ServerRequest req, ServerResponse res, Caller caller) {
    Boolean shortClose = null;
    if (req.content().hasEntity()) {
      Form f = Http.form(req);
      shortClose = f.bool("shortClose");
      f.check();
    }
    answer(res, bills.finalize(req.path().pathParameters().get("id"), Boolean.TRUE.equals(shortClose), caller));
  }

  private void reopen(ServerRequest req, ServerResponse res, Caller caller) {
    answer(res, bills.reopen(req.path().pathParameters().get("id"), caller));
  }

  private void manifest(ServerRequest req, ServerResponse res, Caller caller) {
    String id = req.path().pathParameters().get("id");
    Http.json(res, 200, Manifest.of(bills.get(id).orElseThrow(() -> notFound(id))));
  }

  /**
   * The manifest's QR text as a picture for the printed manifest: the same text as {@code qr} in
   * {@link #manifest}, so the paper and the API never disagree. Not cached: the picture changes
   * with every parent put on or taken off.
   */
  private void qr(ServerRequest req, ServerResponse res, Caller caller) {
    String id = req.path().pathParameters().get("id");
    byte[] png = QrCodes.png(Manifest.of(bills.get(id).orElseThrow(() -> notFound(id))).qr(), QR_PIXELS);
    res.status(200);
    res.header(HeaderNames.CONTENT_TYPE, "image/png");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(png);
  }

  private static void answer(ServerResponse res, BillService.Outcome outcome) {
    switch (outcome) {
      case BillService.Outcome.Done d -> {
        if (d.created()) {
          res.header(HeaderNames.LOCATION, "/api/v1/bills/" + d.bill().id());
        }
        Http.json(res, d.created() ? 201 : 200, d.bill());
      }
      case BillService.Outcome.Invalid i -> problem(res, 400, i.rejection());
      case BillService.Outcome.NotFound n -> problem(res, 404, n.rejection());
      case BillService.Outcome.Refused r -> problem(res, 409, r.rejection());
    }
  }

  private static void problem(ServerResponse res, int status, Rejection rejection) {
    Map<String, Object> extra = new LinkedHashMap<>();
    if (rejection.otherBag() != null) {
      extra.put(rejection.code() == ErrorCode.PARENT_ON_OTHER_BILL ? "otherBill" : "otherBag",
          rejection.otherBag());
    }
    if (rejection.detail() != null) {
      extra.put("reasonDetail", rejection.detail().name());
    }
    Http.problem(res, status, rejection.code(), rejection.message(), extra);
  }

  private static BillRules.Status status(String text) {
    return switch (text.toUpperCase(Locale.ROOT)) {
      case "OPEN" -> BillRules.Status.OPEN;
      case "FINALIZED" -> BillRules.Status.FINALIZED;
      default -> throw ApiProblem.invalid("status must be OPEN or FINALIZED");
    };
  }

  /** 404 {@code BILL_NOT_FOUND}, echoing at most 20 characters of the id asked for, and only letters, digits and '-'. */
  public static ApiProblem notFound(String id) {
    String shown = id.length() > 20 ? id.substring(0, 20) + "…" : id;
    return new ApiProblem(404, ErrorCode.BILL_NOT_FOUND, "no bill " + shown.replaceAll("[^\\p{Alnum}-]", "?"));
  }
}
