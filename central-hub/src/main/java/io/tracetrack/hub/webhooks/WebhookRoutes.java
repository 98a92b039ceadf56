package io.tracetrack.hub.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.events.EventRoutes;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import io.tracetrack.web.Form;
import io.tracetrack.web.JsonBody;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Under {@code /api/v1}, admins only: {@code POST /webhooks} {"url","types"} registers one (201,
 * with its {@code secret}, shown this once); {@code GET /webhooks}, {@code GET} and {@code DELETE
 * /webhooks/{id}}; {@code GET /webhooks/{id}/deliveries?status=&limit=&before=} (newest first);
 * {@code GET /webhooks/{id}/deliveries/{deliveryId}} (with the body sent); {@code POST
 * /webhooks/{id}/deliveries/{deliveryId}/retry} sends a delivery again from its first attempt.
 */
public final class WebhookRoutes implements HttpService {

  private static final JsonBody BODY = new JsonBody(Destinations.MAX_URL * 4 + 8 * 1024, 4);
  private static final Set<Role> ADMIN = Set.of(Role.ADMIN);
  /** Most types one webhook names (there are fewer types than this). */
  private static final int MAX_TYPES = 50;
  private static final int DEFAULT_PAGE = 50;
  private static final int MAX_PAGE = 500;

  private final Webhooks webhooks;
  private final Access access;

  public WebhookRoutes(Webhooks webhooks, Access access) {
    this.webhooks = webhooks;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/webhooks", access.allow(ADMIN, this::create))
        .get("/webhooks", access.allow(ADMIN, (req, res, caller) -> Http.json(res, 200, Map.of("webhooks", webhooks.list()))))
        .get("/webhooks/{id}", access.allow(ADMIN, this::get))
        .delete("/webhooks/{id}", access.allow(ADMIN, this::delete))
        .get("/webhooks/{id}/deliveries", access.allow(ADMIN, this::deliveries))
        .get("/webhooks/{id}/deliveries/{delivery}", access.allow(ADMIN, this::delivery))
        .post("/webhooks/{id}/deliveries/{delivery}/retry", access.allow(ADMIN, this::retry));
  }

  private void create(ServerRequest req, ServerResponse res, Caller caller) {
    JsonNode body = BODY.read(req);
    if (!body.isObject()) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_REQUEST, "the body is a JSON object: {\"url\": ..., \"types\": [...]}");
    }
    Form form = Form.of(body).only(Set.of("url", "types"));
    // no length cap here: an over-long URL gets the URL's own code from Destinations
    String url = form.required("url", Integer.MAX_VALUE);
    form.check();
    List<String> types = types(body.get("types"));
    switch (webhooks.create(url, types, caller.actor())) {
      case Webhooks.Created.Made made -> {
        Map<String, Object> out = new LinkedHashMap<>(asMap(made.webhook()));
        out.put("secret", made.secret());
        res.header(HeaderNames.LOCATION, "/api/v1/webhooks/" + made.webhook().id());
        Http.json(res, 201, out);
      }
      case Webhooks.Created.Refused refused -> throw ApiProblem.badRequest(refused.code(), refused.reason());
    }
  }

  /** {@code types}: absent, null or [] for every type; else an array of type names. */
  private static List<String> types(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray() || node.size() > MAX_TYPES) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_FIELD, "types is an array of at most " + MAX_TYPES
          + " event types (io.tracetrack.link.v1, ...); empty or absent for every type");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode t : node) {
      if (!t.isTextual() || t.textValue().isBlank() || t.textValue().length() > 100) {
        throw ApiProblem.badRequest(ErrorCode.INVALID_FIELD, "types holds event type names, 1-100 characters each");
      }
      out.add(t.textValue().strip());
    }
    return out;
  }

  private void get(ServerRequest req, ServerResponse res, Caller caller) {
    String id = req.path().pathParameters().get("id");
    Http.json(res, 200, webhooks.get(id).orElseThrow(() -> notFound(id)));
  }

  private void delete(ServerRequest req, ServerResponse res, Caller caller) {
    String id = req.path().pathParameters().get("id");
    if (!webhooks.delete(id, caller.actor())) {
      throw notFound(id);
    }
    res.status(204).send();
  }

  private void deliveries(ServerRequest req, ServerResponse res, Caller caller) {
    String id = req.path().pathParameters().get("id");
    webhooks.get(id).orElseThrow(() -> notFound(id));
    var q = req.query();
    Optional<String> status = q.first("status").asOptional().map(s -> s.strip().toUpperCase(Locale.ROOT));
    if (status.isPresent() && !Webhooks.STATUSES.contains(status.get())) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, "status is one of PENDING, DELIVERED, FAILED");
    }
    int limit = (int) EventRoutes.number(q.first("limit").asOptional(), "limit", DEFAULT_PAGE, 1, MAX_PAGE);
    long before = EventRoutes.number(q.first("before").asOptional(), "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    List<Webhooks.DeliveryView> page = webhooks.deliveries(id, status, before, limit);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("deliveries", page);
    // the next page: deliveries below the last one here; null when this page was the last
    out.put("next", page.size() == limit ? page.getLast().id() : null);
    Http.json(res, 200, out);
  }

  private void delivery(ServerRequest req, ServerResponse res, Caller caller) {
    String id = req.path().pathParameters().get("id");
    long delivery = deliveryId(req);
    Http.json(res, 200, webhooks.delivery(id, delivery).orElseThrow(() -> noDelivery(delivery)));
  }

  private void retry(ServerRequest req, ServerResponse res, Caller caller) {
    String id = req.path().pathParameters().get("id");
    webhooks.get(id).orElseThrow(() -> notFound(id));
    long delivery = deliveryId(req);
    switch (webhooks.retry(id, delivery, caller.actor())) {
      case QUEUED -> Http.json(res, 202, Map.of("id", delivery, "status", "PENDING"));
      case NO_SUCH_DELIVERY -> throw noDelivery(delivery);
      case ALREADY_PENDING -> throw new ApiProblem(409, ErrorCode.DELIVERY_PENDING,
          "delivery " + delivery + " is queued already: it is sent at its next attempt");
    }
  }

  private static long deliveryId(ServerRequest req) {
    String text = req.path().pathParameters().get("delivery");
    if (!text.matches("[0-9]{1,18}")) {
      throw noDelivery(-1);
    }
    return Long.parseLong(text);
  }

  private static Map<String, Object> asMap(Webhooks.View v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", v.id());
    m.put("url", v.url());
    m.put("types", v.types());
    m.put("createdBy", v.createdBy());
    m.put("createdAt", v.createdAt());
    m.put("position", v.position());
    m.put("deliveries", v.deliveries());
    return m;
  }

  private static ApiProblem notFound(String id) {
    String shown = id.length() > 40 ? id.substring(0, 40) + "…" : id;
    return new ApiProblem(404, ErrorCode.WEBHOOK_NOT_FOUND, "no webhook " + shown.replaceAll("[^\\p{Alnum}_-]", "?"));
  }

  private static ApiProblem noDelivery(long id) {
    return new ApiProblem(404, ErrorCode.DELIVERY_NOT_FOUND, id < 0 ? "a delivery's id is a whole number"
        : "this webhook has no delivery " + id);
  }
}
