package io.tracetrack.hub.sync;

import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Actor;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.db.SharedReads;
import io.tracetrack.model.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The dock fleet: registering docks, handing out enrolment codes, exchanging a code for a device
 * credential, revoking. Every change is audited in its own transaction. A code is shown once (in
 * the answer that made it) and works once, until it expires; a credential is shown once (in the
 * enrolment answer) and works until the dock is revoked or enrolled again.
 */
public final class Docks {

  /** How long an enrolment code works unless the hub is told otherwise. */
  public static final Duration DEFAULT_CODE_LIFETIME = Duration.ofHours(24);

  /**
   * The dock-name rule of the edge's {@code --dock} flag ({@code io.tracetrack.edge.EdgeConfig}):
   * a name the hub registers must be one an edge can carry.
   */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** What an edge's id may look like (the edge makes {@code edge-<12 hex>}; older or other edges may differ). */
  private static final Pattern CODE_SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  static final Pattern EDGE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** The outcome of an admin's change to a dock. */
  public sealed interface Change {
    /** @param code the new enrolment code, shown only in this answer; {@code null} for a revocation */
    record Done(DockView dock, String code, boolean created) implements Change {}

    record Refused(int status, ErrorCode code, String message) implements Change {}
  }

  /** The outcome of an enrolment. */
  public sealed interface Enrolment {
    /** @param credential the device credential, shown only in this answer */
    record Enrolled(String dock, String area, String edgeId, String credential) implements Enrolment {}

    record Refused(int status, ErrorCode code, String message) implements Enrolment {}
  }

  /** Whom a device credential speaks for. */
  public sealed interface Device {
    record Known(String dock, String area, String edgeId) implements Device {}

    record Revoked(String dock) implements Device {}

    record Unknown() implements Device {}
  }

  private final HubDatabase db;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration codeLifetime;
  /**
   * Every sync request's credential check reads the database after the request came (a revocation
   * counts at once, on every instance); requests arriving together share one query.
   */
  private final SharedReads<String, DockStore.Row> credentials;

