package io.tracetrack.hub.io;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;
import static io.tracetrack.hub.db.jooq.Tables.BILL;
import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;

import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.web.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.tracetrack.sync.Op;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;

/**
 * The exports' queries, each read through a database cursor in one transaction, so a table of
 * any size streams in constant memory. The column names here and the cells of each row are
 * listed side by side: they must stay in the same order.
 */
@Store
final class ExportStore {

  private static final int FETCH_SIZE = 1_000;

  static final List<String> BAG_COLUMNS = List.of("code", "role", "expected_count", "limit", "child_count", "parent",
      "finished_by", "finished_at", "area", "dock", "created_by", "created_at");
  static final List<String> SCAN_COLUMNS = List.of("id", "at", "kind", "bag", "parent", "actor", "dock", "source");
  static final List<String> USER_ACTIVITY_COLUMNS = List.of("username", "role", "area", "disabled", "scans", "links",
      "undos", "parents_created", "bills_created", "bills_finalized", "last_scan_at");
  static final List<String> BILL_COLUMNS = List.of("id", "status", "destination", "vehicle", "capacity", "parents",
      "children", "created_by", "created_at", "finalized_by", "finalized_at");

  /** Takes the rows of one export, each a list of cells, while the cursor is open. */
  @FunctionalInterface
  interface Rows {
    void write(Iterator<List<Object>> rows) throws IOException;
  }

  private final HubDatabase db;

