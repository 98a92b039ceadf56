package io.tracetrack.hub.eod;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;

/** {@code GET /api/v1/eod?date=YYYY-MM-DD&tz=Area/City}: the end-of-day summary. Admins and billers. */
public final class EndOfDayRoutes implements HttpService {

  private final EndOfDay eod;
  private final Access access;
  private final java.time.Clock clock;

  public EndOfDayRoutes(EndOfDay eod, Access access, java.time.Clock clock) {
    this.eod = eod;
    this.access = access;
    this.clock = clock;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/eod", this::summary);
  }

  private void summary(ServerRequest req, ServerResponse res) {
    if (access.require(req, res, Role.ADMIN, Role.BILLER).isEmpty()) {
      return;
    }
    ZoneId zone;
    LocalDate date;
    try {
      zone = ZoneId.of(req.query().first("tz").asOptional().orElse("UTC"));
      date = req.query().first("date").asOptional().map(LocalDate::parse).orElseGet(() -> LocalDate.ofInstant(clock.instant(), zone));
    } catch (DateTimeException e) {
      Http.problem(res, 400, ErrorCode.INVALID_REQUEST, "date must be YYYY-MM-DD and tz a time zone such as Asia/Kolkata");
      return;
    }
    Http.json(res, 200, eod.of(date, zone));
  }
}
