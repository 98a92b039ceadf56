package io.tracetrack.hub.bill;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.BillRules;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Rejection;
import io.tracetrack.model.Role;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/bills}: billers and admins only. A malformed request is a 400, an unknown bill a
 * 404 {@code BILL_NOT_FOUND}, a change the bill's state refuses a 409; the problem's {@code code}
 * is the stable {@link io.tracetrack.model.ErrorCode} name.
 */
public final class BillRoutes implements HttpService {

  private static final Role[] BILLING = {Role.BILLER, Role.ADMIN};
  /** Longest text accepted for a field before it is even looked at; the rules then allow 100. */
  private static final int MAX_TEXT = 256;

  private final BillService bills;
  private final Access access;

  public BillRoutes(BillService bills, Access access) {
    this.bills = bills;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/bills", this::create)
        .get("/bills", this::list)
        .get("/bills/{id}", this::get)
        .patch("/bills/{id}", this::edit)
        .post("/bills/{id}/parents", this::addParent)
        .delete("/bills/{id}/parents/{parent}", this::removeParent)
        .post("/bills/{id}/finalize", this::finalizeBill)
        .post("/bills/{id}/reopen", this::reopen)
        .get("/bills/{id}/manifest", this::manifest);
  }

  private void create(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, BILLING);
    Optional<JsonNode> body = caller.flatMap(c -> Http.body(req, res));
    if (body.isEmpty()) {
      return;
    }
    Optional<String> id = Http.text(body.get(), "id", MAX_TEXT, res);
    Optional<String> destination = id.flatMap(x -> Http.text(body.get(), "destination", MAX_TEXT, res));
    Optional<String> vehicle = destination.flatMap(x -> Http.text(body.get(), "vehicle", MAX_TEXT, res));
    Optional<Integer> capacity = vehicle.flatMap(x -> integer(body.get(), "capacity", res));
    if (capacity.isEmpty()) {
      return;
    }
    answer(res, bills.create(id.get(), destination.get(), vehicle.get(), capacity.get(), caller.get()));
  }

  private void list(ServerRequest req, ServerResponse res) {
    if (access.require(req, res, BILLING).isEmpty()) {
      return;
    }
    Optional<String> statusText = req.query().first("status").asOptional();
    Optional<BillRules.Status> status = statusText.map(s -> s.toUpperCase(Locale.ROOT))
        .filter(s -> s.equals("OPEN") || s.equals("FINALIZED")).map(BillRules.Status::valueOf);
    if (statusText.isPresent() && status.isEmpty()) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "status must be OPEN or FINALIZED");
      return;
    }
    Optional<String> createdBy = req.query().first("createdBy").asOptional();
    if (createdBy.isPresent() && createdBy.get().length() > 64) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "createdBy is longer than 64 characters");
      return;
    }
    Optional<String> cursorText = req.query().first("cursor").asOptional();
    Optional<BillPage.Cursor> cursor = cursorText.flatMap(BillPage.Cursor::decode);
    if (cursorText.isPresent() && cursor.isEmpty()) {
      Http.problem(res, 400, ErrorCode.INVALID_CURSOR, "cursor is not one this hub gave out; start again without it");
      return;
    }
    String limitText = req.query().first("limit").orElse("50");
    int limit = limitText.matches("[0-9]{1,3}") ? Integer.parseInt(limitText) : -1;
    if (limit < 1 || limit > BillPage.MAX_PAGE) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "limit must be 1.." + BillPage.MAX_PAGE);
      return;
    }
    Http.json(res, 200, bills.list(status, createdBy, cursor, limit));
  }

  private void get(ServerRequest req, ServerResponse res) {
    if (access.require(req, res, BILLING).isEmpty()) {
      return;
    }
    String id = req.path().pathParameters().get("id");
    bills.get(id).ifPresentOrElse(bill -> Http.json(res, 200, bill), () -> notFound(res, id));
  }

  private void edit(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, BILLING);
    Optional<JsonNode> body = caller.flatMap(c -> Http.body(req, res));
    if (body.isEmpty()) {
      return;
    }
    Optional<Optional<Integer>> capacity = optional(body.get(), "capacity", res, () -> integer(body.get(), "capacity", res));
    Optional<Optional<String>> destination = capacity.flatMap(x ->
        optional(body.get(), "destination", res, () -> Http.text(body.get(), "destination", MAX_TEXT, res)));
    Optional<Optional<String>> vehicle = destination.flatMap(x ->
        optional(body.get(), "vehicle", res, () -> Http.text(body.get(), "vehicle", MAX_TEXT, res)));
    if (vehicle.isEmpty()) {
      return;
    }
    BillService.Edit edit = new BillService.Edit(capacity.get().orElse(null), destination.get().orElse(null),
        vehicle.get().orElse(null));
    answer(res, bills.edit(req.path().pathParameters().get("id"), edit, caller.get()));
  }

  private void addParent(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, BILLING);
    Optional<JsonNode> body = caller.flatMap(c -> Http.body(req, res));
    if (body.isEmpty()) {
      return;
    }
    Optional<String> parent = Http.text(body.get(), "parent", MAX_TEXT, res);
    Optional<Optional<Boolean>> create = parent.flatMap(x ->
        optional(body.get(), "create", res, () -> bool(body.get(), "create", res)));
    if (create.isEmpty()) {
      return;
    }
    answer(res, bills.addParent(req.path().pathParameters().get("id"), parent.get(), caller.get(),
        create.get().orElse(false)));
  }

  private void removeParent(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, BILLING);
    if (caller.isEmpty()) {
      return;
    }
    answer(res, bills.removeParent(req.path().pathParameters().get("id"), req.path().pathParameters().get("parent"),
        caller.get()));
  }

  /** The body is optional here: finalizing a full bill needs nothing said. */
  private void finalizeBill(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, BILLING);
    if (caller.isEmpty()) {
      return;
    }
    boolean shortClose = false;
    if (req.content().hasEntity()) {
      Optional<JsonNode> body = Http.body(req, res);
      Optional<Optional<Boolean>> flag = body.flatMap(b ->
          optional(b, "shortClose", res, () -> bool(b, "shortClose", res)));
      if (flag.isEmpty()) {
        return;
      }
      shortClose = flag.get().orElse(false);
    }
    answer(res, bills.finalize(req.path().pathParameters().get("id"), shortClose, caller.get()));
  }

  private void reopen(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, BILLING);
    if (caller.isEmpty()) {
      return;
    }
    answer(res, bills.reopen(req.path().pathParameters().get("id"), caller.get()));
  }

  private void manifest(ServerRequest req, ServerResponse res) {
    if (access.require(req, res, BILLING).isEmpty()) {
      return;
    }
    String id = req.path().pathParameters().get("id");
    bills.get(id).ifPresentOrElse(bill -> Http.json(res, 200, Manifest.of(bill)), () -> notFound(res, id));
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

  private static void notFound(ServerResponse res, String id) {
    String shown = id.length() > 20 ? id.substring(0, 20) + "…" : id;
    Http.problem(res, 404, ErrorCode.BILL_NOT_FOUND, "no bill " + shown.replaceAll("[^\\p{Alnum}-]", "?"));
  }

  /**
   * An optional field: absent or null is {@code Optional.of(Optional.empty())}; present is read by
   * {@code read}; an empty outer Optional means a 400 was already sent.
   */
  private static <T> Optional<Optional<T>> optional(JsonNode body, String field, ServerResponse res,
      java.util.function.Supplier<Optional<T>> read) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.of(Optional.empty());
    }
    return read.get().map(Optional::of);
  }

  /** A whole number that fits an int; "5", 5.0 and 1e9999 are refused rather than coerced. */
  private static Optional<Integer> integer(JsonNode body, String field, ServerResponse res) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "missing field: " + field);
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, field + " must be a whole number");
      return Optional.empty();
    }
    return Optional.of(value.intValue());
  }

  private static Optional<Boolean> bool(JsonNode body, String field, ServerResponse res) {
    JsonNode value = body.get(field);
    if (value == null || !value.isBoolean()) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, field + " must be true or false");
      return Optional.empty();
    }
    return Optional.of(value.booleanValue());
  }
}
