package io.tracetrack.hub.io;

import static io.tracetrack.hub.db.jooq.Tables.BAG;
import static io.tracetrack.hub.db.jooq.Tables.BILL;
import static io.tracetrack.hub.db.jooq.Tables.BILL_PARENT;

import io.tracetrack.hub.stats.Counters;
import io.tracetrack.model.BagRole;
import io.tracetrack.web.Store;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Consumer;
import org.jooq.DSLContext;

/**
 * The SQL of a bills import, inside the caller's one transaction, {@link ImportStore#CHUNK} rows
 * per statement: what the file names as the hub holds it (locked when committing), and the new
 * bills and their parents.
 */
@Store
final class BillImportStore {

  private final DSLContext tx;

  BillImportStore(DSLContext tx) {
    this.tx = tx;
  }

  /** The status of each of {@code ids} that is a bill already, in id order. */
  void bills(SortedSet<String> ids, boolean lock, Map<String, String> statusById) {
    chunks(ids, chunk -> {
      var q = tx.select(BILL.ID, BILL.STATUS).from(BILL).where(BILL.ID.in(chunk)).orderBy(BILL.ID);
      (lock ? q.forUpdate().fetch() : q.fetch()).forEach(r -> statusById.put(r.value1(), r.value2()));
    });
  }

  /** The role of each of {@code codes} that is a bag, and the bill each one is on (if any). */
  void parents(SortedSet<String> codes, boolean lock, Map<String, BagRole> roles, Map<String, String> billOf) {
    chunks(codes, chunk -> {
      var q = tx.select(BAG.CODE, BAG.ROLE).from(BAG).where(BAG.CODE.in(chunk)).orderBy(BAG.CODE);
      (lock ? q.forUpdate().fetch() : q.fetch()).forEach(r -> roles.put(r.value1(), BagRole.valueOf(r.value2())));
      tx.select(BILL_PARENT.PARENT_CODE, BILL_PARENT.BILL_ID).from(BILL_PARENT).where(BILL_PARENT.PARENT_CODE.in(chunk))
          .fetch().forEach(r -> billOf.put(r.value1(), r.value2()));
    });
  }

  /** A new bill as the file gives it. */
  record NewBill(String id, String destination, String vehicle, int capacity) {}

  /** A parent put on a bill. */
  record BillParent(String billId, String parent) {}

  /** The new bills ({@code status} each), their parents, and the open-bills counter. */
  void insert(List<NewBill> bills, List<BillParent> parents, String status, String actor, OffsetDateTime now) {
    for (int from = 0; from < bills.size(); from += ImportStore.CHUNK) {
      var insert = tx.insertInto(BILL, BILL.ID, BILL.DESTINATION, BILL.VEHICLE_NUMBER, BILL.CAPACITY, BILL.STATUS,
          BILL.CREATED_BY, BILL.CREATED_AT, BILL.UPDATED_AT);
      for (NewBill b : bills.subList(from, Math.min(bills.size(), from + ImportStore.CHUNK))) {
        insert = insert.values(b.id(), b.destination(), b.vehicle(), b.capacity(), status, actor, now, now);
      }
      insert.execute();
    }
    for (int from = 0; from < parents.size(); from += ImportStore.CHUNK) {
      var insert = tx.insertInto(BILL_PARENT, BILL_PARENT.PARENT_CODE, BILL_PARENT.BILL_ID, BILL_PARENT.ADDED_BY,
          BILL_PARENT.ADDED_AT);
      for (BillParent p : parents.subList(from, Math.min(parents.size(), from + ImportStore.CHUNK))) {
        insert = insert.values(p.parent(), p.billId(), actor, now);
      }
      insert.execute();
    }
    if (!bills.isEmpty()) {
      Counters.add(tx, Counters.BILLS_OPEN, "", "", bills.size());
    }
  }

  private static void chunks(SortedSet<String> all, Consumer<List<String>> each) {
    List<String> chunk = new ArrayList<>(ImportStore.CHUNK);
    for (String s : all) {
      chunk.add(s);
      if (chunk.size() == ImportStore.CHUNK) {
        each.accept(List.copyOf(chunk));
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      each.accept(chunk);
    }
  }
}
