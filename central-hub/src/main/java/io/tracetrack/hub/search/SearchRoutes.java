package io.tracetrack.hub.search;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BILL;
import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;

import io.helidon.common.uri.UriQuery;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.db.jooq.tables.records.BagRecord;
import io.tracetrack.model.Role;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import io.tracetrack.hub.web.Http;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

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

  private final HubDatabase db;
  private final Access access;

  public SearchRoutes(HubDatabase db, Access access) {
    this.db = db;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/search", this::search);
  }

  /** One hit. */
  public record Hit(String code, String role, int childCount, int limit, String parent, String area, String dock,
      String createdBy, OffsetDateTime createdAt) {
    static Hit of(BagRecord r) {
      return new Hit(r.getCode(), r.getRole(), r.getChildCount(), r.getLimitCount(), r.getParentCode(), r.getAreaId(),
          r.getDock(), r.getCreatedBy(), r.getCreatedAt());
    }
  }

  private void search(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN, Role.BILLER, Role.DISPATCHER);
    if (caller.isEmpty()) {
      return;
    }
    UriQuery q = req.query();
    String text = q.first("q").asOptional().orElse("").strip().toUpperCase(Locale.ROOT);
    if (!QUERY.matcher(text).matches()) {
      Http.problem(res, 400, "INVALID_QUERY", "q must be 1-64 letters, digits or '-'");
      return;
    }
    Condition filter;
    try {
      filter = filters(q, caller.get());
    } catch (IllegalArgumentException e) {
      // our own messages only: a parser's text (Java class names, positions) never reaches the client
      Http.problem(res, 400, "INVALID_FILTER", e.getMessage());
      return;
    }
    OptionalInt limit = limit(q.first("limit").asOptional().orElse("50"));
    if (limit.isEmpty()) {
      Http.problem(res, 400, "INVALID_FILTER", "limit must be a whole number 1.." + MAX_PAGE);
      return;
    }
    Optional<String> after = q.first("after").asOptional();
    // a cursor is the last code of a page this query gave out: a code under the same prefix, past
    // the exact match; anything else would silently restart or skip, so it is refused
    if (after.isPresent() && !(CURSOR.matcher(after.get()).matches() && after.get().startsWith(text)
        && !after.get().equals(text))) {
      Http.problem(res, 400, "INVALID_CURSOR", "after is not a cursor this search gave out; start again without it");
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (after.isEmpty()) {
      out.put("exact", db.dsl().selectFrom(BAG).where(BAG.CODE.eq(text)).and(filter).fetchOptional().map(Hit::of).orElse(null));
    }
    Field<String> code = byteOrdered();
    Condition page = code.like(escape(text) + "%", '!').and(BAG.CODE.ne(text)).and(filter);
    if (after.isPresent()) {
      page = page.and(code.gt(after.get()));
    }
    List<Hit> hits = db.dsl().selectFrom(BAG).where(page).orderBy(code).limit(limit.getAsInt()).fetch(Hit::of);
    out.put("results", hits);
    out.put("next", hits.size() == limit.getAsInt() ? hits.getLast().code() : null);
    if (after.isEmpty()) {
      // bills and users by id/name prefix: a short list beside the bags, for the search box
      out.put("bills", caller.get().principal().role() == Role.DISPATCHER ? List.of()
          : db.dsl().select(BILL.ID, BILL.STATUS, BILL.DESTINATION).from(BILL).where(BILL.ID.like(escape(text) + "%", '!'))
              .orderBy(BILL.ID).limit(10).fetch(r -> Map.of("id", r.value1(), "status", r.value2(), "destination", r.value3())));
      out.put("users", caller.get().principal().role() != Role.ADMIN ? List.of()
          : db.dsl().select(APP_USER.USERNAME, APP_USER.ROLE).from(APP_USER)
              .where(DSL.upper(APP_USER.USERNAME).like(escape(text) + "%", '!'))
              .orderBy(APP_USER.USERNAME).limit(10).fetch(r -> Map.of("username", r.value1(), "role", r.value2())));
    }
    if (after.isEmpty() && out.get("exact") == null && hits.isEmpty()) {
      out.put("didYouMean", suggestions(text, filter));
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

  /** Codes sharing the longest prefix of the query that has any; at most five. */
  private List<String> suggestions(String text, Condition filter) {
    for (int length = text.length() - 1; length >= 2; length--) {
      String prefix = text.substring(0, length);
      Field<String> code = byteOrdered();
      List<String> found = db.dsl().select(BAG.CODE).from(BAG).where(code.like(escape(prefix) + "%", '!')).and(filter)
          .orderBy(code).limit(5).fetch(BAG.CODE);
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  /**
   * The code compared in byte order: on PostgreSQL that is {@code COLLATE ucs_basic} (code-point
   * order, the "C" order for UTF-8), which its {@code bag_code_bytes} index serves for both the prefix match and the order; H2 compares codes
   * that way already. Byte order is also the order a person expects for codes (P10 before P9).
   */
  private Field<String> byteOrdered() {
    return db.dialect() == SQLDialect.POSTGRES ? BAG.CODE.collate("ucs_basic") : BAG.CODE;
  }

  private static String escape(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  private static Condition filters(UriQuery q, Caller caller) {
    Condition c = DSL.noCondition();
    if (caller.principal().role() == Role.DISPATCHER) {
      c = c.and(BAG.AREA_ID.eq(caller.principal().area()));
    } else if (q.first("area").asOptional().isPresent()) {
      c = c.and(BAG.AREA_ID.eq(q.first("area").get()));
    }
    Optional<String> type = q.first("type").asOptional().map(t -> t.toUpperCase(Locale.ROOT));
    if (type.isPresent()) {
      if (!type.get().equals("PARENT") && !type.get().equals("CHILD")) {
        throw new IllegalArgumentException("type must be PARENT or CHILD");
      }
      c = c.and(BAG.ROLE.eq(type.get()));
    }
    if (q.first("dock").asOptional().isPresent()) {
      c = c.and(BAG.DOCK.eq(q.first("dock").get()));
    }
    if (q.first("user").asOptional().isPresent()) {
      c = c.and(BAG.CREATED_BY.eq(q.first("user").get()));
    }
    if (q.first("from").asOptional().isPresent()) {
      c = c.and(BAG.CREATED_AT.ge(instant("from", q.first("from").get())));
    }
    if (q.first("to").asOptional().isPresent()) {
      c = c.and(BAG.CREATED_AT.lt(instant("to", q.first("to").get())));
    }
    Optional<String> linked = q.first("linked").asOptional();
    if (linked.isPresent()) {
      boolean yes = switch (linked.get()) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException("linked must be true or false");
      };
      // a child is linked when it has a parent; a parent when it has children
      c = c.and(yes
          ? BAG.PARENT_CODE.isNotNull().or(BAG.CHILD_COUNT.gt(0))
          : BAG.PARENT_CODE.isNull().and(BAG.CHILD_COUNT.eq(0)));
    }
    Optional<String> billed = q.first("billed").asOptional();
    if (billed.isPresent()) {
      boolean yes = switch (billed.get()) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException("billed must be true or false");
      };
      // a parent is billed when it is on a bill; a child when its parent is
      Condition onBill = DSL.exists(DSL.selectOne().from(BILL_PARENT)
          .where(BILL_PARENT.PARENT_CODE.eq(BAG.CODE).or(BILL_PARENT.PARENT_CODE.eq(BAG.PARENT_CODE))));
      c = c.and(yes ? onBill : DSL.not(onBill));
    }
    return c;
  }
}
