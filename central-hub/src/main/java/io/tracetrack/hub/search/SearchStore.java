package io.tracetrack.hub.search;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BILL;
import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;

import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.db.jooq.tables.records.BagRecord;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The search's queries: bags by exact code and by code prefix (keyset pages in byte order), bills
 * by id prefix, users by name prefix, and the "did you mean" prefixes. Prefixes arrive checked
 * (letters, digits, '-'), and are escaped for LIKE here all the same.
 */
@Store
final class SearchStore {

  private final HubDatabase db;

  SearchStore(HubDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * The filters of one search, already checked; a {@code null} field filters nothing.
   *
   * @param area the bag's area (a dispatcher's own, whatever they asked)
   * @param role {@code PARENT} or {@code CHILD}
   * @param from created at or after
   * @param to created before
   * @param linked a child with a parent, or a parent with children (or, when false, neither)
   * @param billed a parent on a bill, or a child whose parent is (or, when false, neither)
   */
  record Filter(String area, String role, String dock, String user, OffsetDateTime from, OffsetDateTime to,
      Boolean linked, Boolean billed) {}

  Optional<SearchRoutes.Hit> exact(String code, Filter filter) {
    return db.dsl().selectFrom(BAG).where(BAG.CODE.eq(code)).and(condition(filter)).fetchOptional().map(SearchStore::hit);
  }

  /** Codes starting with {@code prefix} (the prefix itself excluded: that is the exact match), after {@code after}. */
  List<SearchRoutes.Hit> page(String prefix, Filter filter, Optional<String> after, int limit) {
    Field<String> code = byteOrdered();
    Condition page = code.like(escape(prefix) + "%", '!').and(BAG.CODE.ne(prefix)).and(condition(filter));
    if (after.isPresent()) {
      page = page.and(code.gt(after.get()));
    }
    return db.dsl().selectFrom(BAG).where(page).orderBy(code).limit(limit).fetch(SearchStore::hit);
  }

  /** A first page: the exact match, the prefix page, and (when asked) the bills and users beside them. */
  record FirstPage(Optional<SearchRoutes.Hit> exact, List<SearchRoutes.Hit> hits, List<Map<String, String>> bills,
      List<Map<String, String>> users) {}

  /**
   * What {@link #exact}, {@link #page}, {@link #bills} and {@link #users} answer, in ONE statement:
   * each part is a multiset (JSON aggregation on PostgreSQL and H2) of an independent select, so a
   * search box's first page costs one round trip and one pooled connection for one query.
   */
  FirstPage firstPage(String text, Filter filter, int limit, boolean withBills, boolean withUsers) {
    Field<String> code = byteOrdered();
    Field<List<SearchRoutes.Hit>> exact = DSL.multiset(hitFields().from(BAG).where(BAG.CODE.eq(text)).and(condition(filter)))
        .convertFrom(r -> r.map(org.jooq.Records.mapping(SearchRoutes.Hit::new)));
    Field<List<SearchRoutes.Hit>> page = DSL.multiset(hitFields().from(BAG)
            .where(code.like(escape(text) + "%", '!').and(BAG.CODE.ne(text)).and(condition(filter))).orderBy(code).limit(limit))
        .convertFrom(r -> r.map(org.jooq.Records.mapping(SearchRoutes.Hit::new)));
    List<org.jooq.SelectField<?>> fields = new java.util.ArrayList<>(List.of(exact, page));
    Field<List<Map<String, String>>> bills = DSL.multiset(DSL.select(BILL.ID, BILL.STATUS, BILL.DESTINATION).from(BILL)
            .where(BILL.ID.like(escape(text) + "%", '!')).orderBy(BILL.ID).limit(10))
        .convertFrom(r -> r.map(b -> Map.of("id", b.value1(), "status", b.value2(), "destination", b.value3())).stream()
            .sorted(java.util.Comparator.comparing(b -> b.get("id"))).toList());
    Field<List<Map<String, String>>> users = DSL.multiset(DSL.select(APP_USER.USERNAME, APP_USER.ROLE).from(APP_USER)
            .where(DSL.upper(APP_USER.USERNAME).like(escape(text) + "%", '!')).orderBy(APP_USER.USERNAME).limit(10))
        .convertFrom(r -> r.map(u -> Map.of("username", u.value1(), "role", u.value2())).stream()
            .sorted(java.util.Comparator.comparing(u -> u.get("username"))).toList());
    if (withBills) {
      fields.add(bills);
    }
    if (withUsers) {
      fields.add(users);
    }
    org.jooq.Record row = db.dsl().select(fields).fetchSingle();
    // an aggregate over a limited derived table need not keep its order: put it back (codes are
    // ASCII, where String order is byte order)
    List<SearchRoutes.Hit> hits = row.get(page).stream().sorted(java.util.Comparator.comparing(SearchRoutes.Hit::code)).toList();
    return new FirstPage(row.get(exact).stream().findFirst(), hits, withBills ? row.get(bills) : List.of(),
        withUsers ? row.get(users) : List.of());
  }

