package io.tracetrack.hub.search;

import io.tracetrack.model.ErrorCode;

import io.helidon.common.uri.UriQuery;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import io.tracetrack.hub.web.Http;

/**
 * {@code GET /api/v1/search}: bags by code (and, on the first page, bills by id for billers and
 * admins, users by name for admins) — the exact match first, then codes starting with the
 * query, ordered by code, {@code limit} (≤ 200) a page, the next page from {@code after} (keyset:
 * no OFFSET, so page 1,000 costs what page 1 does). Filters: type, area, dock, from/to (created),
 * linked, billed, user (creator). On a miss, "did you mean" offers codes sharing the longest prefix.
 */
public final class SearchRoutes implements HttpService {

  public static final int MAX_PAGE = 200;
  private static final Pattern QUERY = Pattern.compile("[A-Za-z0-9-]{1,64}");
  /** Codes as the hub stores them (upper case); {@code next} is always one. */
  private static final Pattern CURSOR = Pattern.compile("[A-Z0-9-]{1,64}");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,3}");

  private static final Set<Role> ANY_DESK = Set.of(Role.ADMIN, Role.BILLER, Role.DISPATCHER);

  private final SearchStore store;
  private final Access access;

  public SearchRoutes(HubDatabase db, Access access) {
    this.store = new SearchStore(db);
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/search", access.allow(ANY_DESK, this::search));
  }

  /** One hit. */
  public record Hit(String code, String role, int childCount, int limit, String parent, String area, String dock,
      String createdBy, OffsetDateTime createdAt) {}

  private void search(ServerRequest req, ServerResponse res, Caller caller) {
    UriQuery q = req.query();
    String text = q.first("q").asOptional().orElse("").strip().toUpperCase(Locale.ROOT);
    if (!QUERY.matcher(text).matches()) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_QUERY, "q must be 1-64 letters, digits or '-'");
    }
    SearchStore.Filter filter;
    try {
      filter = filters(q, caller);
    } catch (IllegalArgumentException e) {
      // our own messages only: a parser's text (Java class names, positions) never reaches the client
      throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, e.getMessage());
    }
    int limit = limit(q.first("limit").asOptional().orElse("50")).orElseThrow(() ->
        ApiProblem.badRequest(ErrorCode.INVALID_FILTER, "limit must be a whole number 1.." + MAX_PAGE));
    Optional<String> after = q.first("after").asOptional();
    // a cursor is the last code of a page this query gave out: a code under the same prefix, past
    // the exact match; anything else would silently restart or skip, so it is refused
    if (after.isPresent() && !(CURSOR.matcher(after.get()).matches() && after.get().startsWith(text)
        && !after.get().equals(text))) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_CURSOR, "after is not a cursor this search gave out; start again without it");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    List<Hit> hits;
    if (after.isEmpty()) {
      // the first page in one round trip: exact match, prefix page, and bills and users by
      // id/name prefix (a short list beside the bags, for the search box)
      SearchStore.FirstPage first = store.firstPage(text, filter, limit, caller.principal().role() != Role.DISPATCHER,
          caller.principal().role() == Role.ADMIN);
      hits = first.hits();
      out.put("exact", first.exact().orElse(null));
      out.put("results", hits);
      out.put("next", hits.size() == limit ? hits.getLast().code() : null);
      out.put("bills", first.bills());
      out.put("users", first.users());
    } else {
      hits = store.page(text, filter, after, limit);
      out.put("results", hits);
      out.put("next", hits.size() == limit ? hits.getLast().code() : null);
    }
    if (after.isEmpty() && out.get("exact") == null && hits.isEmpty()) {
      out.put("didYouMean", store.suggestions(text, filter));
    }
    Http.json(res, 200, out);
  }

  private static OptionalInt limit(String text) {
    if (!DIGITS.matcher(text).matches()) {
      return OptionalInt.empty();
    }
    int n = Integer.parseInt(text);
    return n >= 1 && n <= MAX_PAGE ? OptionalInt.of(n) : OptionalInt.empty();
  }

  /** A date-time filter: ISO-8601 with an offset, or a plain date (its start, UTC). */
  private static OffsetDateTime instant(String name, String text) {
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException notADateTime) {
      try {
        return java.time.LocalDate.parse(text).atStartOfDay().atOffset(java.time.ZoneOffset.UTC);
      } catch (DateTimeParseException notADate) {
        throw new IllegalArgumentException(name + " must be a date-time with an offset, like 2026-11-22T06:30:00+05:30 "
            + "or 2026-11-22T01:00:00Z, or a date, like 2026-11-22 (its start, UTC)");
      }
    }
  }

  /** The query's filters, checked; a dispatcher's area is their own, whatever they asked. */
  private static SearchStore.Filter filters(UriQuery q, Caller caller) {
    String area = caller.principal().role() == Role.DISPATCHER ? caller.principal().area()
        : q.first("area").asOptional().orElse(null);
    Optional<String> type = q.first("type").asOptional().map(t -> t.toUpperCase(Locale.ROOT));
    if (type.isPresent() && !type.get().equals("PARENT") && !type.get().equals("CHILD")) {
      throw new IllegalArgumentException("type must be PARENT or CHILD");
    }
    return new SearchStore.Filter(area, type.orElse(null),
        q.first("dock").asOptional().orElse(null),
        q.first("user").asOptional().orElse(null),
        q.first("from").asOptional().map(t -> instant("from", t)).orElse(null),
        q.first("to").asOptional().map(t -> instant("to", t)).orElse(null),
        yesNo(q, "linked"), yesNo(q, "billed"));
  }

  /** {@code true}, {@code false}, or absent ({@code null}). */
  private static Boolean yesNo(UriQuery q, String name) {
    Optional<String> value = q.first(name).asOptional();
    if (value.isEmpty()) {
      return null;
    }
    return switch (value.get()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false");
    };
  }
}