  ExportStore(HubDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** Every bag the filter lets through (created in the range, in the area, of the role), by code. */
  void bags(ExportFilter f, Rows out) {
    Condition scope = DSL.and(
        f.area() == null ? DSL.noCondition() : BAG.AREA_ID.eq(f.area()),
        f.status() == null ? DSL.noCondition() : BAG.ROLE.eq(f.status()),
        f.from() == null ? DSL.noCondition() : BAG.CREATED_AT.ge(f.from()),
        f.to() == null ? DSL.noCondition() : BAG.CREATED_AT.lt(f.to()));
    stream(dsl -> dsl.selectFrom(BAG).where(scope).orderBy(BAG.CODE),
        r -> Arrays.asList(r.get(BAG.CODE), r.get(BAG.ROLE), r.get(BAG.EXPECTED_COUNT), r.get(BAG.LIMIT_COUNT),
            r.get(BAG.CHILD_COUNT), r.get(BAG.PARENT_CODE), r.get(BAG.FINISHED_BY), r.get(BAG.FINISHED_AT),
            r.get(BAG.AREA_ID), r.get(BAG.DOCK), r.get(BAG.CREATED_BY), r.get(BAG.CREATED_AT)),
        out);
  }

  /** Every bag event the filter lets through (in the range, about the area's bags, of the kind), oldest first. */
  void scans(ExportFilter f, Rows out) {
    Condition scope = DSL.and(
        f.area() == null ? DSL.noCondition()
            : BAG_EVENT.BAG_CODE.in(DSL.select(BAG.CODE).from(BAG).where(BAG.AREA_ID.eq(f.area()))),
        f.status() == null ? DSL.noCondition() : BAG_EVENT.KIND.eq(f.status()),
        f.from() == null ? DSL.noCondition() : BAG_EVENT.AT.ge(f.from()),
        f.to() == null ? DSL.noCondition() : BAG_EVENT.AT.lt(f.to()));
    stream(dsl -> dsl.selectFrom(BAG_EVENT).where(scope).orderBy(BAG_EVENT.ID),
        r -> Arrays.asList(r.get(BAG_EVENT.ID), r.get(BAG_EVENT.AT), r.get(BAG_EVENT.KIND), r.get(BAG_EVENT.BAG_CODE),
            r.get(BAG_EVENT.PARENT_CODE), r.get(BAG_EVENT.ACTOR), r.get(BAG_EVENT.DOCK), r.get(BAG_EVENT.SOURCE)),
        out);
  }

  /** Every bill the filter lets through (created in the range, of the status), by id, with its parent and child counts. */
  void bills(ExportFilter f, Rows out) {
    Condition scope = DSL.and(
        f.status() == null ? DSL.noCondition() : BILL.STATUS.eq(f.status()),
        f.from() == null ? DSL.noCondition() : BILL.CREATED_AT.ge(f.from()),
        f.to() == null ? DSL.noCondition() : BILL.CREATED_AT.lt(f.to()));
    var parents = DSL.select(DSL.count()).from(BILL_PARENT).where(BILL_PARENT.BILL_ID.eq(BILL.ID)).asField("parents");
    var children = DSL.select(DSL.coalesce(DSL.sum(BAG.CHILD_COUNT), java.math.BigDecimal.ZERO)).from(BILL_PARENT)
        .join(BAG).on(BAG.CODE.eq(BILL_PARENT.PARENT_CODE)).where(BILL_PARENT.BILL_ID.eq(BILL.ID)).asField("children");
    stream(dsl -> dsl.select(BILL.ID, BILL.STATUS, BILL.DESTINATION, BILL.VEHICLE_NUMBER, BILL.CAPACITY, parents, children,
            BILL.CREATED_BY, BILL.CREATED_AT, BILL.FINALIZED_BY, BILL.FINALIZED_AT).from(BILL).where(scope).orderBy(BILL.ID),
        r -> Arrays.asList(r.get(BILL.ID), r.get(BILL.STATUS), r.get(BILL.DESTINATION), r.get(BILL.VEHICLE_NUMBER),
            r.get(BILL.CAPACITY), r.get(parents), r.get(children), r.get(BILL.CREATED_BY), r.get(BILL.CREATED_AT),
            r.get(BILL.FINALIZED_BY), r.get(BILL.FINALIZED_AT)),
        out);
  }

  /**
   * One row per user (deleted users' tombstones left out) with what they did in the range: bag events
   * by kind, bills created and finalized, their last scan. The events are counted in one grouped
   * pass over the range, then joined to the users here: memory grows with the number of users (a
   * few hundred), never with the number of events.
   */
  void userActivity(ExportFilter f, Rows out) {
    Condition events = DSL.and(
        f.from() == null ? DSL.noCondition() : BAG_EVENT.AT.ge(f.from()),
        f.to() == null ? DSL.noCondition() : BAG_EVENT.AT.lt(f.to()));
    db.transaction(dsl -> {
      Map<String, long[]> byUser = new HashMap<>();
      Map<String, OffsetDateTime> lastScan = new HashMap<>();
      dsl.select(BAG_EVENT.ACTOR, BAG_EVENT.KIND, DSL.count(), DSL.max(BAG_EVENT.AT)).from(BAG_EVENT).where(events)
          .groupBy(BAG_EVENT.ACTOR, BAG_EVENT.KIND).fetch().forEach(r -> {
            long[] n = byUser.computeIfAbsent(r.value1(), k -> new long[6]);
            int slot = switch (r.value2()) {
              case Op.LINK -> 1;
              case Op.UNLINK -> 2;
              case Op.CREATE_PARENT -> 3;
              default -> -1;
            };
            n[0] += r.value3();
            if (slot > 0) {
              n[slot] += r.value3();
            }
            lastScan.merge(r.value1(), r.value4(), (a, b) -> a.isAfter(b) ? a : b);
          });
      Condition created = DSL.and(
          f.from() == null ? DSL.noCondition() : BILL.CREATED_AT.ge(f.from()),
          f.to() == null ? DSL.noCondition() : BILL.CREATED_AT.lt(f.to()));
      dsl.select(BILL.CREATED_BY, DSL.count()).from(BILL).where(created).groupBy(BILL.CREATED_BY).fetch()
          .forEach(r -> byUser.computeIfAbsent(r.value1(), k -> new long[6])[4] += r.value2());
      Condition finalized = DSL.and(BILL.FINALIZED_AT.isNotNull(),
          f.from() == null ? DSL.noCondition() : BILL.FINALIZED_AT.ge(f.from()),
          f.to() == null ? DSL.noCondition() : BILL.FINALIZED_AT.lt(f.to()));
      dsl.select(BILL.FINALIZED_BY, DSL.count()).from(BILL).where(finalized).groupBy(BILL.FINALIZED_BY).fetch()
          .forEach(r -> byUser.computeIfAbsent(r.value1(), k -> new long[6])[5] += r.value2());
      Condition users = DSL.and(APP_USER.ANONYMISED.isFalse(),
          f.area() == null ? DSL.noCondition() : APP_USER.AREA_ID.eq(f.area()),
          f.status() == null ? DSL.noCondition() : APP_USER.ROLE.eq(f.status()));
      var rows = dsl.select(APP_USER.USERNAME, APP_USER.ROLE, APP_USER.AREA_ID, APP_USER.DISABLED).from(APP_USER)
          .where(users).orderBy(APP_USER.USERNAME).fetch(r -> {
            long[] n = byUser.getOrDefault(r.value1(), new long[6]);
            return Arrays.<Object>asList(r.value1(), r.value2(), r.value3(), r.value4(), n[0], n[1], n[2], n[3], n[4], n[5],
                lastScan.get(r.value1()));
          });
      try {
        out.write(rows.iterator());
      } catch (IOException e) {
        throw new UncheckedIOException("export interrupted (client gone?)", e);
      }
      return null;
    });
  }

  private <R extends Record> void stream(Function<DSLContext, ResultQuery<R>> query, Function<R, List<Object>> row,
      Rows out) {
    // PostgreSQL streams a cursor only inside a transaction; the export reads one consistent snapshot
    db.transaction(dsl -> {
      try (Cursor<R> cursor = query.apply(dsl).fetchSize(FETCH_SIZE).fetchLazy()) {
        Iterator<R> records = cursor.iterator();
        out.write(new Iterator<>() {
          @Override
          public boolean hasNext() {
            return records.hasNext();
          }

          @Override
          public List<Object> next() {
            return row.apply(records.next());
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException("export interrupted (client gone?)", e);
      }
      return null;
    });
  }
}
