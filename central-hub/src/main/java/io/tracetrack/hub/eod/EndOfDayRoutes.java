package io.tracetrack.hub.eod;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.io.Download;
import io.tracetrack.hub.io.ExportFormat;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The end-of-day summary (F-EOD), days in the deployment's time zone:
 * <ul>
 *   <li>{@code GET /api/v1/eod/{day}} JSON, {@code /eod/{day}.csv} and {@code .xlsx} downloads (admins, billers);</li>
 *   <li>{@code POST /api/v1/eod/{day}/mail}: mail it now (admins; audited);</li>
 *   <li>{@code GET /api/v1/eod/mail}: the last days' mail, sent or failing (admins);</li>
 *   <li>{@code GET /api/v1/eod?date=YYYY-MM-DD&tz=Area/City}: the first form, kept for its callers.</li>
 * </ul>
 */
public final class EndOfDayRoutes implements HttpService {

  private static final Set<Role> BILLING = Set.of(Role.ADMIN, Role.BILLER);
  private static final Set<Role> ADMIN = Set.of(Role.ADMIN);
  private static final int MAIL_LOG_DAYS = 14;

  private final EndOfDay eod;
  private final EodMailer mail;
  private final Access access;
  private final Clock clock;
  private final ZoneId zone;

  public EndOfDayRoutes(EndOfDay eod, EodMailer mail, Access access, Clock clock, ZoneId zone) {
    this.eod = eod;
    this.mail = mail;
    this.access = access;
    this.clock = clock;
    this.zone = zone;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/eod", access.allow(BILLING, this::summaryByQuery))
        .get("/eod/mail", access.allow(ADMIN, this::mailLog))
        .get("/eod/{day}", access.allow(BILLING, this::summary))
        .post("/eod/{day}/mail", access.allow(ADMIN, this::mailNow));
  }

  private void summary(ServerRequest req, ServerResponse res, Caller caller) {
    String path = req.path().pathParameters().get("day");
    Optional<ExportFormat> format = ExportFormat.ofFilename(path);
    LocalDate day = day(format.isPresent() ? path.substring(0, path.lastIndexOf('.')) : path);
    EndOfDay.Summary summary = eod.of(day, zone);
    if (format.isEmpty()) {
      Http.json(res, 200, summary);
      return;
    }
    Download.table(res, "eod-" + day + "." + format.get().extension(), format.get(), EodTable.COLUMNS,
        EodTable.rows(summary));
  }

  private void mailNow(ServerRequest req, ServerResponse res, Caller caller) {
    LocalDate day = day(req.path().pathParameters().get("day"));
    switch (mail.sendNow(day, caller)) {
      case EodMailer.Result.Sent s -> Http.json(res, 200, Map.of("day", s.day(), "recipients", s.recipients()));
      case EodMailer.Result.NotConfigured n -> throw new ApiProblem(409, ErrorCode.SMTP_NOT_CONFIGURED,
          "no mail server is configured: set HUB_SMTP_HOST (and HUB_SMTP_FROM, HUB_SMTP_USER, HUB_SMTP_PASSWORD) and restart the hub");
      case EodMailer.Result.NoRecipients n -> throw new ApiProblem(409, ErrorCode.NO_MAIL_RECIPIENTS,
          "no enabled admin or biller has an e-mail address: add one on the Users page, then send again");
      // 502, not a 4xx: the request was fine, the mail server behind the hub was not
      case EodMailer.Result.Failed f -> Http.problem(res, 502, ErrorCode.MAIL_FAILED,
          "the mail server did not take the message (" + f.error() + "); it is tried again in "
              + EodMailer.RETRY.toMinutes() + " minutes, or send again once the server is back");
    }
  }

  private void mailLog(ServerRequest req, ServerResponse res, Caller caller) {
    Http.json(res, 200, Map.of("configured", mail.configured(), "days", mail.recent(MAIL_LOG_DAYS)));
  }

  private static LocalDate day(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeException e) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, "the day is written YYYY-MM-DD, e.g. 2026-11-22");
    }
  }

  private void summaryByQuery(ServerRequest req, ServerResponse res, Caller caller) {
    ZoneId tz;
    LocalDate date;
    try {
      tz = req.query().first("tz").asOptional().map(ZoneId::of).orElse(zone);
      date = req.query().first("date").asOptional().map(LocalDate::parse).orElseGet(() -> LocalDate.ofInstant(clock.instant(), tz));
    } catch (DateTimeException e) {
      throw ApiProblem.invalid("date must be YYYY-MM-DD and tz a time zone such as Asia/Kolkata");
    }
    Http.json(res, 200, eod.of(date, tz));
  }
}
