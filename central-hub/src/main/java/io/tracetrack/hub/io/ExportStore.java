package io.tracetrack.hub.io;

import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;
import static io.tracetrack.hub.db.jooq.Tables.BILL;
import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;

import io.tracetrack.hub.db.HubDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
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
final class ExportStore {

  private static final int FETCH_SIZE = 1_000;

  static final List<String> BAG_COLUMNS = List.of("code", "role", "expected_count", "limit", "child_count", "parent",
      "finished_by", "finished_at", "area", "dock", "created_by", "created_at");
  static final List<String> SCAN_COLUMNS = List.of("id", "at", "kind", "bag", "parent", "actor", "dock", "source");
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

  /** Every bag, by code; only {@code area}'s when it is not {@code null}. */
  void bags(String area, Rows out) {
    Condition scope = area == null ? DSL.noCondition() : BAG.AREA_ID.eq(area);
    stream(dsl -> dsl.selectFrom(BAG).where(scope).orderBy(BAG.CODE),
        r -> Arrays.asList(r.get(BAG.CODE), r.get(BAG.ROLE), r.get(BAG.EXPECTED_COUNT), r.get(BAG.LIMIT_COUNT),
            r.get(BAG.CHILD_COUNT), r.get(BAG.PARENT_CODE), r.get(BAG.FINISHED_BY), r.get(BAG.FINISHED_AT),
            r.get(BAG.AREA_ID), r.get(BAG.DOCK), r.get(BAG.CREATED_BY), r.get(BAG.CREATED_AT)),
        out);
  }

  /** Every bag event, oldest first; only those about {@code area}'s bags when it is not {@code null}. */
  void scans(String area, Rows out) {
    Condition scope = area == null ? DSL.noCondition()
        : BAG_EVENT.BAG_CODE.in(DSL.select(BAG.CODE).from(BAG).where(BAG.AREA_ID.eq(area)));
    stream(dsl -> dsl.selectFrom(BAG_EVENT).where(scope).orderBy(BAG_EVENT.ID),
        r -> Arrays.asList(r.get(BAG_EVENT.ID), r.get(BAG_EVENT.AT), r.get(BAG_EVENT.KIND), r.get(BAG_EVENT.BAG_CODE),
            r.get(BAG_EVENT.PARENT_CODE), r.get(BAG_EVENT.ACTOR), r.get(BAG_EVENT.DOCK), r.get(BAG_EVENT.SOURCE)),
        out);
  }

  /** Every bill, by id, with its parent and child counts. */
  void bills(Rows out) {
    var parents = DSL.select(DSL.count()).from(BILL_PARENT).where(BILL_PARENT.BILL_ID.eq(BILL.ID)).asField("parents");
    var children = DSL.select(DSL.coalesce(DSL.sum(BAG.CHILD_COUNT), java.math.BigDecimal.ZERO)).from(BILL_PARENT)
        .join(BAG).on(BAG.CODE.eq(BILL_PARENT.PARENT_CODE)).where(BILL_PARENT.BILL_ID.eq(BILL.ID)).asField("children");
    stream(dsl -> dsl.select(BILL.ID, BILL.STATUS, BILL.DESTINATION, BILL.VEHICLE_NUMBER, BILL.CAPACITY, parents, children,
            BILL.CREATED_BY, BILL.CREATED_AT, BILL.FINALIZED_BY, BILL.FINALIZED_AT).from(BILL).orderBy(BILL.ID),
        r -> Arrays.asList(r.get(BILL.ID), r.get(BILL.STATUS), r.get(BILL.DESTINATION), r.get(BILL.VEHICLE_NUMBER),
            r.get(BILL.CAPACITY), r.get(parents), r.get(children), r.get(BILL.CREATED_BY), r.get(BILL.CREATED_AT),
            r.get(BILL.FINALIZED_BY), r.get(BILL.FINALIZED_AT)),
        out);
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
