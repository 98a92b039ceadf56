package io.tracetrack.hub.events;

import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.CHANGE_LOG;

import io.tracetrack.hub.auth.Principal;
import io.tracetrack.sync.ChangeType;
import io.tracetrack.web.Store;
import java.util.List;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * Which events a caller of the feed sees. Admins: every event. Billers: what happens to bags and
 * bills, in every area (they bill any area's parents), but no user or conflict entries. Anyone
 * else with an area (a dispatcher's token, an integrator bound to an area): what happens to the
 * bags of that area only, a bag being in the area its row names (for a link or an unlink, the
 * child's: a child is created where it is linked, and no link crosses areas).
 */
@Store
final class EventScope {

  /** What happens to bags: created, linked, unlinked, finished. */
  static final List<String> BAG_TYPES = List.of(ChangeType.BAG.wire(), ChangeType.LINK.wire(), ChangeType.UNLINK.wire(),
      ChangeType.FINISH.wire());
  /** What happens to bills. */
  static final List<String> BILL_TYPES = List.of(ChangeType.BILL_FINALIZED.wire(), ChangeType.BILL_REOPENED.wire(),
      ChangeType.BILL_PARENT_ADDED.wire(), ChangeType.BILL_PARENT_REMOVED.wire(), ChangeType.BILL_RECEIVED.wire());

  private EventScope() {}

  /** The condition on {@code change_log} for {@code who}; null for every entry. */
  static Condition of(Principal who) {
    return switch (who.role()) {
      case ADMIN -> null;
      case BILLER -> CHANGE_LOG.TYPE.in(BAG_TYPES).or(CHANGE_LOG.TYPE.in(BILL_TYPES));
      default -> who.area() == null
          ? DSL.falseCondition()
          : CHANGE_LOG.TYPE.in(BAG_TYPES).andExists(DSL.selectOne().from(BAG)
              .where(BAG.CODE.eq(CHANGE_LOG.ENTITY_KEY)).and(BAG.AREA_ID.eq(who.area())));
    };
  }
}
