package io.tracetrack.edge.station;

import io.tracetrack.edge.sync.EdgeStatus;
import io.tracetrack.model.ErrorCode;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.edge.receiving.Receiving;
import io.tracetrack.edge.scan.EdgeIdentity;
import io.tracetrack.edge.scan.ScanService;
import io.tracetrack.edge.users.LocalUsers;
import io.tracetrack.edge.users.Session;
import io.tracetrack.edge.users.SignInResult;
import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.sync.DockSync;
import io.tracetrack.web.Json;
import io.tracetrack.web.ApiProblem;
import io.tracetrack.web.Form;
import io.tracetrack.web.Problems;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The JSON API under {@code /api}: station sign-in, the scan endpoint the page uses (a manifest QR,
 * and every scan while the station is receiving, go to {@link Receiving}), the station's state and
 * its open receipt for (re)drawing, the edge's status (with its sync side), and this dock's sync conflicts
 * with their acknowledgement. Business refusals of a scan are a 200 with
 * {@code accepted:false}; only malformed requests and missing sessions are 4xx.
 */
public final class StationApi implements HttpService {

  /** Any string field: the body cap is the real limit; a scan of any length gets the terminal's answer. */
  private static final int TEXT_MAX = Integer.MAX_VALUE;

  /** Most conflicts the station lists at once; more is the admin's work at the hub. */
  private static final int CONFLICTS_SHOWN = 50;

  private final ScanService scans;
  private final LocalUsers users;
  private final EdgeDatabase db;
  private final DockSync sync;
  private final Clock clock;
  private final Receiving receiving;

  /** The API of a dock not enrolled with a hub (its status says so; it has no conflicts). */
  public StationApi(ScanService scans, LocalUsers users, EdgeDatabase db) {
    this(scans, users, db, DockSync.notEnrolled(), Clock.systemUTC());
  }

  public StationApi(ScanService scans, LocalUsers users, EdgeDatabase db, DockSync sync, Clock clock) {
    this(scans, users, db, sync, clock, new Receiving(db, scans.grammar(), clock, () -> { }));
  }

  /** @param receiving the receiving station's rules: a manifest QR, and every scan while a receipt is open */
  public StationApi(ScanService scans, LocalUsers users, EdgeDatabase db, DockSync sync, Clock clock,
      Receiving receiving) {
    this.receiving = Objects.requireNonNull(receiving, "receiving");
    this.scans = scans;
    this.users = users;
    this.db = db;
    this.sync = Objects.requireNonNull(sync, "sync");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/session", this::signIn)
        .delete("/session", this::signOut)
        .post("/scan", signedIn(this::scan))
        .get("/station", signedIn(this::station))
        .get("/receipt", signedIn(this::receipt))
        .get("/status", this::status)
        .get("/conflicts", signedIn(this::conflicts))
        .post("/conflicts/{id}/ack", signedIn(this::acknowledge));
  }

  /** A handler that runs only inside a station session. */
  @FunctionalInterface
  interface SessionHandler {
    void handle(ServerRequest req, ServerResponse res, Session session) throws Exception;
  }

  /** {@code handler}, run only for a signed-in station (401 {@code NOT_SIGNED_IN} otherwise, before it runs). */
  Handler signedIn(SessionHandler handler) {
    return (req, res) -> handler.handle(req, res, bearer(req).flatMap(users::session).orElseThrow(() ->
        new ApiProblem(401, ErrorCode.NOT_SIGNED_IN, "sign in at the station first (or the session expired)")));
  }

  private void signIn(ServerRequest req, ServerResponse res) {
    Form f = EdgeServer.BODY.form(req);
    String station = f.required("station", TEXT_MAX);
    String user = f.required("user", TEXT_MAX);
    String password = f.required("password", TEXT_MAX);
    f.check();
    switch (users.signIn(station, user, password)) {
      case SignInResult.SignedIn s -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", s.token());
        out.put("station", s.station());
        out.put("user", s.user());
        out.put("created", s.created());
        sendJson(res, out);
      }
      case SignInResult.Refused r -> Problems.send(res, switch (r.code()) {
        case BAD_CREDENTIALS -> 401;
        case ACCOUNT_LOCKED -> 423;
        case DISABLED -> 403;
        default -> 400;
      }, r.code(), r.message());
    }
  }

  private void signOut(ServerRequest req, ServerResponse res) {
    users.signOut(bearer(req).orElse(null));
    res.status(204).send();
  }

  private void scan(ServerRequest req, ServerResponse res, Session session) {
    Form f = EdgeServer.BODY.form(req);
    String code = f.required("code", TEXT_MAX);
    f.check();
    if (receiving.takes(session.station(), code)) {
      sendJson(res, receiving.scan(session.station(), session.user(), code));
    } else {
      sendJson(res, scans.scan(session.station(), session.user(), code));
    }
  }

  /** The receipt open at the session's station ({@code receipt: null} when it is not receiving). */
  private void receipt(ServerRequest req, ServerResponse res, Session session) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("receipt", receiving.open(session.station()).orElse(null));
    sendJson(res, out);
  }

  private void station(ServerRequest req, ServerResponse res, Session session) {
    sendJson(res, scans.view(session.station(), session.user()));
  }

  private void status(ServerRequest req, ServerResponse res) {
    Instant now = clock.instant();
    sendJson(res, EdgeStatus.of(db, now, sync.status(now), sync.bootstrap()));
  }

  /** This dock's conflicts nobody here has acknowledged yet, newest first. */
  private void conflicts(ServerRequest req, ServerResponse res, Session session) {
    sendJson(res, Map.of("conflicts", sync.openConflicts(CONFLICTS_SHOWN)));
  }

  /** Someone at the station saw the conflict: it leaves the list (and the hub hears of it when it can). */
  private void acknowledge(ServerRequest req, ServerResponse res, Session session) {
    long id = conflictId(req.path().pathParameters().get("id"));
    if (!sync.acknowledge(id, session.user(), clock.instant())) {
      throw new ApiProblem(404, ErrorCode.CONFLICT_NOT_FOUND, "this dock has no conflict " + id);
    }
    res.status(204).send();
  }

  private static long conflictId(String text) {
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ApiProblem(400, ErrorCode.INVALID_REQUEST, "a conflict id is a whole number");
    }
    return Long.parseLong(text);
  }

  private static Optional<String> bearer(ServerRequest req) {
    return req.headers().value(HeaderNames.AUTHORIZATION)
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).strip());
  }

  static void sendJson(ServerResponse res, Object value) {
    Json.send(res, 200, value);
  }
}
