package io.tracetrack.hub.bag;

import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BAG_EVENT;
import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;

import io.tracetrack.hub.db.jooq.tables.Bag;
import io.tracetrack.hub.db.jooq.tables.records.BagRecord;
import io.tracetrack.hub.write.BagWriter;
import io.tracetrack.hub.write.Overlay;
import io.tracetrack.model.BagRole;
import io.tracetrack.model.ParentLimits;
import io.tracetrack.sync.BagFacts;
import io.tracetrack.sync.Effect;
import io.tracetrack.sync.StateView;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Records;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The hub's bag rows as seen from inside one transaction. {@link #lock} takes the row locks an op
 * needs, always in code order, so two ops touching the same bags can never deadlock; reads after
 * that see the rows as they are committed and hold them until the transaction ends.
 */
@Store
final class BagStore implements StateView {

  private final DSLContext dsl;
  private final Map<String, Optional<BagRecord>> rows = new HashMap<>();

  BagStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  DSLContext dsl() {
    return dsl;
  }

  /** Locks the existing rows among {@code codes} (in code order) and remembers them. */
  void lock(String... codes) {
    for (String code : new TreeSet<>(List.of(codes))) {
      rows.put(code, dsl.selectFrom(BAG).where(BAG.CODE.eq(code)).forUpdate().fetchOptional());
    }
  }

  /** What the service decides visibility and role on; read (and locked) like {@link #bag}. */
  record Row(BagRole role, String areaId) {
    static Row of(BagRecord r) {
      return new Row(BagRole.valueOf(r.getRole()), r.getAreaId());
    }
  }

  Optional<Row> row(String code) {
    return locked(code).map(Row::of);
  }

  /** A bag's row without a lock, for reads outside any change. */
  static Optional<Row> find(DSLContext dsl, String code) {
    return dsl.selectFrom(BAG).where(BAG.CODE.eq(code)).fetchOptional().map(Row::of);
  }

  /** The parent a bag is on now, read without a lock (the caller locks, then checks again). */
  Optional<String> parentOf(String code) {
    return dsl.select(BAG.PARENT_CODE).from(BAG).where(BAG.CODE.eq(code)).fetchOptional(BAG.PARENT_CODE);
  }

  private Optional<BagRecord> locked(String code) {
    return rows.computeIfAbsent(code, c -> dsl.selectFrom(BAG).where(BAG.CODE.eq(c)).forUpdate().fetchOptional());
  }

  @Override
  public Optional<BagFacts> bag(String code) {
    return locked(code).map(r -> new BagFacts(r.getCode(), BagRole.valueOf(r.getRole()), r.getExpectedCount(),
        r.getLimitCount(), r.getChildCount(), r.getFinishedAt() != null, r.getParentCode(), r.getOnFinalizedBill()));
  }

  /** Who did it, from where, and when: written onto rows and into the history. */
  record Context(String actor, String area, String dock, String source, OffsetDateTime at) {}

  /**
   * Applies one decided op's effects through the hub's one writer ({@link BagWriter}): the locked
   * rows they touch, the effects on top, then the rows and the counters, in this transaction.
   */
  void apply(List<Effect> effects, Context ctx) {
    Overlay overlay = new Overlay();
    for (Effect effect : effects) {
      for (String code : named(effect)) {
        if (overlay.row(code).isEmpty()) {
          locked(code).ifPresent(overlay::existing);
        }
      }
      overlay.apply(effect, ctx.actor(), ctx.at());
    }
    BagWriter writer = new BagWriter(dsl);
    writer.write(overlay, stamp(ctx));
    writer.counters(overlay.counts(), stamp(ctx));
    rows.clear(); // what was remembered is now stale; re-read under the locks we hold
  }

  private static List<String> named(Effect effect) {
    return switch (effect) {
      case Effect.CreateBag c -> List.of();
      case Effect.AddLink l -> List.of(l.child(), l.parent());
      case Effect.RemoveLink r -> List.of(r.child(), r.parent());
      case Effect.MarkFinished f -> List.of(f.parent());
      case Effect.ClearFinished f -> List.of(f.parent());
    };
  }

