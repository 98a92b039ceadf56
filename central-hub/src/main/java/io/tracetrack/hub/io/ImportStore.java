package io.tracetrack.hub.io;

import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;

import io.tracetrack.hub.db.jooq.tables.records.BagRecord;
import io.tracetrack.hub.stats.Counters;
import io.tracetrack.hub.log.PgBulk;
import io.tracetrack.model.BagRole;
import io.tracetrack.sync.BagFacts;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.impl.DSL;

/**
 * The SQL of an import, inside the caller's one transaction, set-based: rows go in chunks of
 * {@link #CHUNK} per statement, so 80,000 rows are a few hundred statements, never one per row.
 * Lock order as everywhere in the hub: bags in code order, counters, the change-log head last.
 */
final class ImportStore {

  /** Rows per multi-row statement: well under PostgreSQL's 32,767 bind parameters at 14 columns. */
  static final int CHUNK = 1_000;

  private final DSLContext tx;
  /** On PostgreSQL new rows go in with COPY, as a push's do: one statement per table, not a VALUES list per chunk. */
  private final boolean postgres;

  ImportStore(DSLContext tx) {
    this.tx = tx;
    this.postgres = PgBulk.isPostgres(tx);
  }

  /** The existing bags among {@code codes}, in code order; with {@code lock}, each row locked (FOR UPDATE). */
  void existing(SortedSet<String> codes, boolean lock, Consumer<BagFacts> each) {
    Consumer<BagRecord> facts = r -> each.accept(new BagFacts(r.getCode(), BagRole.valueOf(r.getRole()), r.getExpectedCount(),
        r.getLimitCount(), r.getChildCount(), r.getFinishedAt() != null, r.getParentCode(), r.getOnFinalizedBill()));
    records(codes, lock, facts);
  }

