package io.tracetrack.hub.io;

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
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code GET /api/v1/exports/bags.csv}, {@code /scans.csv} and {@code /bills.csv}: every row, streamed from a database
 * cursor straight into the response (no row cap, constant memory), cells escaped with
 * {@link SafeCsv}. Admins and billers; dispatchers get their own area's rows.
 */
public final class ExportRoutes implements HttpService {

  private static final Set<Role> ANY_DESK = Set.of(Role.ADMIN, Role.BILLER, Role.DISPATCHER);
  private static final Set<Role> BILLING = Set.of(Role.ADMIN, Role.BILLER);

  private final ExportStore store;
  private final Access access;

  public ExportRoutes(HubDatabase db, Access access) {
    this.store = new ExportStore(db);
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/exports/bags.csv", access.allow(ANY_DESK, this::bags))
        .get("/exports/scans.csv", access.allow(ANY_DESK, this::scans))
        .get("/exports/bills.csv", access.allow(BILLING, this::bills));
  }

  private void bags(ServerRequest req, ServerResponse res, Caller caller) {
    String area = areaOf(caller);
    stream(res, "bags.csv", ExportStore.BAG_COLUMNS, rows -> store.bags(area, rows));
  }

  private void scans(ServerRequest req, ServerResponse res, Caller caller) {
    String area = areaOf(caller);
    stream(res, "scans.csv", ExportStore.SCAN_COLUMNS, rows -> store.scans(area, rows));
  }

  private void bills(ServerRequest req, ServerResponse res, Caller caller) {
    stream(res, "bills.csv", ExportStore.BILL_COLUMNS, store::bills);
  }

  private static String areaOf(Caller caller) {
    return caller.principal().role() == Role.DISPATCHER ? caller.principal().area() : null;
  }

  private void stream(ServerResponse res, String filename, List<String> header, Consumer<ExportStore.Rows> export) {
    res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
    res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
    // A failure after the first bytes cannot become a problem+json any more: the connection is cut
    // mid-chunk, so the client sees a broken download, never a short file that looks complete.
    export.accept(rows -> {
      try (CSVPrinter csv = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(res.outputStream(), StandardCharsets.UTF_8)),
          CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).get())) {
        while (rows.hasNext()) {
          for (Object cell : rows.next()) {
            csv.print(SafeCsv.cell(cell));
          }
          csv.println();
        }
      }
    });
  }
}
