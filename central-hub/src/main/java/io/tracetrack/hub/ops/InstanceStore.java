package io.tracetrack.hub.ops;

import static io.tracetrack.hub.db.jooq.Tables.HUB_INSTANCE;

import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.DSLContext;

/** The {@code hub_instance} rows: one a running hub instance, renewed by its beat. */
@Store
final class InstanceStore {

  private final DSLContext dsl;

  InstanceStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** Writes {@code name}'s row as of {@code now}: a new instance's, or the renewal of its own. */
  void beat(String name, OffsetDateTime started, OffsetDateTime now, int poolSize, String version) {
    dsl.insertInto(HUB_INSTANCE)
        .set(HUB_INSTANCE.NAME, name).set(HUB_INSTANCE.STARTED_AT, started).set(HUB_INSTANCE.SEEN_AT, now)
        .set(HUB_INSTANCE.POOL_SIZE, poolSize).set(HUB_INSTANCE.VERSION, version)
        .onConflict(HUB_INSTANCE.NAME).doUpdate()
        .set(HUB_INSTANCE.SEEN_AT, now).set(HUB_INSTANCE.POOL_SIZE, poolSize)
        .execute();
  }

  /** How many instances were seen at {@code since} or later (this one among them, once it beat). */
  int liveSince(OffsetDateTime since) {
    return dsl.fetchCount(HUB_INSTANCE, HUB_INSTANCE.SEEN_AT.ge(since));
  }

  /** The instances seen at {@code since} or later, the longest running first. */
  List<HubInstances.Instance> seenSince(OffsetDateTime since, String here) {
    return dsl.selectFrom(HUB_INSTANCE).where(HUB_INSTANCE.SEEN_AT.ge(since))
        .orderBy(HUB_INSTANCE.STARTED_AT, HUB_INSTANCE.NAME)
        .fetch(r -> new HubInstances.Instance(r.getName(), r.getStartedAt(), r.getSeenAt(), r.getPoolSize(),
            r.getVersion(), r.getName().equals(here)));
  }

  /** Removes the rows of instances not seen since {@code before}: long gone, killed or cut off. */
  int forget(OffsetDateTime before) {
    return dsl.deleteFrom(HUB_INSTANCE).where(HUB_INSTANCE.SEEN_AT.lt(before)).execute();
  }

  /** Removes {@code name}'s row: a clean stop, so the others take its share at their next beat. */
  void leave(String name) {
    dsl.deleteFrom(HUB_INSTANCE).where(HUB_INSTANCE.NAME.eq(name)).execute();
  }
}