  public Docks(HubDatabase db, AuditLog audit, Clock clock, Duration codeLifetime) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.codeLifetime = Objects.requireNonNull(codeLifetime, "codeLifetime");
    if (codeLifetime.isNegative() || codeLifetime.isZero()) {
      throw new IllegalArgumentException("an enrolment code must live a while, got " + codeLifetime);
    }
    this.credentials = new SharedReads<>("dock-credentials", hashes -> new DockStore(db.dsl()).byCredentials(hashes));
  }

  public static boolean validName(String name) {
    return NAME.matcher(name).matches();
  }

  /** Base64url, as {@link Secrets} makes codes: anything else cannot be one, and is a malformed request. */
  public static boolean validCodeShape(String code) {
    return CODE_SHAPE.matcher(code).matches();
  }

  public static boolean validEdgeId(String edgeId) {
    return EDGE_ID.matcher(edgeId).matches();
  }

  public Change register(String name, String area, Actor actor) {
    OffsetDateTime now = now();
    String code = Secrets.code();
    return db.transaction(tx -> {
      DockStore store = new DockStore(tx);
      if (!store.areaExists(area)) {
        return new Change.Refused(422, ErrorCode.AREA_NOT_FOUND, "no area " + area);
      }
      if (!store.insert(name, area, Secrets.hash(code), now.plus(codeLifetime), actor.username(), now)) {
        return new Change.Refused(409, ErrorCode.DOCK_EXISTS, "a dock named " + name + " is registered already");
      }
      DockView view = store.find(name).orElseThrow().view();
      audit.record(tx, actor, AuditAction.DOCK_REGISTERED, name, null, view);
      return new Change.Done(view, code, true);
    });
  }

  public List<DockView> list() {
    return new DockStore(db.dsl()).list().stream().map(DockStore.Row::view).toList();
  }

  public Optional<DockView> get(String name) {
    return new DockStore(db.dsl()).findWithHealth(name).map(DockStore.Row::view);
  }

  /** A fresh code for the dock (a replaced machine re-enrols with it); the previous code stops working. */
  public Change issueCode(String name, Actor actor) {
    OffsetDateTime now = now();
    String code = Secrets.code();
    return db.transaction(tx -> {
      DockStore store = new DockStore(tx);
      Optional<DockStore.Row> before = store.find(name);
      if (before.isEmpty() || !store.replaceCode(name, Secrets.hash(code), now.plus(codeLifetime))) {
        return notFound(name);
      }
      DockView view = store.find(name).orElseThrow().view();
      audit.record(tx, actor, AuditAction.DOCK_CODE_ISSUED, name, before.get().view(), view);
      return new Change.Done(view, code, false);
    });
  }

  /** Revokes the dock: its credential is refused from the next request on. Revoking twice is not an error. */
  public Change revoke(String name, Actor actor) {
    OffsetDateTime now = now();
    return db.transaction(tx -> {
      DockStore store = new DockStore(tx);
      Optional<DockStore.Row> before = store.find(name);
      if (before.isEmpty()) {
        return notFound(name);
      }
      if (store.revoke(name, now)) {
        DockView view = store.find(name).orElseThrow().view();
        audit.record(tx, actor, AuditAction.DOCK_REVOKED, name, before.get().view(), view);
        return new Change.Done(view, null, false);
      }
      return new Change.Done(before.get().view(), null, false);
    });
  }

  /**
   * Exchanges an enrolment code for a device credential for {@code edgeId}. The dock is the one the
   * code was issued for, whatever the edge calls itself: the edge adopts the hub's answer.
   *
   * <p>Telling "used" and "expired" apart from "unknown" gives nothing to a guesser: only someone
   * who already holds a real code (144 random bits) can ever see the first two, and it tells the
   * person at the dock what to ask the admin for.
   */
  public Enrolment enroll(String code, String edgeId, String ip, String requestId) {
    try {
      return enrollOnce(code, edgeId, ip, requestId);
    } catch (org.jooq.exception.DataAccessException e) {
      // another enrolment bound this edge id between our check and our update: the unique index decides
      if (HubDatabase.isUniqueViolation(e)) {
        return edgeIdTaken(edgeId);
      }
      throw e;
    }
  }

  private Enrolment enrollOnce(String code, String edgeId, String ip, String requestId) {
    OffsetDateTime now = now();
    String codeHash = Secrets.hash(code);
    String credential = Secrets.credential();
    return db.transaction(tx -> {
      DockStore store = new DockStore(tx);
      // only for a code that would work: the answer tells nothing about edge ids to a guesser
      Optional<DockStore.Row> target = store.byCode(codeHash)
          .filter(r -> r.codeUsedAt() == null && r.codeExpiresAt() != null && r.codeExpiresAt().isAfter(now));
      if (target.isPresent() && store.edgeIdHeldElsewhere(edgeId, target.get().name())) {
        return edgeIdTaken(edgeId);
      }
      Optional<String> dock = store.enroll(codeHash, edgeId, Secrets.hash(credential), now);
      if (dock.isEmpty()) {
        return whyNot(store.byCode(codeHash), now);
      }
      DockStore.Row row = store.find(dock.get()).orElseThrow();
      audit.record(tx, new Actor(dockActor(row.name()), ip, requestId), AuditAction.DOCK_ENROLLED, row.name(), null,
          Map.of("edgeId", edgeId));
      return new Enrolment.Enrolled(row.name(), row.area(), edgeId, credential);
    });
  }

  /** Whom the credential speaks for, read from the database now (no cache: a revocation counts at once). */
  public Device device(String credential) {
    return Optional.ofNullable(credentials.get(Secrets.hash(credential)))
        .<Device>map(r -> r.revokedAt() != null ? new Device.Revoked(r.name()) : new Device.Known(r.name(), r.area(), r.edgeId()))
        .orElse(new Device.Unknown());
  }

  /**
   * The hub keys an edge's ops by its id: a second dock under one id would have its scans taken as
   * the first one's duplicates. The edge that asked is a copy of another dock's data folder (or was
   * told another dock's id); a new dock starts on an empty one and makes an id of its own.
   */
  private static Enrolment edgeIdTaken(String edgeId) {
    return new Enrolment.Refused(409, ErrorCode.EDGE_ID_TAKEN, "edge id " + edgeId + " belongs to another dock"
        + " (this data folder was copied from it, or restored from its backup); start this dock on an empty data"
        + " folder, which makes an edge id of its own, and enrol it with a new code");
  }

  private static Enrolment whyNot(Optional<DockStore.Row> row, OffsetDateTime now) {
    if (row.isEmpty()) {
      return new Enrolment.Refused(401, ErrorCode.ENROLLMENT_CODE_INVALID,
          "no dock has this enrolment code (mistyped, replaced by a newer one, or the dock was revoked)");
    }
    if (row.get().codeUsedAt() != null) {
      return new Enrolment.Refused(410, ErrorCode.ENROLLMENT_CODE_USED,
          "this enrolment code was used already; ask an admin for a new one");
    }
    return new Enrolment.Refused(410, ErrorCode.ENROLLMENT_CODE_EXPIRED, "this enrolment code expired at "
        + row.get().codeExpiresAt() + " (now " + now + "); ask an admin for a new one");
  }

  /**
   * The audit actor of a dock's own action: {@code dock:<name>}, cut to the 64 characters the actor
   * column holds (a dock name may have 64 by itself); the entry's entity id keeps the whole name.
   */
  static String dockActor(String name) {
    String actor = "dock:" + name;
    return actor.length() <= 64 ? actor : actor.substring(0, 64);
  }

  private static Change notFound(String name) {
    return new Change.Refused(404, ErrorCode.DOCK_NOT_FOUND, "no dock " + name);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** The hub's time, for the edge to measure its clock's offset. */
  OffsetDateTime hubTime() {
    return now();
  }
}
