package io.tracetrack.hub.io;


import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.model.BagRole;
import io.tracetrack.model.BillRules;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.CodeInput;
import io.tracetrack.model.CodeKind;
import io.tracetrack.model.CodeNormalizer;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Rejection;
import io.tracetrack.sync.Change;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jooq.DSLContext;

/**
 * Bill imports: a {@code bill_id,destination,vehicle_no,capacity,parent_code} file, one row per
 * (bill, parent). A bill's first row gives its destination, vehicle and capacity; its later rows may
 * leave them empty or repeat them exactly; a row without {@code parent_code} makes a bill with no
 * parent on it yet. The rules are the bill API's ({@link BillRules}, the bill-id grammar): a new
 * bill is OPEN with capacity 1..50, a parent must already be a parent bag at the hub (import the bags
 * file first), on no other bill, and a bill takes at most its capacity. A bill already at the hub is
 * "already there" (warning) for its rows whose parent is already on it, and an error
 * ({@code BILL_EXISTS}) for rows that would change it: an import creates bills, it does not edit them.
 */
final class ImportBills {

  static final List<String> COLUMNS = List.of("bill_id", "destination", "vehicle_no", "capacity", "parent_code");

  private final CodeGrammar grammar;
  private final AuditLog audit;

  ImportBills(CodeGrammar grammar, AuditLog audit) {
    this.grammar = grammar;
    this.audit = audit;
  }

  /** One row after its own checks; {@code bill} null when the row already failed. */
  record BillRow(int row, String bill, String destination, String vehicle, Integer capacity, String parent,
      String rawBill, String rawParent) {}

  BillRow parse(ImportReader.Row row, int[] at, ImportService.Issues issues) {
    int n = row.number();
    BillRow failed = new BillRow(n, null, null, null, null, null, null, null);
    String[] cell = ImportService.cells(row, at, COLUMNS, issues);
    if (cell == null) {
      return failed;
    }
    for (int c = 0; c < cell.length; c++) {
      cell[c] = cell[c] == null ? null : cell[c].strip();
    }
    if (cell[0] == null) {
      issues.error(n, "bill_id", ErrorCode.IMPORT_CELL_INVALID, "the bill id is missing", null);
      return failed;
    }
    String bill;
    switch (CodeNormalizer.normalize(cell[0])) {
      case CodeInput.Invalid bad -> {
        issues.error(n, "bill_id", bad.rejection().code(), bad.rejection().message(), cell[0]);
        return failed;
      }
      case CodeInput.Valid ok -> bill = ok.code();
    }
    Optional<Rejection> idProblem = grammar.billIdProblem(bill);
    if (idProblem.isPresent()) {
      issues.error(n, "bill_id", idProblem.get().code(), idProblem.get().message(), cell[0]);
      return failed;
    }
    for (int c = 1; c <= 2; c++) {
      if (cell[c] != null) {
        Optional<Rejection> p = BillRules.checkField(c == 1 ? "destination" : "vehicle", cell[c]);
        if (p.isPresent()) {
          issues.error(n, COLUMNS.get(c), p.get().code(), p.get().message(), cell[c]);
          return failed;
        }
      }
    }
    Integer capacity = null;
    if (cell[3] != null) {
      try {
        capacity = Integer.valueOf(cell[3]);
      } catch (NumberFormatException e) {
        issues.error(n, "capacity", ErrorCode.BILL_CAPACITY_INVALID, "capacity must be a whole number 1.."
            + BillRules.MAX_CAPACITY_AT_CREATION, cell[3]);
        return failed;
      }
    }
    String parent = null;
    if (cell[4] != null) {
      CodeKind kind = grammar.read(cell[4]);
      if (kind instanceof CodeKind.Parent p) {
        parent = p.code();
      } else {
        ErrorCode code = kind instanceof CodeKind.Child ? ErrorCode.CODE_IS_CHILD : ErrorCode.INVALID_CODE;
        String message = kind instanceof CodeKind.NotACode bad ? bad.rejection().message()
            : cell[4] + " is not a parent code; only parent bags go on a bill";
        issues.error(n, "parent_code", code, message, cell[4]);
        return failed;
      }
    }
    return new BillRow(n, bill, cell[1], cell[2], capacity, parent, cell[0], cell[4]);
  }

  /** A new bill as the file gives it, with its first row. */
  private record NewBill(String id, String destination, String vehicle, int capacity, int row) {}

  /** What a bills file does. */
  static final class Plan {
    final List<NewBill> bills = new ArrayList<>();
    /** (bill, parent) pairs to add, in row order. */
    final List<String[]> parents = new ArrayList<>();

    ImportReport.Created created() {
      return new ImportReport.Created(0, 0, 0, bills.size(), parents.size());
    }
  }

