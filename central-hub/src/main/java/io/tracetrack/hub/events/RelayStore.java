package io.tracetrack.hub.events;

import static io.tracetrack.hub.db.jooq.Tables.EVENT_RELAY;

import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import org.jooq.DSLContext;

/** The relay's one row: its position, and the lease that lets one hub instance relay at a time. */
@Store
final class RelayStore {

  private final DSLContext dsl;

  RelayStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * Takes or renews the lease until {@code until}: it is {@code me}'s if no one holds it, {@code me}
   * already does, or the holder's lease ran out before {@code now}.
   */
  boolean claim(String me, OffsetDateTime now, OffsetDateTime until) {
    return dsl.update(EVENT_RELAY).set(EVENT_RELAY.HOLDER, me).set(EVENT_RELAY.LEASE_UNTIL, until)
        .where(EVENT_RELAY.ID.eq(1).and(EVENT_RELAY.HOLDER.isNull().or(EVENT_RELAY.HOLDER.eq(me))
            .or(EVENT_RELAY.LEASE_UNTIL.lt(now))))
        .execute() == 1;
  }

  /** Gives the lease up (a hub shutting down), so another instance need not wait for it to run out. */
  void release(String me) {
    dsl.update(EVENT_RELAY).set(EVENT_RELAY.HOLDER, (String) null).set(EVENT_RELAY.LEASE_UNTIL, (OffsetDateTime) null)
        .where(EVENT_RELAY.ID.eq(1).and(EVENT_RELAY.HOLDER.eq(me))).execute();
  }

  long position() {
    return dsl.select(EVENT_RELAY.POSITION).from(EVENT_RELAY).where(EVENT_RELAY.ID.eq(1)).fetchSingle().value1();
  }

  /**
   * Moves the position to {@code to}, only while {@code me} still holds the lease: an instance that
   * lost it (paused past its lease) cannot move the position of the one relaying now.
   */
  boolean advance(String me, long to, OffsetDateTime at) {
    return dsl.update(EVENT_RELAY).set(EVENT_RELAY.POSITION, to).set(EVENT_RELAY.RELAYED_AT, at)
        .where(EVENT_RELAY.ID.eq(1).and(EVENT_RELAY.HOLDER.eq(me)).and(EVENT_RELAY.POSITION.lt(to)))
        .execute() == 1;
  }

  /** Who relays now and until when, for the health page. */
  record Lease(String holder, OffsetDateTime until, long position, OffsetDateTime relayedAt) {}

  Lease lease() {
    var r = dsl.selectFrom(EVENT_RELAY).where(EVENT_RELAY.ID.eq(1)).fetchSingle();
    return new Lease(r.getHolder(), r.getLeaseUntil(), r.getPosition(), r.getRelayedAt());
  }
}