  private void records(SortedSet<String> codes, boolean lock, Consumer<BagRecord> each) {
    if (postgres && !codes.isEmpty()) {
      // one statement with one array parameter, however many codes (a push locks its bags the same way)
      var query = tx.selectFrom(BAG)
          .where(BAG.CODE.eq(DSL.any(DSL.val(codes.toArray(String[]::new)).cast(String[].class)))).orderBy(BAG.CODE);
      (lock ? query.forUpdate().fetch() : query.fetch()).forEach(each::accept);
      return;
    }
    List<String> chunk = new ArrayList<>(CHUNK);
    for (String code : codes) {
      chunk.add(code);
      if (chunk.size() == CHUNK) {
        select(chunk, lock, each);
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      select(chunk, lock, each);
    }
  }

  private void select(List<String> codes, boolean lock, Consumer<BagRecord> each) {
    var query = tx.selectFrom(BAG).where(BAG.CODE.in(codes)).orderBy(BAG.CODE);
    (lock ? query.forUpdate().fetch() : query.fetch()).forEach(each::accept);
  }

  /** A new bag as the import leaves it (its link already in). */
  record NewBag(String code, BagRole role, Integer expectedCount, int limit, int childCount, String parent) {}

  /** Who imported, from which area, and when: stamped on every row. */
  record Stamp(String actor, String area, OffsetDateTime at) {}

  void insertBags(List<NewBag> bags, Stamp stamp) {
    if (bags.isEmpty()) {
      return;
    }
    if (postgres) {
      PgBulk.CopyRows rows = new PgBulk.CopyRows();
      String at = PgBulk.text(stamp.at());
      for (NewBag b : bags) {
        boolean linked = b.parent() != null;
        rows.add(b.code()).add(b.role().name()).add(b.expectedCount()).add(b.limit()).add(b.childCount()).add(b.parent())
            .add(stamp.area()).add(stamp.actor()).add(at).add(linked ? stamp.actor() : null).add(linked ? at : null).end();
      }
      PgBulk.copy(tx, "bag (code, role, expected_count, limit_count, child_count, parent_code, area_id, created_by,"
          + " created_at, linked_by, linked_at)", rows);
      return;
    }
    for (int from = 0; from < bags.size(); from += CHUNK) {
      var insert = tx.insertInto(BAG, BAG.CODE, BAG.ROLE, BAG.EXPECTED_COUNT, BAG.LIMIT_COUNT, BAG.CHILD_COUNT,
          BAG.PARENT_CODE, BAG.AREA_ID, BAG.CREATED_BY, BAG.CREATED_AT, BAG.LINKED_BY, BAG.LINKED_AT);
      for (NewBag b : bags.subList(from, Math.min(bags.size(), from + CHUNK))) {
        boolean linked = b.parent() != null;
        insert = insert.values(b.code(), b.role().name(), b.expectedCount(), b.limit(), b.childCount(), b.parent(),
            stamp.area(), stamp.actor(), stamp.at(), linked ? stamp.actor() : null, linked ? stamp.at() : null);
      }
      insert.execute();
    }
  }

  /** An existing bag the import changes: a child put on a parent, or a parent gaining children. */
  record Changed(String code, String newParent, int addedChildren) {}

  void updateBags(List<Changed> changed, Stamp stamp) {
    List<Query> updates = new ArrayList<>();
    for (Changed c : changed) {
      if (c.newParent() != null) {
        updates.add(tx.update(BAG).set(BAG.PARENT_CODE, c.newParent()).set(BAG.LINKED_BY, stamp.actor())
            .set(BAG.LINKED_AT, stamp.at()).where(BAG.CODE.eq(c.code()).and(BAG.PARENT_CODE.isNull())));
      } else {
        updates.add(tx.update(BAG).set(BAG.CHILD_COUNT, BAG.CHILD_COUNT.plus(c.addedChildren())).where(BAG.CODE.eq(c.code())));
      }
      if (updates.size() == CHUNK) {
        run(updates);
      }
    }
    run(updates);
  }

  private void run(List<Query> updates) {
    if (updates.isEmpty()) {
      return;
    }
    int[] counts = tx.batch(updates).execute();
    for (int count : counts) {
      // the rows are locked and were checked: anything else is a bug worth a rollback
      if (count != 1 && count != java.sql.Statement.SUCCESS_NO_INFO) {
        throw new IllegalStateException("an import update changed " + count + " rows");
      }
    }
    updates.clear();
  }

  /** One history row: what happened to which bag (and on which parent). */
  record Event(String kind, String bag, String parent) {}

  void insertEvents(List<Event> events, Stamp stamp) {
    if (events.isEmpty()) {
      return;
    }
    if (postgres) {
      PgBulk.CopyRows rows = new PgBulk.CopyRows();
      String at = PgBulk.text(stamp.at());
      for (Event e : events) {
        rows.add(at).add(e.kind()).add(e.bag()).add(e.parent()).add(stamp.actor()).add(null).add("API").end();
      }
      PgBulk.copy(tx, "bag_event (at, kind, bag_code, parent_code, actor, dock, source)", rows);
      return;
    }
    for (int from = 0; from < events.size(); from += CHUNK) {
      var insert = tx.insertInto(BAG_EVENT, BAG_EVENT.AT, BAG_EVENT.KIND, BAG_EVENT.BAG_CODE, BAG_EVENT.PARENT_CODE,
          BAG_EVENT.ACTOR, BAG_EVENT.DOCK, BAG_EVENT.SOURCE);
      for (Event e : events.subList(from, Math.min(events.size(), from + CHUNK))) {
        // source API: an import is the hub's API acting for the admin; the audit entry names the file
        insert = insert.values(stamp.at(), e.kind(), e.bag(), e.parent(), stamp.actor(), null, "API");
      }
      insert.execute();
    }
  }

  /** The dashboard's counters, in the API writers' order (parents, children, links, scans). */
  void count(int parents, int children, int links, Stamp stamp) {
    if (parents != 0) {
      Counters.add(tx, Counters.PARENTS, stamp.area(), null, parents);
    }
    if (children != 0) {
      Counters.add(tx, Counters.CHILDREN, stamp.area(), null, children);
    }
    if (links != 0) {
      Counters.add(tx, Counters.LINKS, stamp.area(), null, links);
      // the API counts each link it makes as a scan of the day; an imported link is one too
      Counters.addDaily(tx, stamp.at().toLocalDate(), Counters.SCANS, stamp.area(), null, links);
    }
  }
}
