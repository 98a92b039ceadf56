package io.tracetrack.hub.sync;

import io.tracetrack.hub.log.ChangeLog;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.auth.SignInLimiter;
import io.tracetrack.hub.web.ClientAddresses;
import io.tracetrack.hub.web.Http;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.ApiProblem;
import io.tracetrack.web.Form;
import io.tracetrack.web.JsonBody;
import io.tracetrack.sync.CodecException;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.WireCodec;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.zip.GZIPOutputStream;
import java.util.Map;

/**
 * {@code /api/v1/sync}: what edge nodes call. No user token here: {@code /enroll} takes an
 * enrolment code as its credential, every other route a device credential ({@link DockAuth}).
 */
public final class SyncRoutes implements HttpService {

  private static final WireCodec WIRE = new WireCodec();
  /** A push may be far larger than the hub's other bodies: up to a thousand ops. */
  private static final JsonBody PUSH_BODY = new JsonBody(WireCodec.MAX_PUSH_BYTES, 32);

  private final Docks docks;
  private final DockAuth auth;
  private final SignInLimiter limiter;
  private final ClientAddresses addresses;
  private final Ingest ingest;
  private final ChangeFeed feed;
  private final Snapshots snapshots;
  private final Conflicts conflicts;

  /** @param limiter a budget of its own (per address), so guessing codes cannot spend the users' sign-in budget */
  public SyncRoutes(Docks docks, DockAuth auth, SignInLimiter limiter, ClientAddresses addresses, Ingest ingest,
      ChangeFeed feed, Snapshots snapshots, Conflicts conflicts) {
    this.docks = docks;
    this.ingest = ingest;
    this.auth = auth;
    this.limiter = limiter;
    this.addresses = addresses;
    this.feed = feed;
    this.snapshots = snapshots;
    this.conflicts = conflicts;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/enroll", this::enroll)
        .get("/hello", auth.device(this::hello))
        .post("/push", auth.device(this::push))
        .get("/changes", auth.device(this::changes))
        .get("/snapshot", auth.device(this::snapshot))
        .post("/conflicts/{id}/ack", auth.device(this::acknowledge));
  }

  private void changes(ServerRequest req, ServerResponse res, Docks.Device.Known device) throws InterruptedException {
    var q = req.query();
    long after = number(q.first("after").asOptional(), "after", 0, 0, Long.MAX_VALUE);
    int limit = (int) number(q.first("limit").asOptional(), "limit", ChangeFeed.DEFAULT_LIMIT, 1, ChangeLog.MAX_PAGE);
    int waitMs = (int) number(q.first("waitMs").asOptional(), "waitMs", 0, 0, ChangeFeed.MAX_WAIT_MS);
    // a dock that only polls (nothing to push, no restart) is connected: that is contact too
    ingest.polled(device);
    switch (feed.changes(after, limit, waitMs, new ChangeLog.Audience(device.dock(), device.area()))) {
      case ChangeFeed.Result.Page p -> {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(p.wire());
      }
      case ChangeFeed.Result.SnapshotRequired s -> throw new ApiProblem(410, ErrorCode.SNAPSHOT_REQUIRED,
          "this hub no longer holds the changes after " + after + " (it holds " + s.oldest() + ".." + s.head()
              + "); load GET /api/v1/sync/snapshot and follow the change log from its cursor",
          Map.of("oldest", s.oldest(), "head", s.head()), Map.of());
    }
  }

  private void snapshot(ServerRequest req, ServerResponse res, Docks.Device.Known device) throws IOException {
    boolean gzip = req.headers().value(HeaderNames.ACCEPT_ENCODING)
        .map(v -> v.toLowerCase(java.util.Locale.ROOT).contains("gzip")).orElse(false);
    res.header(HeaderNames.CONTENT_TYPE, "application/x-ndjson");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    if (gzip) {
      res.header(HeaderNames.CONTENT_ENCODING, "gzip");
    }
    try (OutputStream raw = res.outputStream();
        OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw) {
      snapshots.write(new ChangeLog.Audience(device.dock(), device.area()), out);
    }
  }

  private void acknowledge(ServerRequest req, ServerResponse res, Docks.Device.Known device) {
    long id = ConflictRoutes.id(req);
    if (!conflicts.acknowledge(device.dock(), id)) {
      // another dock's conflict is none of this dock's business: the same answer as an unknown one
      throw ConflictRoutes.notFound(id);
    }
    res.status(204).send();
  }

  /**
   * The earliest and latest instants a push may name (its clock, its ops' clocks, its oldest pending
   * op): any real dock's clock is far inside them, and the hub's columns and date arithmetic are
   * safe there. A number outside is a crafted or broken push: 400, before anything is written,
   * never a 500 from a timestamp the database cannot hold.
   */
  static final long EARLIEST_MILLIS = java.time.Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
  static final long LATEST_MILLIS = java.time.Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();