  private static BagWriter.Stamp stamp(Context ctx) {
    return new BagWriter.Stamp(ctx.area(), ctx.dock(), ctx.source(), ctx.at());
  }

  void history(String kind, String bag, String parent, Context ctx) {
    new BagWriter(dsl).history(List.of(new BagWriter.Event(kind, bag, parent, ctx.actor())), stamp(ctx));
  }

  /** How many history entries one answer carries; older ones are read with the cursor it gives. */
  static final int HISTORY_PAGE = 50;

  /** A bag, its children or parent, its bill and its latest history, as they are now. */
  static BagView view(DSLContext dsl, String code) {
    return lookup(dsl, code, null).orElseThrow(() -> new IllegalStateException("no bag " + code + " to view"));
  }

  /**
   * A bag as {@link #view} shows it, in ONE statement (one round trip, one pooled connection held
   * for one query): the row, its children, its bill and a page of its history come back together,
   * the nested lists as jOOQ multisets (JSON aggregation on both PostgreSQL and H2). Empty if there
   * is no such bag.
   *
   * <p>The statement is rendered once per dialect and shape ({@link LookupSql}), not per call:
   * rendering its three multisets was a fifth of a lookup's CPU at 1.8 M bags (issue #15's profile);
   * each call binds the code (and cursor) into the rendered text and reads the rows through the
   * same fields, so jOOQ still turns the JSON into lists.
   *
   * @param historyBefore only history entries older than this entry id (the cursor of the page
   *     before), or null for the latest
   */
  static Optional<BagView> lookup(DSLContext dsl, String code, Long historyBefore) {
    LookupSql q = LOOKUP_SQL.computeIfAbsent(dsl.dialect().name() + (historyBefore == null ? "" : "+cursor"),
        k -> LookupSql.render(dsl, historyBefore != null));
    return dsl.connectionResult(c -> {
      try (java.sql.PreparedStatement ps = c.prepareStatement(q.sql())) {
        for (int i = 0; i < q.binds().size(); i++) {
          Object v = q.binds().get(i);
          ps.setObject(i + 1, LookupSql.CODE.equals(v) ? code : LookupSql.CURSOR.equals(v) ? historyBefore : v);
        }
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          org.jooq.Result<org.jooq.Record> rows = dsl.fetch(rs, q.fields());
          return rows.isEmpty() ? Optional.<BagView>empty() : Optional.of(toView(rows.get(0)));
        }
      }
    });
  }

  private static final java.util.concurrent.ConcurrentMap<String, LookupSql> LOOKUP_SQL =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The lookup statement as text with its bind values in order: the code and the cursor as marker
   * values that each call replaces, every other bind value as rendered.
   */
  private record LookupSql(String sql, List<Object> binds, Field<?>[] fields) {
    /** Stands for the code in the rendered binds: no bag code can hold a NUL. */
    static final String CODE = "\u0000code\u0000";
    /** Stands for the history cursor: no history entry id is this. */
    static final Long CURSOR = Long.MIN_VALUE + 7;

    static LookupSql render(DSLContext dsl, boolean cursor) {
      var b = BAG.as("b");
      var query = lookupQuery(b, DSL.val(CODE), b.CODE.eq(CODE), cursor ? CURSOR : null);
      return new LookupSql(dsl.render(query), java.util.Collections.unmodifiableList(
          new java.util.ArrayList<>(dsl.extractBindValues(query))), query.getSelect().toArray(Field<?>[]::new));
    }
  }

  /**
   * Several bags as {@link #lookup} shows them (the latest page of history), in one statement on
   * PostgreSQL: what {@link BagService} sends for the lookups that arrived together
   * ({@code SharedReads}). On H2, which cannot correlate into the derived table jOOQ makes for a
   * multiset with a LIMIT, one {@link #lookup} each. Codes with no bag are absent from the answer.
   */
  static Map<String, BagView> lookupAll(DSLContext dsl, Set<String> codes) {
    Map<String, BagView> views = new HashMap<>();
    if (dsl.dialect().family() != SQLDialect.POSTGRES || codes.size() == 1) {
      for (String code : codes) {
        lookup(dsl, code, null).ifPresent(v -> views.put(code, v));
      }
      return views;
    }
    var b = BAG.as("b");
    // one array bind, not a list of them: one statement text whatever the batch's size
    var query = lookupQuery(b, b.CODE, b.CODE.eq(DSL.any(codes.toArray(String[]::new))), null);
    for (org.jooq.Record r : dsl.fetch(query)) {
      BagView view = toView(r);
      views.put(view.code(), view);
    }
    return views;
  }

  /**
   * Columns of the lookup, in the order {@link #toView} reads them, for the rows of {@code b} that
   * {@code which} picks; {@code key} is the code the lists are about: a bind value for one bag (the
   * planner gets a constant, and H2 can run it), or {@code b}'s own code for several.
   */
  private static org.jooq.Select<?> lookupQuery(Bag b, Field<String> key, Condition which,
      Long historyBefore) {
    var c = BAG.as("c");
    Field<List<String>> children = DSL.multiset(
        DSL.select(c.CODE).from(c).where(c.PARENT_CODE.eq(key)).orderBy(c.CODE))
        .convertFrom(r -> r.map(Record1::value1));
    Condition about = BAG_EVENT.BAG_CODE.eq(key).or(BAG_EVENT.PARENT_CODE.eq(key));
    if (historyBefore != null) {
      about = about.and(BAG_EVENT.ID.lt(historyBefore));
    }
    // one more than a page: whether there is an older page is then known without a count
    Field<List<BagView.Event>> history = DSL.multiset(
        DSL.select(BAG_EVENT.AT, BAG_EVENT.KIND, BAG_EVENT.BAG_CODE, BAG_EVENT.PARENT_CODE, BAG_EVENT.ACTOR,
                BAG_EVENT.DOCK, BAG_EVENT.SOURCE, BAG_EVENT.ID)
            .from(BAG_EVENT).where(about).orderBy(BAG_EVENT.ID.desc()).limit(HISTORY_PAGE + 1))
        .convertFrom(r -> r.map(Records.mapping(BagView.Event::new)));
    // a parent's bill, or for a child the bill its parent is on
    Field<String> bill = DSL.field(DSL.select(BILL_PARENT.BILL_ID).from(BILL_PARENT)
        .where(BILL_PARENT.PARENT_CODE.eq(DSL.when(b.ROLE.eq(BagRole.PARENT.name()), b.CODE).else_(b.PARENT_CODE))));
    return DSL.select(b.CODE, b.ROLE, b.EXPECTED_COUNT, b.LIMIT_COUNT, b.CHILD_COUNT, b.PARENT_CODE, b.FINISHED_BY,
            b.FINISHED_AT, b.AREA_ID, b.DOCK, b.CREATED_BY, b.CREATED_AT, children, history, bill)
        .from(b).where(which);
  }

  @SuppressWarnings("unchecked")
  private static BagView toView(org.jooq.Record r) {
    String role = r.get(1, String.class);
    Integer limit = r.get(3, Integer.class);
    Integer childCount = r.get(4, Integer.class);
    OffsetDateTime finishedAt = r.get(7, OffsetDateTime.class);
    boolean parent = BagRole.PARENT.name().equals(role);
    boolean complete = parent && ParentLimits.isComplete(childCount, limit, finishedAt != null);
    // an aggregate over a limited derived table need not keep its order: put it back
    List<BagView.Event> events = ((List<BagView.Event>) r.get(13)).stream()
        .sorted(java.util.Comparator.comparingLong(BagView.Event::id).reversed()).toList();
    Long older = null;
    if (events.size() > HISTORY_PAGE) {
      events = events.subList(0, HISTORY_PAGE);
      older = events.getLast().id();
    }
    return new BagView(r.get(0, String.class), role, r.get(2, Integer.class), limit, childCount, complete,
        r.get(5, String.class), (List<String>) r.get(12), r.get(6, String.class), finishedAt, r.get(14, String.class),
        r.get(8, String.class), r.get(9, String.class), r.get(10, String.class), r.get(11, OffsetDateTime.class), events,
        older);
  }
}