  private static org.jooq.SelectSelectStep<org.jooq.Record9<String, String, Integer, Integer, String, String, String, String,
      OffsetDateTime>> hitFields() {
    return DSL.select(BAG.CODE, BAG.ROLE, BAG.CHILD_COUNT, BAG.LIMIT_COUNT, BAG.PARENT_CODE, BAG.AREA_ID, BAG.DOCK,
        BAG.CREATED_BY, BAG.CREATED_AT);
  }

  /** Up to ten bills whose id starts with {@code prefix}: id, status, destination. */
  List<Map<String, String>> bills(String prefix) {
    return db.dsl().select(BILL.ID, BILL.STATUS, BILL.DESTINATION).from(BILL).where(BILL.ID.like(escape(prefix) + "%", '!'))
        .orderBy(BILL.ID).limit(10).fetch(r -> Map.of("id", r.value1(), "status", r.value2(), "destination", r.value3()));
  }

  /** Up to ten users whose name, upper-cased, starts with {@code prefix}: user name and role. */
  List<Map<String, String>> users(String prefix) {
    return db.dsl().select(APP_USER.USERNAME, APP_USER.ROLE).from(APP_USER)
        .where(DSL.upper(APP_USER.USERNAME).like(escape(prefix) + "%", '!'))
        .orderBy(APP_USER.USERNAME).limit(10).fetch(r -> Map.of("username", r.value1(), "role", r.value2()));
  }

  /** Codes sharing the longest prefix of the query that has any; at most five. */
  List<String> suggestions(String text, Filter filter) {
    Condition where = condition(filter);
    for (int length = text.length() - 1; length >= 2; length--) {
      String prefix = text.substring(0, length);
      Field<String> code = byteOrdered();
      List<String> found = db.dsl().select(BAG.CODE).from(BAG).where(code.like(escape(prefix) + "%", '!')).and(where)
          .orderBy(code).limit(5).fetch(BAG.CODE);
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  private static SearchRoutes.Hit hit(BagRecord r) {
    return new SearchRoutes.Hit(r.getCode(), r.getRole(), r.getChildCount(), r.getLimitCount(), r.getParentCode(),
        r.getAreaId(), r.getDock(), r.getCreatedBy(), r.getCreatedAt());
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

  private static Condition condition(Filter f) {
    Condition c = DSL.noCondition();
    if (f.area() != null) {
      c = c.and(BAG.AREA_ID.eq(f.area()));
    }
    if (f.role() != null) {
      c = c.and(BAG.ROLE.eq(f.role()));
    }
    if (f.dock() != null) {
      c = c.and(BAG.DOCK.eq(f.dock()));
    }
    if (f.user() != null) {
      c = c.and(BAG.CREATED_BY.eq(f.user()));
    }
    if (f.from() != null) {
      c = c.and(BAG.CREATED_AT.ge(f.from()));
    }
    if (f.to() != null) {
      c = c.and(BAG.CREATED_AT.lt(f.to()));
    }
    if (f.linked() != null) {
      // a child is linked when it has a parent; a parent when it has children
      c = c.and(f.linked()
          ? BAG.PARENT_CODE.isNotNull().or(BAG.CHILD_COUNT.gt(0))
          : BAG.PARENT_CODE.isNull().and(BAG.CHILD_COUNT.eq(0)));
    }
    if (f.billed() != null) {
      // a parent is billed when it is on a bill; a child when its parent is
      Condition onBill = DSL.exists(DSL.selectOne().from(BILL_PARENT)
          .where(BILL_PARENT.PARENT_CODE.eq(BAG.CODE).or(BILL_PARENT.PARENT_CODE.eq(BAG.PARENT_CODE))));
      c = c.and(f.billed() ? onBill : DSL.not(onBill));
    }
    return c;
  }
}
