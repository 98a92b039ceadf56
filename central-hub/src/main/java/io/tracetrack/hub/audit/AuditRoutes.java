package io.tracetrack.hub.audit;

import io.helidon.common.uri.UriQuery;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import io.tracetrack.model.UserNames;
import io.tracetrack.web.ApiProblem;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/v1/audit} (filters: actor, action, entityType, entityId, a time range {@code from}
 * (inclusive) and {@code until} (exclusive) as ISO instants; keyset paging with {@code before}) and {@code POST /api/v1/audit/verify}. Admins only.
 */
public final class AuditRoutes implements HttpService {

  private static final int PAGE = 200;

  private static final Set<Role> ADMIN = Set.of(Role.ADMIN);

  private final AuditLog audit;
  private final ScanTrail scans;
  private final Access access;

  public AuditRoutes(AuditLog audit, ScanTrail scans, Access access) {
    this.audit = audit;
    this.scans = scans;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/audit", access.allow(ADMIN, this::query))
        .get("/audit/scans", access.allow(ADMIN, this::scans))
        .post("/audit/verify", access.allow(ADMIN, this::verify));
  }

  /** A page of a trail: older than the id {@code before} (when given), at most {@code limit}. */
  private record Page(Optional<Long> before, int limit) {
    static Page of(UriQuery q, int most) {
      Optional<Long> before;
      int limit;
      try {
        before = q.first("before").asOptional().map(Long::parseLong);
        limit = q.first("limit").asOptional().map(Integer::parseInt).orElse(50);
      } catch (NumberFormatException e) {
        throw ApiProblem.invalid("before and limit must be whole numbers");
      }
      if (limit < 1 || limit > most) {
        throw ApiProblem.invalid("limit must be 1.." + most);
      }
      return new Page(before, limit);
    }
  }

  private void query(ServerRequest req, ServerResponse res, Caller caller) {
    var q = req.query();
    Page page = Page.of(q, PAGE);
    Optional<Long> before = page.before();
    int limit = page.limit();
    Optional<String> actionText = q.first("action").asOptional();
    Optional<AuditAction> action = actionText.flatMap(AuditAction::parse);
    if (actionText.isPresent() && action.isEmpty()) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, "action is one of " + List.of(AuditAction.values()));
    }
    Optional<String> entityText = q.first("entityType").asOptional();
    Optional<AuditEntity> entityType = entityText.flatMap(AuditRoutes::entity);
    if (entityText.isPresent() && entityType.isEmpty()) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, "entityType is one of " + List.of(AuditEntity.values()));
    }
    Optional<OffsetDateTime> from = instant(q.first("from").asOptional(), "from");
    Optional<OffsetDateTime> until = instant(q.first("until").asOptional(), "until");
    List<AuditLog.Entry> entries = audit.query(q.first("actor").asOptional(), action, entityType,
        q.first("entityId").asOptional(), from, until, before, limit);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("entries", entries);
    out.put("next", entries.size() == limit ? entries.getLast().id() : null);
    Http.json(res, 200, out);
  }

  /** Dock scans as they reached the hub: filters actor, dock, station, from, until; paging with before. */
  private void scans(ServerRequest req, ServerResponse res, Caller caller) {
    var q = req.query();
    Page page = Page.of(q, ScanTrail.PAGE);
    Optional<Long> before = page.before();
    int limit = page.limit();
    // user names are stored in their one form (lower case, NFC): "Asha" finds asha's scans
    Optional<String> actor = name(q.first("actor").asOptional(), "actor").map(a -> UserNames.normalize(a).orElse(a));
    ScanTrail.Filter filter = new ScanTrail.Filter(actor,
        name(q.first("dock").asOptional(), "dock"), name(q.first("station").asOptional(), "station"),
        instant(q.first("from").asOptional(), "from"), instant(q.first("until").asOptional(), "until"));
    List<ScanTrail.Scan> found = scans.find(filter, before, limit);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scans", found);
    out.put("next", found.size() == limit ? found.getLast().id() : null);
    Http.json(res, 200, out);
  }

  /** A name filter as typed (trimmed); blank is no filter, and anything longer than a name can be is refused. */
  private static Optional<String> name(Optional<String> text, String what) {
    Optional<String> value = text.map(String::strip).filter(t -> !t.isEmpty());
    if (value.isPresent() && value.get().length() > 64) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, what + " is at most 64 characters");
    }
    return value;
  }

  /** A time bound of the range: an ISO instant with its offset ({@code 2026-12-01T00:00:00Z}); the page sends local midnights. */
  private static Optional<OffsetDateTime> instant(Optional<String> text, String name) {
    try {
      return text.map(t -> OffsetDateTime.parse(t.strip()));
    } catch (DateTimeParseException e) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, name + " is an ISO instant with offset, e.g. 2026-12-01T00:00:00Z");
    }
  }

  private static Optional<AuditEntity> entity(String text) {
    String wanted = text.strip().toUpperCase(Locale.ROOT);
    return java.util.Arrays.stream(AuditEntity.values()).filter(e -> e.name().equals(wanted)).findFirst();
  }

  private void verify(ServerRequest req, ServerResponse res, Caller caller) {
    Http.json(res, 200, audit.verify());
  }
}
