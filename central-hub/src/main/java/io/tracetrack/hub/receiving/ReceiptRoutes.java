package io.tracetrack.hub.receiving;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.bill.BillService;
import io.tracetrack.hub.bill.BillView;
import io.tracetrack.hub.sync.DockAuth;
import io.tracetrack.hub.sync.Docks;
import io.tracetrack.hub.sync.SyncRoutes;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import io.tracetrack.sync.CodecException;
import io.tracetrack.sync.ReceiptReport;
import io.tracetrack.sync.WireCodec;
import io.tracetrack.web.ApiProblem;
import io.tracetrack.web.JsonBody;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Under {@code /api/v1}: {@code POST /sync/receipts}, what a dock sends when it closed a receipt
 * (device credential), and {@code GET /bills/{id}/receipts}, what billers and admins read.
 */
public final class ReceiptRoutes implements HttpService {

  private static final WireCodec WIRE = new WireCodec();
  private static final JsonBody RECEIPT_BODY = new JsonBody(WireCodec.MAX_RECEIPT_BYTES, 8);
  private static final Set<Role> BILLING = Set.of(Role.BILLER, Role.ADMIN);

  private final Receipts receipts;
  private final BillService bills;
  private final DockAuth docks;
  private final Access access;

  public ReceiptRoutes(Receipts receipts, BillService bills, DockAuth docks, Access access) {
    this.receipts = receipts;
    this.bills = bills;
    this.docks = docks;
    this.access = access;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/sync/receipts", docks.device(this::record))
        .get("/bills/{id}/receipts", access.allow(BILLING, this::ofBill));
  }

  /**
   * A receipt the dock closed: recorded once per key, judged against the bill as this hub holds
   * it. 200 with the receipt as recorded, also for a repeat of one recorded before ({@code
   * duplicate: true}); 404 {@code BILL_NOT_FOUND} for a bill this hub does not have.
   */
  private void record(ServerRequest req, ServerResponse res, Docks.Device.Known device) {
    ReceiptReport report;
    try {
      report = WIRE.decodeReceipt(new String(RECEIPT_BODY.bytes(req), StandardCharsets.UTF_8));
    } catch (CodecException e) {
      throw new ApiProblem(e.code().status(), e.code(), e.getMessage());
    }
    // the times a push may name: any real dock's clock is far inside them
    SyncRoutes.plausible(report.openedAt().toEpochMilli(), "openedAt");
    SyncRoutes.plausible(report.closedAt().toEpochMilli(), "closedAt");
    report.scans().forEach(s -> SyncRoutes.plausible(s.at().toEpochMilli(), "the scan of " + s.code()));
    switch (receipts.record(device.dock(), device.edgeId(), report)) {
      case Receipts.Outcome.Recorded r -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("duplicate", r.duplicate());
        out.put("receipt", r.receipt());
        Http.json(res, 200, out);
      }
      case Receipts.Outcome.NoSuchBill n -> throw new ApiProblem(404, ErrorCode.BILL_NOT_FOUND,
          "this hub has no bill " + n.bill() + ": the manifest scanned is not one of its bills");
    }
  }

  /** What docks at the destination received of the bill, newest receipt first. */
  private void ofBill(ServerRequest req, ServerResponse res, Caller caller) {
    String id = req.path().pathParameters().get("id");
    // the bill's own answer decides 404, and normalises the id as every bill route does
    BillView bill = bills.get(id).orElseThrow(() -> io.tracetrack.hub.bill.BillRoutes.notFound(id));
    Http.json(res, 200, Map.of("bill", bill.id(), "receipts", receipts.of(bill.id())));
  }
}