  private static void plausibleTimes(PushBatch batch) {
    plausible(batch.clock().wallMillis(), "clock.wall");
    if (batch.oldestPendingAt() != null) {
      plausible(batch.oldestPendingAt(), "oldestPendingAt");
    }
    for (var op : batch.ops()) {
      plausible(op.hlc().wallMillis(), "hlc.wall of op " + op.id().seq());
    }
  }

  /** 400 {@code INVALID_FIELD} for an instant outside {@link #EARLIEST_MILLIS}..{@link #LATEST_MILLIS} (pushes, receipts). */
  public static void plausible(long millis, String field) {
    if (millis < EARLIEST_MILLIS || millis >= LATEST_MILLIS) {
      throw new ApiProblem(400, ErrorCode.INVALID_FIELD,
          field + " must be between 2000-01-01 and 2200-01-01: " + java.time.Instant.ofEpochMilli(millis)
              + " (" + millis + " ms)");
    }
  }

  /** A whole number query parameter within {@code min..max}; absent gives {@code fallback}. */
  static long number(java.util.Optional<String> text, String name, long fallback, long min, long max) {
    if (text.isEmpty()) {
      return fallback;
    }
    long n;
    try {
      n = Long.parseLong(text.get().strip());
    } catch (NumberFormatException e) {
      throw ApiProblem.invalid(name + " must be a whole number " + min + ".." + max);
    }
    if (n < min || n > max) {
      throw ApiProblem.invalid(name + " must be " + min + ".." + max + ": " + n);
    }
    return n;
  }

  private void enroll(ServerRequest req, ServerResponse res) {
    String address = addresses.of(req);
    // before the body is read: a flood of guesses costs no parsing and no database lookup
    switch (limiter.address(address)) {
      case SignInLimiter.Verdict.Allowed a -> { }
      case SignInLimiter.Verdict.Limited l -> {
        long seconds = l.retryAfter().toSeconds();
        throw new ApiProblem(429, ErrorCode.TOO_MANY_REQUESTS, "too many enrolment attempts; try again in " + seconds + " s",
            Map.of("retryAfterSeconds", seconds), Map.of(HeaderNames.RETRY_AFTER.defaultCase(), Long.toString(seconds)));
      }
    }
    Form f = Http.form(req);
    String code = f.required("code", 128);
    String edgeId = f.required("edgeId", 64);
    // what the edge calls itself: informative only, the code decides the dock and the edge adopts it
    f.optional("dock", 64);
    f.check();
    if (!Docks.validCodeShape(code.strip())) {
      throw ApiProblem.invalid("code must be the enrolment code as given (letters, digits, '-' and '_')");
    }
    if (!Docks.validEdgeId(edgeId)) {
      throw ApiProblem.invalid("edgeId must be 1-64 letters, digits, '.', '_' or '-'");
    }
    switch (docks.enroll(code.strip(), edgeId, address, Http.requestId(req))) {
      case Docks.Enrolment.Enrolled e -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dock", e.dock());
        out.put("area", e.area());
        out.put("edgeId", e.edgeId());
        out.put("credential", e.credential());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Http.json(res, 200, out);
      }
      case Docks.Enrolment.Refused r -> Http.problem(res, r.status(), r.code(), r.message());
    }
  }

  /** Lets an edge check its credential and measure its clock's offset from the hub's. */
  private void hello(ServerRequest req, ServerResponse res, Docks.Device.Known device) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dock", device.dock());
    out.put("area", device.area());
    out.put("edgeId", device.edgeId());
    out.put("hubTime", docks.hubTime());
    // a dock restored from a backup sees here that the hub holds more of its ops than it remembers
    out.put("lastSeq", ingest.seen(device));
    Http.json(res, 200, out);
  }

  /** A batch of the edge's ops: each answered APPLIED, DUPLICATE, REJECTED or HELD (see {@link Ingest}). */
  private void push(ServerRequest req, ServerResponse res, Docks.Device.Known device) {
    PushBatch batch;
    try {
      batch = WIRE.decodePush(new String(PUSH_BODY.bytes(req), StandardCharsets.UTF_8));
    } catch (CodecException e) {
      throw new ApiProblem(e.code().status(), e.code(), e.getMessage());
    }
    plausibleTimes(batch);
    switch (ingest.push(device, batch)) {
      case Ingest.Result.Done d -> {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.status(200).send(WIRE.encode(d.reply()));
      }
      case Ingest.Result.Refused r -> Http.problem(res, r.status(), r.code(), r.message());
    }
  }
}
