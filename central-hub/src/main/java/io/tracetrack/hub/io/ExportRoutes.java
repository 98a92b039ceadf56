package io.tracetrack.hub.io;

import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;
import static io.tracetrack.hub.db.jooq.Tables.BILL;
import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.Role;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;

/**
 * {@code GET /api/v1/exports/bags.csv}, {@code /scans.csv} and {@code /bills.csv}: every row, streamed from a database
 * cursor straight into the response (no row cap, constant memory), cells escaped with
 * {@link SafeCsv}. Admins and billers; dispatchers get their own area's rows.
 */
public final class ExportRoutes implements HttpService {

  private static final int FETCH_SIZE = 1_000;

  private final HubDatabase db;
  private final Access access;

  public ExportRoutes(HubDatabase db, Access access) {
    this.db = db;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/exports/bags.csv", this::bags)
        .get("/exports/scans.csv", this::scans)
        .get("/exports/bills.csv", this::bills);
  }

  private void bags(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN, Role.BILLER, Role.DISPATCHER);
    if (caller.isEmpty()) {
      return;
    }
    Condition scope = areaOf(caller.get()) == null ? DSL.noCondition() : BAG.AREA_ID.eq(areaOf(caller.get()));
    stream(res, "bags.csv",
        List.of("code", "role", "expected_count", "limit", "child_count", "parent", "finished_by", "finished_at",
            "area", "dock", "created_by", "created_at"),
        dsl -> dsl.selectFrom(BAG).where(scope).orderBy(BAG.CODE),
        r -> Arrays.asList(r.get(BAG.CODE), r.get(BAG.ROLE), r.get(BAG.EXPECTED_COUNT), r.get(BAG.LIMIT_COUNT),
            r.get(BAG.CHILD_COUNT), r.get(BAG.PARENT_CODE), r.get(BAG.FINISHED_BY), r.get(BAG.FINISHED_AT),
            r.get(BAG.AREA_ID), r.get(BAG.DOCK), r.get(BAG.CREATED_BY), r.get(BAG.CREATED_AT)));
  }

  private void scans(ServerRequest req, ServerResponse res) {
    Optional<Caller> caller = access.require(req, res, Role.ADMIN, Role.BILLER, Role.DISPATCHER);
    if (caller.isEmpty()) {
      return;
    }
    String area = areaOf(caller.get());
    Condition scope = area == null ? DSL.noCondition()
        : BAG_EVENT.BAG_CODE.in(DSL.select(BAG.CODE).from(BAG).where(BAG.AREA_ID.eq(area)));
    stream(res, "scans.csv", List.of("id", "at", "kind", "bag", "parent", "actor", "dock", "source"),
        dsl -> dsl.selectFrom(BAG_EVENT).where(scope).orderBy(BAG_EVENT.ID),
        r -> Arrays.asList(r.get(BAG_EVENT.ID), r.get(BAG_EVENT.AT), r.get(BAG_EVENT.KIND), r.get(BAG_EVENT.BAG_CODE),
            r.get(BAG_EVENT.PARENT_CODE), r.get(BAG_EVENT.ACTOR), r.get(BAG_EVENT.DOCK), r.get(BAG_EVENT.SOURCE)));
  }

  private void bills(ServerRequest req, ServerResponse res) {
    if (access.require(req, res, Role.ADMIN, Role.BILLER).isEmpty()) {
      return;
    }
    var parents = DSL.select(DSL.count()).from(BILL_PARENT).where(BILL_PARENT.BILL_ID.eq(BILL.ID)).asField("parents");
    var children = DSL.select(DSL.coalesce(DSL.sum(BAG.CHILD_COUNT), java.math.BigDecimal.ZERO)).from(BILL_PARENT)
        .join(BAG).on(BAG.CODE.eq(BILL_PARENT.PARENT_CODE)).where(BILL_PARENT.BILL_ID.eq(BILL.ID)).asField("children");
    stream(res, "bills.csv",
        List.of("id", "status", "destination", "vehicle", "capacity", "parents", "children", "created_by", "created_at",
            "finalized_by", "finalized_at"),
        dsl -> dsl.select(BILL.ID, BILL.STATUS, BILL.DESTINATION, BILL.VEHICLE_NUMBER, BILL.CAPACITY, parents, children,
            BILL.CREATED_BY, BILL.CREATED_AT, BILL.FINALIZED_BY, BILL.FINALIZED_AT).from(BILL).orderBy(BILL.ID),
        r -> Arrays.asList(r.get(BILL.ID), r.get(BILL.STATUS), r.get(BILL.DESTINATION), r.get(BILL.VEHICLE_NUMBER),
            r.get(BILL.CAPACITY), r.get(parents), r.get(children), r.get(BILL.CREATED_BY), r.get(BILL.CREATED_AT),
            r.get(BILL.FINALIZED_BY), r.get(BILL.FINALIZED_AT)));
  }

  private static String areaOf(Caller caller) {
    return caller.principal().role() == Role.DISPATCHER ? caller.principal().area() : null;
  }

  private <R extends Record> void stream(ServerResponse res, String filename, List<String> header,
      Function<org.jooq.DSLContext, ResultQuery<R>> query, Function<R, List<Object>> row) {
    res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
    res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
    // PostgreSQL streams a cursor only inside a transaction; the export reads one consistent snapshot.
    // A failure after the first bytes cannot become a problem+json any more: the connection is cut
    // mid-chunk, so the client sees a broken download, never a short file that looks complete.
    db.transaction(dsl -> {
      try (Cursor<R> cursor = query.apply(dsl).fetchSize(FETCH_SIZE).fetchLazy();
          CSVPrinter csv = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(res.outputStream(), StandardCharsets.UTF_8)),
              CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).get())) {
        for (R r : cursor) {
          for (Object cell : row.apply(r)) {
            csv.print(SafeCsv.cell(cell));
          }
          csv.println();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("export interrupted (client gone?)", e);
      }
      return null;
    });
  }
}
