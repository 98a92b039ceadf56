package io.tracetrack.hub.audit;

import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;

import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;

/**
 * Dock scans in the audit view (issue #16 item 4): every op a dock pushed that the hub applied, as it
 * reached the hub, found by who, dock, station and time. They are read from the bags' history
 * ({@code bag_event}, one row per applied op, written in the push's transaction), which is stored
 * once for the bag pages anyway: a second copy of ~100 k scans a day in the hash-chained
 * {@code audit_entry} would double the write and the chain's work for nothing a reader needs.
 * So scans are not in the hash chain; their tamper evidence is the sync change log and the docks'
 * own outboxes, which hold every op too.
 */
@Store
public final class ScanTrail {

  /** The most a page holds. */
  public static final int PAGE = 200;

  private final HubDatabase db;

  public ScanTrail(HubDatabase db) {
    this.db = db;
  }

  /**
   * One scan: what it did ({@code CREATE_PARENT}, {@code LINK}, {@code UNLINK}, {@code FINISH} …) to
   * which bag and parent, who scanned it, at which dock and station, and when it reached the hub.
   */
  public record Scan(long id, OffsetDateTime at, String kind, String bag, String parent, String actor, String dock,
      String station) {}

  /** The filters of a search; each empty one matches everything. */
  public record Filter(Optional<String> actor, Optional<String> dock, Optional<String> station,
      Optional<OffsetDateTime> from, Optional<OffsetDateTime> until) {}

  /** Newest first, before {@code beforeId} when given, at most {@code limit}. */
  public List<Scan> find(Filter f, Optional<Long> beforeId, int limit) {
    Condition where = BAG_EVENT.SOURCE.eq("EDGE");
    if (f.actor().isPresent()) {
      where = where.and(BAG_EVENT.ACTOR.eq(f.actor().get()));
    }
    if (f.dock().isPresent()) {
      where = where.and(BAG_EVENT.DOCK.eq(f.dock().get()));
    }
    if (f.station().isPresent()) {
      where = where.and(BAG_EVENT.STATION.eq(f.station().get()));
    }
    if (f.from().isPresent()) {
      where = where.and(BAG_EVENT.AT.ge(f.from().get()));
    }
    if (f.until().isPresent()) {
      where = where.and(BAG_EVENT.AT.lt(f.until().get()));
    }
    if (beforeId.isPresent()) {
      where = where.and(BAG_EVENT.ID.lt(beforeId.get()));
    }
    return db.dsl().selectFrom(BAG_EVENT).where(where).orderBy(BAG_EVENT.ID.desc()).limit(Math.clamp(limit, 1, PAGE))
        .fetch(e -> new Scan(e.getId(), e.getAt(), e.getKind(), e.getBagCode(), e.getParentCode(), e.getActor(),
            e.getDock(), e.getStation()));
  }
}
