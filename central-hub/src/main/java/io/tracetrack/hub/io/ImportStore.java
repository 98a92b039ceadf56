package io.tracetrack.hub.io;

import static io.tracetrack.hub.db.jooq.Tables.BAG;

import io.tracetrack.hub.db.jooq.tables.records.BagRecord;
import io.tracetrack.hub.log.PgBulk;
import io.tracetrack.web.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The reads of an import, inside the caller's one transaction, set-based: the file's bags as the
 * hub holds them, locked in code order. What the file writes goes through the hub's one writer
 * ({@link io.tracetrack.hub.write.BagWriter}), as a push's does.
 */
@Store
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
  void existing(SortedSet<String> codes, boolean lock, Consumer<BagRecord> each) {
    records(codes, lock, each);
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
}
