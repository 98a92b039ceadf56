package io.tracetrack.hub.log;

import io.tracetrack.sync.Change;
import io.tracetrack.sync.WireCodec;
import static io.tracetrack.hub.db.jooq.Tables.CHANGE_LOG;
import static io.tracetrack.hub.db.jooq.Tables.CHANGE_LOG_HEAD;

import io.tracetrack.hub.db.HotQuery;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.db.TransactionLocal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The hub's one change log: every change a dock must hear of, at a position in commit order, so a
 * dock that pulls "what after position n?" and then "what after m?" never misses one.
 *
 * <p>Why positions come from a counter row and not from an identity column: an identity or sequence
 * value is handed out when the row is inserted, and on PostgreSQL transaction A may take 7, B take
 * 8 and commit first; a reader who then sees 8 moves its cursor past 7, which commits a moment later
 * and is never read. So each writer takes its positions from the one row of {@code change_log_head}
 * with an UPDATE inside its own transaction, as the last thing it does. The UPDATE's row lock is
 * held until commit (or rollback, which gives the numbers back), so the next writer can take its
 * positions only after this one has committed: positions are handed out in commit order, and when a
 * reader sees position n committed, every position below n is committed too. There are no gaps.
 *
 * <p>The cost: writers that change the log serialise on that row for the last moment of their
 * transaction (from the take to the commit, including the commit's fsync). A batch appends all its
 * entries under one take, so it pays once. A dock's push sends the take and its COMMIT in one round
 * trip with its other writes ({@link PgPipeline}), so it holds the row only while the server works,
 * not while the answer travels and the hub waits for a core to send the COMMIT: on a hub sharing its
 * cores with a thousand docks that wait was most of the time the next push waited for the row.
 * Writers that take other locks must take this one last (after the bag and bill rows), so it is
 * never held while waiting for another lock.
 *
 * <p>Not final: a test interposes on the reads (a prune between a reader's check and its read).
 */
public class ChangeLog {

  private static final WireCodec WIRE = new WireCodec();

  /** How many entries one read may return at most. */
  public static final int MAX_PAGE = 1000;

  private final HubDatabase db;

  public ChangeLog(HubDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * One change to append: what it says, when, who or what wrote it (a user, or a dock's op), and
   * which docks hear of it: {@code audienceArea} only the docks of that area, {@code audienceDock}
   * only that dock, both null every dock; {@code hubOnly} no dock at all (only the hub's own
   * followers, such as the account cache, read it).
   */
  public record Entry(Change change, OffsetDateTime at, String origin, String audienceArea, String audienceDock,
      boolean hubOnly) {
    public Entry {
      Objects.requireNonNull(change, "change");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(origin, "origin");
      if (hubOnly && (audienceArea != null || audienceDock != null)) {
        throw new IllegalArgumentException("a hub-only entry names no dock audience");
      }
    }

    /** An entry for the docks of {@code audienceArea} and/or the dock {@code audienceDock}; both null: every dock. */
    public Entry(Change change, OffsetDateTime at, String origin, String audienceArea, String audienceDock) {
      this(change, at, origin, audienceArea, audienceDock, false);
    }

    /** The audience the change itself names: a conflict's dock, else every dock (users name theirs explicitly). */
    public Entry(Change change, OffsetDateTime at, String origin) {
      this(change, at, origin, null, switch (change) {
        case Change.ConflictOpened c -> c.dock();
        case Change.ConflictResolved c -> c.dock();
        default -> null;
      }, false);
    }

    /** An entry no dock hears: a change the hub's own followers need, that must not reach any dock. */
    public static Entry hubOnly(Change change, OffsetDateTime at, String origin) {
      return new Entry(change, at, origin, null, null, true);
    }
  }

  /**
   * Whose page it is: a dock of {@code area} named {@code dock}. It hears every entry whose audience
   * is everyone, its area or itself.
   */
  public record Audience(String dock, String area) {
    public Audience {
      Objects.requireNonNull(dock, "dock");
      Objects.requireNonNull(area, "area");
    }
  }

  /** An entry as stored: its position, its type's wire name (one this hub may not know) and the payload JSON. */
  public record Stored(long seq, String type, String entityKey, String payload, OffsetDateTime at, String origin) {}

  /** One page: the entries after the cursor, in position order, and the cursor to read on from. */
  public record Page(List<Stored> entries, long next) {
    public Page {
      entries = List.copyOf(entries);
    }
  }

  /**
   * Appends {@code entries} in this order inside the caller's transaction {@code tx}, under one take
   * of the head row: call it as the last write of the transaction (see the class comment).
   *
   * @return the position of the first entry (the rest follow it); 0 when there were none
   */
  public static long append(DSLContext tx, List<Entry> entries) {
    return append(tx, entries, null);
  }

  /** The take and the insert in one statement (PostgreSQL): the head is held for one round trip and the commit. */
  private static final String APPEND = "with head as (update change_log_head"
      + " set last_seq = last_seq + ? where id = 1 returning last_seq - ? + 1 as first),"
      + " rows as (insert into change_log (seq, type, entity_key, payload, at, origin, audience_area, audience_dock, hub_only)"
      + " select head.first + u.n - 1, u.type, u.key, u.payload, u.at, u.origin, u.area, u.dock, u.hub_only from head,"
      + " unnest(?::varchar[], ?::varchar[], ?::text[], ?::timestamptz[], ?::varchar[], ?::varchar[], ?::varchar[],"
      + " ?::boolean[]) with ordinality as u(type, key, payload, at, origin, area, dock, hub_only, n) returning 1)"
      + " select head.first, (select count(*) from rows) from head";

  /**
   * {@link #append(DSLContext, List)}, sent on PostgreSQL in one round trip with the writes
   * {@code pipeline} holds (they run first, in their order; null: none). With no entries, what the
   * pipeline holds is sent alone. On H2 nothing is ever queued: the writers queue on PostgreSQL only.
   */
  public static long append(DSLContext tx, List<Entry> entries, PgPipeline pipeline) {
    appended(entries);
    if (entries.isEmpty()) {
      if (pipeline != null) {
        pipeline.flush(tx);
      }
      return 0;
    }
    // everything but the positions is made before the head is taken: the head is held to the commit
    int n = entries.size();
    String[] type = new String[n], key = new String[n], payload = new String[n], at = new String[n],
        origin = new String[n], area = new String[n], dock = new String[n];
    Boolean[] hubOnly = new Boolean[n];
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      type[i] = e.change().type().wire();
      key[i] = e.change().key();
      payload[i] = payload(e.change());
      at[i] = PgBulk.text(e.at());
      origin[i] = e.origin();
      area[i] = e.audienceArea();
      dock[i] = e.audienceDock();
      hubOnly[i] = e.hubOnly();
    }
    long first;
    if (PgBulk.isPostgres(tx)) {
      // the insert reads the UPDATE's output, so the row lock (waiting for any writer holding it to
      // commit) is taken first, and it is what orders the positions
      Object[] params = {(long) n, (long) n, PgBulk.of("varchar", type), PgBulk.of("varchar", key),
          PgBulk.of("text", payload), PgBulk.of("text", at), PgBulk.of("varchar", origin),
          PgBulk.of("varchar", area), PgBulk.of("varchar", dock), PgBulk.of("bool", hubOnly)};
      PgPipeline.Reader<Long> positions = rs -> {
        rs.next();
        if (rs.getLong(2) != n) {
          throw new IllegalStateException("appended " + rs.getLong(2) + " entries, not " + n);
        }
        return rs.getLong(1);
      };
      if (pipeline != null) {
        return pipeline.send(tx, APPEND, params, positions);
      }
      return tx.connectionResult(c -> {
        try (java.sql.PreparedStatement ps = c.prepareStatement(APPEND)) {
          PgBulk.bind(c, ps, params);
          try (java.sql.ResultSet rs = ps.executeQuery()) {
            return positions.read(rs);
          }
        }
      });
    }
    // UPDATE then read back: H2 has no UPDATE ... RETURNING; the row lock the UPDATE takes (waiting
    // for any writer holding it to commit) is what orders the positions
    ADVANCE_HEAD.on(tx).set("n", (long) n).execute();
    first = head(tx) - n + 1;
    HotQuery.Batch batch = INSERT.batch(tx);
    for (int i = 0; i < n; i++) {
      batch.row().set("seq", first + i).set("type", type[i]).set("key", key[i]).set("payload", payload[i])
          .set("at", entries.get(i).at()).set("origin", origin[i]).set("area", area[i]).set("dock", dock[i])
          .set("hubOnly", hubOnly[i]);
    }
    batch.execute();
    return first;
  }

  /**
   * The changes appended in the transaction that just committed on this thread, for its commit
   * listeners: after it committed, the writer evicts what they name from this hub's read caches
   * without reading the log back ({@code CacheFollower#committed}). Empty when the log cannot say:
   * outside a {@link HubDatabase#transaction}, or past {@link #APPENDED_MAX} (an import), when the
   * caches read the log instead. Each transaction keeps its own ({@link TransactionLocal}): one
   * opened inside another does not hand on the outer's uncommitted changes.
   */
  public static Optional<List<Change>> appendedInThisTransaction() {
    // the transaction's own list, ended with it: nothing to copy or clear
    return APPENDED.get().flatMap(a -> a.overflow ? Optional.empty() : Optional.of(a.changes));
  }

  /** More appended changes than this in one transaction are not kept one by one. */
  public static final int APPENDED_MAX = 10_000;

  /** What one transaction appended, or that it appended more than {@link #APPENDED_MAX}. */
  private static final class Appended {
    final List<Change> changes = new ArrayList<>();
    boolean overflow;
  }

  private static final TransactionLocal<Appended> APPENDED = new TransactionLocal<>(Appended::new);

  private static void appended(List<Entry> entries) {
    APPENDED.get().ifPresent(a -> {
      if (a.overflow || entries.isEmpty()) {
        return;
      }
      if (a.changes.size() + entries.size() > APPENDED_MAX) {
        a.overflow = true;
        a.changes.clear();
        return;
      }
      for (Entry e : entries) {
        a.changes.add(e.change());
      }
    });
  }

  /** Appends one entry; see {@link #append(DSLContext, List)}. */
  public static long append(DSLContext tx, Entry entry) {
    return append(tx, List.of(entry));
  }

  /** The payload JSON of a change: its record's components (the wire vocabulary's own form). */
  public static String payload(Change change) {
    return WIRE.payload(change);
  }

  /**
   * The entries after position {@code afterSeq}, at most {@code limit}. The next cursor is the last
   * entry's position, or {@code afterSeq} when there is nothing new.
   */
  public Page read(long afterSeq, int limit) {
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be 0 or more: " + afterSeq);
    }
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ": " + limit);
    }
    List<Stored> entries = READ.on(db.dsl()).set("after", afterSeq).set("limit", limit)
        .fetch(rs -> new Stored(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getObject(5, OffsetDateTime.class), rs.getString(6)));
    return new Page(entries, entries.isEmpty() ? afterSeq : entries.getLast().seq());
  }

  /** The read caches follow the log after every commit ({@code CacheFollower}): see {@link HotQuery}. */
  private static final HotQuery READ = HotQuery.of(dsl -> dsl.select(CHANGE_LOG.SEQ, CHANGE_LOG.TYPE,
          CHANGE_LOG.ENTITY_KEY, CHANGE_LOG.PAYLOAD, CHANGE_LOG.AT, CHANGE_LOG.ORIGIN)
      .from(CHANGE_LOG).where(CHANGE_LOG.SEQ.gt(DSL.param("after", Long.class)))
      .orderBy(CHANGE_LOG.SEQ).limit(DSL.param("limit", Integer.class)));

  /**
   * The entries after {@code afterSeq} that {@code audience} hears, at most {@code limit}. The next
   * cursor is the last position EXAMINED, not the last returned: entries for other docks are
   * stepped over once and never read again. Only positions up to the head read first are examined;
   * every position up to a committed head is committed (see the class comment), so none is skipped.
   */
  public Page read(long afterSeq, int limit, Audience audience) {
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be 0 or more: " + afterSeq);
    }
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ": " + limit);
    }
    Condition hears = CHANGE_LOG.HUB_ONLY.isFalse().and(CHANGE_LOG.AUDIENCE_AREA.isNull().or(CHANGE_LOG.AUDIENCE_AREA.eq(audience.area()))
        .and(CHANGE_LOG.AUDIENCE_DOCK.isNull().or(CHANGE_LOG.AUDIENCE_DOCK.eq(audience.dock()))));
    return read(afterSeq, limit, hears);
  }

  /**
   * The entries after {@code afterSeq} that {@code visible} (a condition on {@code change_log})
   * lets through, at most {@code limit}; the next cursor is the last position examined, as for a
   * dock's {@link Audience}. For a reader confined to a part of the log: an integrator's area.
   */
  public Page read(long afterSeq, int limit, Condition visible) {
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be 0 or more: " + afterSeq);
    }
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ": " + limit);
    }
    long head = head();
    if (afterSeq >= head) {
      return new Page(List.of(), afterSeq);
    }
    List<Stored> entries = new ArrayList<>(db.dsl().selectFrom(CHANGE_LOG)
        .where(CHANGE_LOG.SEQ.gt(afterSeq)).and(CHANGE_LOG.SEQ.le(head)).and(visible)
        .orderBy(CHANGE_LOG.SEQ).limit(limit)
        .fetch(r -> new Stored(r.getSeq(), r.getType(), r.getEntityKey(), r.getPayload(), r.getAt(), r.getOrigin())));
    // a full page stops at its last entry; a short one examined everything up to the head
    return new Page(entries, entries.size() == limit ? entries.getLast().seq() : head);
  }

  /** An entry with whom it is for: what a reader serving many docks from memory filters by. */
  public record Addressed(Stored entry, String audienceArea, String audienceDock, boolean hubOnly) {
    /** Whether {@code audience} hears it (the same rule as {@link #read(long, int, Audience)}'s). */
    public boolean heardBy(Audience audience) {
      return !hubOnly && (audienceArea == null || audienceArea.equals(audience.area()))
          && (audienceDock == null || audienceDock.equals(audience.dock()));
    }
  }

  /**
   * Every entry in ({@code afterSeq}, {@code upTo}], oldest first, at most {@code limit}, with its
   * audience. {@code upTo} must be a head read before: every position up to it is committed.
   */
  public List<Addressed> readAddressed(long afterSeq, long upTo, int limit) {
    return READ_ADDRESSED.on(db.dsl()).set("after", afterSeq).set("upTo", upTo).set("limit", limit)
        .fetch(rs -> new Addressed(new Stored(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getObject(5, OffsetDateTime.class), rs.getString(6)), rs.getString(7), rs.getString(8), rs.getBoolean(9)));
  }

  /** The feed's tail read, every docks' pulls are served from (see {@link HotQuery}). */
  private static final HotQuery READ_ADDRESSED = HotQuery.of(dsl -> dsl.select(CHANGE_LOG.SEQ, CHANGE_LOG.TYPE,
          CHANGE_LOG.ENTITY_KEY, CHANGE_LOG.PAYLOAD, CHANGE_LOG.AT, CHANGE_LOG.ORIGIN, CHANGE_LOG.AUDIENCE_AREA,
          CHANGE_LOG.AUDIENCE_DOCK, CHANGE_LOG.HUB_ONLY)
      .from(CHANGE_LOG).where(CHANGE_LOG.SEQ.gt(DSL.param("after", Long.class)))
      .and(CHANGE_LOG.SEQ.le(DSL.param("upTo", Long.class)))
      .orderBy(CHANGE_LOG.SEQ).limit(DSL.param("limit", Integer.class)));

  /** The newest position handed out by a committed writer; 0 before the first. */
  public long head() {
    return head(db.dsl());
  }

  /**
   * The head as {@code tx} sees it: inside a writer's transaction, after its row locks are taken,
   * every writer whose change those rows show has committed at or below it.
   */
  public static long head(DSLContext tx) {
    return HEAD.on(tx).fetchOptional(rs -> rs.getLong(1))
        .orElseThrow(() -> new IllegalStateException("no change_log_head row: the migrations did not run"));
  }

  /** H2's append: the head moved on by the entries' count (its row lock orders the positions), then the rows. */
  private static final HotQuery ADVANCE_HEAD = HotQuery.of(dsl -> dsl.update(CHANGE_LOG_HEAD)
      .set(CHANGE_LOG_HEAD.LAST_SEQ, CHANGE_LOG_HEAD.LAST_SEQ.plus(DSL.param("n", Long.class)))
      .where(CHANGE_LOG_HEAD.ID.eq(1)));

  private static final HotQuery INSERT = HotQuery.of(dsl -> dsl.insertInto(CHANGE_LOG)
      .set(CHANGE_LOG.SEQ, DSL.param("seq", Long.class))
      .set(CHANGE_LOG.TYPE, DSL.param("type", String.class))
      .set(CHANGE_LOG.ENTITY_KEY, DSL.param("key", String.class))
      .set(CHANGE_LOG.PAYLOAD, DSL.param("payload", String.class))
      .set(CHANGE_LOG.AT, DSL.param("at", OffsetDateTime.class))
      .set(CHANGE_LOG.ORIGIN, DSL.param("origin", String.class))
      .set(CHANGE_LOG.AUDIENCE_AREA, DSL.param("area", String.class))
      .set(CHANGE_LOG.AUDIENCE_DOCK, DSL.param("dock", String.class))
      .set(CHANGE_LOG.HUB_ONLY, DSL.param("hubOnly", Boolean.class)));

  /** Every writer, every long poll and every cache's catch-up reads the head (see {@link HotQuery}). */
  private static final HotQuery HEAD = HotQuery.of(dsl -> dsl.select(CHANGE_LOG_HEAD.LAST_SEQ).from(CHANGE_LOG_HEAD)
      .where(CHANGE_LOG_HEAD.ID.eq(DSL.inline(1))));

  /**
   * Deletes the oldest entries, up to the first one written at or after {@code before}, and never
   * the newest, which stays so {@link #oldest()} keeps telling a dock at the head that it is current.
   * Only a prefix goes, never an entry between two that stay: an entry's {@code at} comes from its
   * writer's clock and need not grow with its position, and a hole in the middle would be a gap no
   * cursor check could see. A dock whose cursor falls below what is left is told to load a snapshot.
   *
   * @return how many entries went
   */
  public int prune(OffsetDateTime before) {
    return prune(before, Long.MAX_VALUE);
  }

  /**
   * {@link #prune(OffsetDateTime)}, keeping every entry after {@code keepAfter} however old: what
   * the event relay has not had acknowledged yet.
   */
  public int prune(OffsetDateTime before, long keepAfter) {
    Objects.requireNonNull(before, "before");
    long head = head();
    Long firstKept = db.dsl().select(DSL.min(CHANGE_LOG.SEQ)).from(CHANGE_LOG).where(CHANGE_LOG.AT.ge(before))
        .fetchSingle().value1();
    long keepFrom = firstKept == null ? head : Math.min(firstKept, head);
    if (keepAfter < Long.MAX_VALUE) {
      keepFrom = Math.min(keepFrom, keepAfter + 1);
    }
    return db.dsl().deleteFrom(CHANGE_LOG).where(CHANGE_LOG.SEQ.lt(keepFrom)).execute();
  }

  /**
   * The oldest position the log still holds; empty while it holds none. A cursor below
   * {@code oldest - 1} asks for entries the hub no longer has: that dock must start over.
   */
  public Optional<Long> oldest() {
    return Optional.ofNullable(db.dsl().select(org.jooq.impl.DSL.min(CHANGE_LOG.SEQ)).from(CHANGE_LOG).fetchSingle().value1());
  }
}