  /** Decides every row against the hub's bills, bill parents and bags (locked when {@code lock}). */
  Plan decide(DSLContext tx, List<BillRow> rows, ImportService.Issues issues, boolean lock) {
    // the bills named, their first rows, and whether the later rows agree with them
    Map<String, BillRow> first = new LinkedHashMap<>();
    Map<String, Integer> parentRow = new HashMap<>();
    TreeSet<String> billIds = new TreeSet<>();
    TreeSet<String> parentCodes = new TreeSet<>();
    for (BillRow r : rows) {
      if (r.bill() != null) {
        billIds.add(r.bill());
        if (r.parent() != null) {
          parentCodes.add(r.parent());
        }
      }
    }
    BillImportStore store = new BillImportStore(tx);
    Map<String, String> statusById = new HashMap<>();
    store.bills(billIds, lock, statusById);
    Map<String, Existing> existing = new HashMap<>();
    statusById.forEach((id, status) -> existing.put(id, new Existing(id, status)));
    Map<String, BagRole> bags = new HashMap<>();
    Map<String, String> billOf = new HashMap<>();
    store.parents(parentCodes, lock, bags, billOf);
    Plan plan = new Plan();
    Map<String, Integer> count = new HashMap<>();
    Map<String, NewBill> made = new HashMap<>();
    for (BillRow r : rows) {
      if (r.bill() == null) {
        continue;
      }
      BillRow head = first.putIfAbsent(r.bill(), r);
      Existing there = existing.get(r.bill());
      if (there == null && head == null) {
        // the bill's first row: it must say everything a new bill needs
        Optional<Rejection> p = BillRules.checkField("destination", r.destination())
            .or(() -> BillRules.checkField("vehicle", r.vehicle()))
            .or(() -> r.capacity() == null ? Optional.of(Rejection.of(ErrorCode.BILL_CAPACITY_INVALID,
                "capacity is required on a bill's first row")) : BillRules.checkNewCapacity(r.capacity()));
        if (p.isPresent()) {
          String column = p.get().code() == ErrorCode.BILL_CAPACITY_INVALID ? "capacity"
              : r.destination() == null || p.get().message().startsWith("destination") ? "destination" : "vehicle_no";
          issues.error(r.row(), column, p.get().code(), p.get().message() + " (a bill's first row gives its details)", null);
          first.remove(r.bill());
          continue;
        }
        NewBill b = new NewBill(r.bill(), r.destination(), r.vehicle(), r.capacity(), r.row());
        made.put(r.bill(), b);
        plan.bills.add(b);
      } else if (there == null) {
        NewBill b = made.get(r.bill());
        if (b == null) {
          continue; // its first row failed and was reported
        }
        if (r.destination() != null && !r.destination().equals(b.destination())
            || r.vehicle() != null && !r.vehicle().equals(b.vehicle())
            || r.capacity() != null && r.capacity() != b.capacity()) {
          issues.error(r.row(), null, ErrorCode.IMPORT_CELL_INVALID, "bill " + r.bill() + " has other details on row "
              + b.row() + "; leave them empty on its later rows, or repeat them exactly", null);
          continue;
        }
      }
      if (r.parent() == null) {
        if (there != null) {
          issues.warning(r.row(), "bill_id", "bill " + r.bill() + " is already at the hub; row skipped", r.rawBill());
        }
        continue;
      }
      Integer dup = parentRow.putIfAbsent(r.parent(), r.row());
      if (dup != null) {
        issues.error(r.row(), "parent_code", ErrorCode.IMPORT_DUPLICATE_ROW, r.parent() + " is already on row " + dup, r.rawParent());
        continue;
      }
      BagRole role = bags.get(r.parent());
      String on = billOf.get(r.parent());
      if (there != null && r.bill().equals(on)) {
        issues.warning(r.row(), "parent_code", r.parent() + " is already on bill " + on + "; row skipped", r.rawParent());
      } else if (there != null) {
        issues.error(r.row(), "bill_id", ErrorCode.BILL_EXISTS, "bill " + r.bill()
            + " already exists at the hub; an import creates bills, add parents to it on its page", r.rawBill());
      } else if (role == null) {
        issues.error(r.row(), "parent_code", ErrorCode.UNKNOWN_PARENT, r.parent()
            + " does not exist at the hub; import the bags file first", r.rawParent());
      } else if (role != BagRole.PARENT) {
        issues.error(r.row(), "parent_code", ErrorCode.CODE_IS_CHILD, r.parent() + " is a child bag; only parent bags go on a bill",
            r.rawParent());
      } else if (on != null) {
        issues.error(r.row(), "parent_code", ErrorCode.PARENT_ON_OTHER_BILL, r.parent() + " is already on bill " + on, r.rawParent());
      } else {
        NewBill b = made.get(r.bill());
        int onBill = count.merge(r.bill(), 1, Integer::sum);
        if (onBill > b.capacity()) {
          count.merge(r.bill(), -1, Integer::sum);
          issues.error(r.row(), "parent_code", ErrorCode.BILL_FULL, "bill " + r.bill() + " is full: its capacity is "
              + b.capacity() + " parents", r.rawParent());
        } else {
          plan.parents.add(new String[] {r.bill(), r.parent()});
        }
      }
    }
    return plan;
  }

  private record Existing(String id, String status) {}

  /** Writes a checked file: bills, their parents, the open-bills counter, one audit entry, the change log last. */
  void write(DSLContext tx, Plan plan, Caller caller, OffsetDateTime now, String fileName, String sha256, int rows) {
    String actor = caller.principal().username();
    new BillImportStore(tx).insert(
        plan.bills.stream().map(b -> new BillImportStore.NewBill(b.id(), b.destination(), b.vehicle(), b.capacity())).toList(),
        plan.parents.stream().map(p -> new BillImportStore.BillParent(p[0], p[1])).toList(),
        BillRules.Status.OPEN.name(), actor, now);
    Map<String, Object> what = new LinkedHashMap<>();
    what.put("kind", "bills");
    what.put("file", fileName);
    what.put("sha256", sha256);
    what.put("rows", rows);
    what.put("bills", plan.bills.size());
    what.put("billParents", plan.parents.size());
    audit.record(tx, caller.actor(), AuditAction.IMPORT_COMMITTED, sha256, null, what);
    List<ChangeLog.Entry> entries = new ArrayList<>();
    for (String[] p : plan.parents) {
      entries.add(new ChangeLog.Entry(new Change.BillParentAdded(p[0], p[1]), now, actor));
    }
    for (int from = 0; from < entries.size(); from += 5_000) {
      ChangeLog.append(tx, entries.subList(from, Math.min(entries.size(), from + 5_000)));
    }
  }
}
