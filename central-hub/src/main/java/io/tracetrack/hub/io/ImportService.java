package io.tracetrack.hub.io;

import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditLog;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.log.ChangeLog;
import io.tracetrack.hub.write.BagWriter;
import io.tracetrack.hub.write.Overlay;
import io.tracetrack.model.BagRole;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.model.CodeKind;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Rejection;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.Decision;
import io.tracetrack.sync.Effect;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.Reconciler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * Bag imports (F-IO): each row of a {@code code,type,parent_code} file checked with the same rules
 * as the API and the docks — the grammar, then the shared {@link Reconciler} deciding a
 * CreateParent or a Link against the hub's rows plus what the file's earlier rows did — and, on
 * commit, written whole in one transaction or not at all. Stateless: a commit reads and checks the
 * file again, so any hub instance can take the dry run and another the commit.
 *
 * <p>Rows mean: a parent row creates the parent; a child row with a {@code parent_code} links it
 * (creating the child when new); a child row without one creates an unlinked child. A bag already
 * at the hub in the same role, or a link already there, is a warning ({@code IMPORT_ALREADY_EXISTS})
 * and the row is skipped, so the same file can be imported twice. Parent rows are decided before
 * child rows, so a child may come above its parent in the file.
 */
public final class ImportService {

  /** Columns of a bags file; {@code code} is required. */
  static final List<String> BAG_COLUMNS = List.of("code", "type", "parent_code");

  /** What became of an import. */
  public sealed interface Result {
    /** Read and checked (and, for a clean commit, written); {@code all} holds every issue for the CSV report. */
    record Checked(ImportReport report, List<ImportReport.Issue> all) implements Result {}

    /** The file was not read to the end; nothing was written. */
    record Refused(int status, ErrorCode code, String message) implements Result {}
  }

  /** Where a long import tells how far it got (the NDJSON progress lines). */
  public interface Progress {
    void update(String phase, int rows);

    Progress NONE = (phase, rows) -> { };
  }

  private final HubDatabase db;
  private final CodeGrammar grammar;
  private final Reconciler reconciler;
  private final AuditLog audit;
  private final Clock clock;

  public ImportService(HubDatabase db, CodeGrammar grammar, AuditLog audit, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.grammar = Objects.requireNonNull(grammar, "grammar");
    this.reconciler = new Reconciler(grammar);
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One data row of a bags file after its own checks: null code when the row already failed. */
  private record BagRow(int row, String code, BagRole role, String parent, String rawCode, String rawParent) {}

  /** Checks {@code file} and, when {@code commit} and it has no errors, writes it. */
  public Result bags(Path file, String fileName, String sha256, boolean commit, Caller caller, Progress progress) {
    long started = System.nanoTime();
    Issues issues = new Issues();
    List<BagRow> rows = new ArrayList<>();
    try {
      ImportReader.Format format = ImportReader.sniff(file);
      ImportReader.read(file, format, new ImportReader.Sink() {
        int[] at;

        @Override
        public void header(ImportReader.Row header) throws ImportReader.Refused {
          at = columns(header, BAG_COLUMNS, "code");
        }

        @Override
        public void row(ImportReader.Row row) {
          rows.add(parse(row, at, issues));
        }

        @Override
        public void progress(int n) {
          progress.update("reading", n);
        }
      });
    } catch (ImportReader.Refused e) {
      return new Result.Refused(e.status, e.code, e.getMessage());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    progress.update("checking", rows.size());
    LOG.info(() -> "import: read " + rows.size() + " rows in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    if (!commit) {
      Plan plan = db.transaction(tx -> decide(tx, rows, issues, false, caller));
      return checked("bags", "dry-run", false, fileName, sha256, rows.size(), plan.created(), issues);
    }
    long readDone = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      Issues tried = issues.copy();
      try {
        Plan plan = db.transaction(tx -> {
          Plan p = decide(tx, rows, tried, true, caller);
          LOG.info(() -> "import: checked " + rows.size() + " rows under lock in " + (System.nanoTime() - readDone) / 1_000_000 + " ms");
          if (tried.errors.isEmpty()) {
            progress.update("writing", rows.size());
            write(tx, p, caller, fileName, sha256, rows.size());
          }
          return p;
        });
        return checked("bags", "commit", tried.errors.isEmpty(), fileName, sha256, rows.size(), plan.created(), tried);
      } catch (DataAccessException e) {
        // another writer created one of the file's new bags meanwhile: check again against it
        if (attempt >= 3 || !HubDatabase.isUniqueViolation(e)) {
          throw e;
        }
      }
    }
  }

  /**
   * Checks a bills file ({@link ImportBills}) and, when {@code commit} and it has no errors, writes
   * it: the same reading, report and one-transaction rule as {@link #bags}.
   */
  public Result bills(Path file, String fileName, String sha256, boolean commit, Caller caller, Progress progress) {
    Issues issues = new Issues();
    ImportBills sheet = new ImportBills(grammar, audit);
    List<ImportBills.BillRow> rows = new ArrayList<>();
    try {
      ImportReader.Format format = ImportReader.sniff(file);
      ImportReader.read(file, format, new ImportReader.Sink() {
        int[] at;

        @Override
        public void header(ImportReader.Row header) throws ImportReader.Refused {
          at = columns(header, ImportBills.COLUMNS, "bill_id");
        }

        @Override
        public void row(ImportReader.Row row) {
          rows.add(sheet.parse(row, at, issues));
        }

        @Override
        public void progress(int n) {
          progress.update("reading", n);
        }
      });
    } catch (ImportReader.Refused e) {
      return new Result.Refused(e.status, e.code, e.getMessage());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    progress.update("checking", rows.size());
    if (!commit) {
      ImportBills.Plan plan = db.transaction(tx -> sheet.decide(tx, rows, issues, false));
      return checked("bills", "dry-run", false, fileName, sha256, rows.size(), plan.created(), issues);
    }
    for (int attempt = 1; ; attempt++) {
      Issues tried = issues.copy();
      try {
        ImportBills.Plan plan = db.transaction(tx -> {
          ImportBills.Plan p = sheet.decide(tx, rows, tried, true);
          if (tried.errors.isEmpty()) {
            progress.update("writing", rows.size());
            sheet.write(tx, p, caller, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), fileName, sha256, rows.size());
          }
          return p;
        });
        return checked("bills", "commit", tried.errors.isEmpty(), fileName, sha256, rows.size(), plan.created(), tried);
      } catch (DataAccessException e) {
        // another writer created one of the file's bills, or billed one of its parents, meanwhile
        if (attempt >= 3 || !HubDatabase.isUniqueViolation(e)) {
          throw e;
        }
      }
    }
  }

  static Result checked(String kind, String mode, boolean committed, String fileName, String sha256, int read,
      ImportReport.Created created, Issues issues) {
    List<ImportReport.Issue> errors = issues.sortedErrors();
    List<ImportReport.Issue> warnings = issues.sortedWarnings();
    java.util.Set<Integer> bad = new java.util.HashSet<>();
    errors.forEach(i -> bad.add(i.row()));
    ImportReport report = new ImportReport(kind, mode, committed, fileName, sha256, read, read - bad.size(),
        created, warnings.size(), errors.size(),
        errors.subList(0, Math.min(errors.size(), ImportReport.LISTED)), warnings.size(),
        warnings.subList(0, Math.min(warnings.size(), ImportReport.LISTED)));
    List<ImportReport.Issue> all = new ArrayList<>(errors);
    all.addAll(warnings);
    all.sort(java.util.Comparator.comparingInt(ImportReport.Issue::row));
    return new Result.Checked(report, all);
  }

  /**
   * Where each wanted column is in the header; refuses a header without {@code required}, with a
   * column twice, or with a column the file kind does not have.
   */
  static int[] columns(ImportReader.Row header, List<String> wanted, String required) throws ImportReader.Refused {
    int[] at = new int[wanted.size()];
    java.util.Arrays.fill(at, -1);
    String expected = "; the header row must be " + String.join(",", wanted) + " (only " + required + " is required)";
    if (header.tooManyColumns()) {
      throw new ImportReader.Refused(422, ErrorCode.IMPORT_BAD_HEADER, "the header has too many columns" + expected);
    }
    for (int i = 0; i < header.cells().length; i++) {
      String name = header.cells()[i];
      if (name == null || name.isBlank()) {
        continue;
      }
      String n = name.strip().toLowerCase(Locale.ROOT).replace(' ', '_');
      int w = wanted.indexOf(n);
      if (w < 0) {
        throw new ImportReader.Refused(422, ErrorCode.IMPORT_BAD_HEADER, "unknown column \"" + cut(name) + "\"" + expected);
      }
      if (at[w] >= 0) {
        throw new ImportReader.Refused(422, ErrorCode.IMPORT_BAD_HEADER, "column " + n + " appears twice" + expected);
      }
      at[w] = i;
    }
    if (at[wanted.indexOf(required)] < 0) {
      throw new ImportReader.Refused(422, ErrorCode.IMPORT_BAD_HEADER, "the header has no " + required + " column" + expected);
    }
    return at;
  }

  /** The row's own checks: cells, grammar, type, parent code. */
  private BagRow parse(ImportReader.Row row, int[] at, Issues issues) {
    int n = row.number();
    String[] cell = cells(row, at, BAG_COLUMNS, issues);
    if (cell == null) {
      return new BagRow(n, null, null, null, null, null);
    }
    String raw = cell[0];
    if (raw == null) {
      issues.error(n, "code", ErrorCode.IMPORT_CELL_INVALID, "the code is missing", null);
      return new BagRow(n, null, null, null, null, null);
    }
    CodeKind kind = grammar.read(raw);
    BagRole role;
    String code;
    switch (kind) {
      case CodeKind.Parent p -> {
        role = BagRole.PARENT;
        code = p.code();
      }
      case CodeKind.Child c -> {
        role = BagRole.CHILD;
        code = c.code();
      }
      case CodeKind.NotACode bad -> {
        issues.error(n, "code", bad.rejection().code(), bad.rejection().message(), raw);
        return new BagRow(n, null, null, null, raw, null);
      }
      case CodeKind.Command c -> {
        issues.error(n, "code", ErrorCode.INVALID_CODE, raw.strip() + " is a station command, not a bag", raw);
        return new BagRow(n, null, null, null, raw, null);
      }
    }
    if (cell[1] != null) {
      String type = cell[1].strip().toUpperCase(Locale.ROOT);
      if (!type.equals("PARENT") && !type.equals("CHILD")) {
        issues.error(n, "type", ErrorCode.IMPORT_CELL_INVALID, "type must be PARENT or CHILD (or empty)", cell[1]);
        return new BagRow(n, null, null, null, raw, null);
      }
      if (!type.equals(role.name())) {
        issues.error(n, "type", role == BagRole.PARENT ? ErrorCode.CODE_IS_PARENT : ErrorCode.CODE_IS_CHILD,
            code + " is a " + role.name().toLowerCase(Locale.ROOT) + " code by its form, but the type says " + type, cell[1]);
        return new BagRow(n, null, null, null, raw, null);
      }
    }
    String parent = null;
    if (cell[2] != null) {
      if (role == BagRole.PARENT) {
        issues.error(n, "parent_code", ErrorCode.CODE_IS_PARENT, code + " is a parent; only a child row takes a parent_code", cell[2]);
        return new BagRow(n, null, null, null, raw, null);
      }
      CodeKind p = grammar.read(cell[2]);
      if (p instanceof CodeKind.Parent pk) {
        parent = pk.code();
      } else {
        ErrorCode code2 = p instanceof CodeKind.Child ? ErrorCode.CODE_IS_CHILD : ErrorCode.INVALID_CODE;
        String message = p instanceof CodeKind.NotACode bad ? bad.rejection().message() : cell[2].strip() + " is not a parent code";
        issues.error(n, "parent_code", code2, message, cell[2]);
        return new BagRow(n, null, null, null, raw, cell[2]);
      }
    }
    return new BagRow(n, code, role, parent, raw, cell[2]);
  }

  /**
   * What a file does: its rows decided onto the hub's as an {@link Overlay} (what {@link BagWriter}
   * writes, as it writes a push's), the history, and the change-log entries in the order a dock
   * replays them.
   */
  private static final class Plan {
    final Overlay overlay = new Overlay();
    final List<BagWriter.Event> events = new ArrayList<>();
    final List<Change> changes = new ArrayList<>();
    /** The file row that created each new bag. */
    final Map<String, Integer> createdOnRow = new HashMap<>();

    ImportReport.Created created() {
      Overlay.Counts c = overlay.counts();
      return new ImportReport.Created(Math.toIntExact(c.parents()), Math.toIntExact(c.children()),
          Math.toIntExact(c.links()), 0, 0);
    }
  }

  /**
   * Decides every row against the hub's rows (locked when {@code lock}) plus the file's earlier
   * rows: the file's duplicates first, then parent rows, then child rows, each in row order.
   */
  private Plan decide(DSLContext tx, List<BagRow> rows, Issues issues, boolean lock, Caller caller) {
    String actor = caller.principal().username();
    String area = caller.principal().area();
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    Map<String, Integer> firstRow = new HashMap<>();
    Map<String, Integer> parentRow = new HashMap<>();
    TreeSet<String> named = new TreeSet<>();
    List<BagRow> parents = new ArrayList<>();
    List<BagRow> children = new ArrayList<>();
    for (BagRow r : rows) {
      if (r.code() == null) {
        continue;
      }
      Integer first = firstRow.putIfAbsent(r.code(), r.row());
      if (first != null) {
        issues.error(r.row(), "code", ErrorCode.IMPORT_DUPLICATE_ROW, r.code() + " is already on row " + first, r.rawCode());
        continue;
      }
      named.add(r.code());
      if (r.parent() != null) {
        named.add(r.parent());
      }
      if (r.role() == BagRole.PARENT) {
        parents.add(r);
        parentRow.put(r.code(), r.row());
      } else {
        children.add(r);
      }
    }
    Plan plan = new Plan();
    Overlay overlay = plan.overlay;
    new ImportStore(tx).existing(named, lock, overlay::existing);
    for (BagRow r : parents) {
      CodeKind.Parent kind = (CodeKind.Parent) grammar.classify(r.code());
      Op.CreateParent op = new Op.CreateParent(r.code(), kind.expectedCount(), kind.limit());
      Decision d = reconciler.decide(op, overlay);
      if (d instanceof Decision.Rejected rej) {
        issues.error(r.row(), "code", rej.rejection().code(), rej.rejection().message(), r.rawCode());
      } else if (((Decision.Accepted) d).effects().isEmpty()) {
        issues.warning(r.row(), "code", r.code() + " is already at the hub as a parent; row skipped", r.rawCode());
      } else {
        ((Decision.Accepted) d).effects().forEach(e -> overlay.apply(e, actor, now));
        plan.createdOnRow.put(r.code(), r.row());
        plan.events.add(new BagWriter.Event(Op.CREATE_PARENT, r.code(), null, actor));
        plan.changes.add(Change.of(op, area));
      }
    }
    for (BagRow r : children) {
      if (r.parent() == null) {
        Overlay.Bag there = overlay.row(r.code()).orElse(null);
        if (there == null) {
          overlay.apply(new Effect.CreateBag(r.code(), BagRole.CHILD, null, 0), actor, now);
          plan.createdOnRow.put(r.code(), r.row());
          plan.events.add(new BagWriter.Event("CREATE_CHILD", r.code(), null, actor));
          plan.changes.add(new Change.Bag(r.code(), BagRole.CHILD.name(), null, null, area));
        } else if (there.role == BagRole.PARENT) {
          issues.error(r.row(), "code", ErrorCode.CODE_IS_PARENT, r.code() + " is a parent bag and cannot be a child", r.rawCode());
        } else if (there.isNew) {
          issues.error(r.row(), "code", ErrorCode.IMPORT_DUPLICATE_ROW, r.code() + " is already on row "
              + plan.createdOnRow.get(r.code()), r.rawCode());
        } else {
          issues.warning(r.row(), "code", r.code() + " is already at the hub as a child; row skipped", r.rawCode());
        }
        continue;
      }
      Op.Link op = new Op.Link(r.parent(), r.code());
      Decision d = reconciler.decide(op, overlay);
      if (d instanceof Decision.Accepted a) {
        for (Effect e : a.effects()) {
          if (!(e instanceof Effect.CreateBag) && !(e instanceof Effect.AddLink)) {
            throw new IllegalStateException("a link decided " + e);
          }
          overlay.apply(e, actor, now);
          if (e instanceof Effect.CreateBag c) {
            plan.createdOnRow.put(c.code(), r.row());
          }
        }
        plan.events.add(new BagWriter.Event(Op.LINK, r.code(), r.parent(), actor));
        plan.changes.add(Change.of(op, area));
        continue;
      }
      Rejection rej = ((Decision.Rejected) d).rejection();
      if (rej.code() == ErrorCode.DUPLICATE) {
        issues.warning(r.row(), "parent_code", r.code() + " is already on " + r.parent() + "; row skipped", r.rawParent());
      } else if (rej.code() == ErrorCode.UNKNOWN_PARENT) {
        Integer pr = parentRow.get(r.parent());
        issues.error(r.row(), "parent_code", ErrorCode.UNKNOWN_PARENT, pr != null
            ? r.parent() + " is not created: its row " + pr + " has an error"
            : r.parent() + " is neither in this file nor at the hub; add a row for it", r.rawParent());
      } else {
        String column = rej.code() == ErrorCode.CHILD_ALREADY_LINKED || rej.code() == ErrorCode.CODE_IS_PARENT ? "code" : "parent_code";
        issues.error(r.row(), column, rej.code(), rej.message(), column.equals("code") ? r.rawCode() : r.rawParent());
      }
    }
    return plan;
  }

  /** Writes a checked file: bags, history, counters, one audit entry, and the change log last. */
  private void write(DSLContext tx, Plan plan, Caller caller, String fileName, String sha256, int rows) {
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    String actor = caller.principal().username();
    // an import is the hub's API acting for the admin (source API, no dock); the audit entry names the file
    BagWriter.Stamp stamp = new BagWriter.Stamp(caller.principal().area(), null, "API", now);
    BagWriter writer = new BagWriter(tx);
    long t0 = System.nanoTime();
    writer.write(plan.overlay, stamp);
    long t1 = System.nanoTime();
    writer.history(plan.events, stamp);
    long t2 = System.nanoTime();
    writer.counters(plan.overlay.counts(), stamp);
    ImportReport.Created created = plan.created();
    Map<String, Object> what = new LinkedHashMap<>();
    what.put("kind", "bags");
    what.put("file", fileName);
    what.put("sha256", sha256);
    what.put("rows", rows);
    what.put("parents", created.parents());
    what.put("children", created.children());
    what.put("links", created.links());
    audit.record(tx, caller.actor(), AuditAction.IMPORT_COMMITTED, sha256, null, what);
    List<ChangeLog.Entry> entries = new ArrayList<>(plan.changes.size());
    for (Change c : plan.changes) {
      entries.add(new ChangeLog.Entry(c, now, actor));
    }
    // several appends in one transaction: the first takes the head row and holds it to the commit,
    // so the positions stay contiguous and in commit order; chunks keep H2 under its bind limit
    long t3 = System.nanoTime();
    for (int from = 0; from < entries.size(); from += LOG_CHUNK) {
      ChangeLog.append(tx, entries.subList(from, Math.min(entries.size(), from + LOG_CHUNK)));
    }
    long t4 = System.nanoTime();
    // where a slow commit spends its time, for whoever reads the log after a big import
    LOG.info(() -> String.format(Locale.ROOT, "import of %d rows by %s: bags %d ms, history %d ms, counters+audit %d ms,"
        + " change log %d ms", rows, actor, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000,
        (t4 - t3) / 1_000_000));
  }

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ImportService.class.getName());

  /** Change-log entries per append: 8 binds each on H2, which takes fewer than 100,000 in one statement. */
  private static final int LOG_CHUNK = 5_000;

  /**
   * The row's cells in {@code columns} order (blank → null), or null when the row failed the
   * checks every import makes of a cell (cells past the header, a formula, too long), each
   * recorded in {@code issues}: both the bags and the bills file read their rows through this.
   */
  static String[] cells(ImportReader.Row row, int[] at, List<String> columns, Issues issues) {
    int n = row.number();
    if (row.tooManyColumns()) {
      issues.error(n, null, ErrorCode.IMPORT_CELL_INVALID, "the row has cells beyond the header's columns", null);
      return null;
    }
    String[] cell = new String[columns.size()];
    for (int c = 0; c < cell.length; c++) {
      int i = at[c];
      if (i < 0 || i >= row.cells().length) {
        continue;
      }
      String v = row.cells()[i];
      if (row.formula()[i] || ImportReader.startsLikeFormula(v)) {
        issues.error(n, columns.get(c), ErrorCode.IMPORT_FORMULA_CELL,
            "a formula (or a cell starting with = + - @) is not imported; type the value itself", v);
        return null;
      }
      if (row.tooLong()[i]) {
        issues.error(n, columns.get(c), ErrorCode.IMPORT_CELL_INVALID,
            "the cell is longer than " + ImportReader.MAX_CELL + " characters", v);
        return null;
      }
      cell[c] = v == null || v.isBlank() ? null : v;
    }
    return cell;
  }

  static final class Issues {
    final List<ImportReport.Issue> errors = new ArrayList<>();
    final List<ImportReport.Issue> warnings = new ArrayList<>();

    void error(int row, String column, ErrorCode code, String message, String value) {
      errors.add(new ImportReport.Issue(row, column, code.name(), message, value));
    }

    void warning(int row, String column, String message, String value) {
      warnings.add(new ImportReport.Issue(row, column, ErrorCode.IMPORT_ALREADY_EXISTS.name(), message, value));
    }

    Issues copy() {
      Issues c = new Issues();
      c.errors.addAll(errors);
      c.warnings.addAll(warnings);
      return c;
    }

    List<ImportReport.Issue> sortedErrors() {
      List<ImportReport.Issue> out = new ArrayList<>(errors);
      out.sort(java.util.Comparator.comparingInt(ImportReport.Issue::row));
      return out;
    }

    List<ImportReport.Issue> sortedWarnings() {
      List<ImportReport.Issue> out = new ArrayList<>(warnings);
      out.sort(java.util.Comparator.comparingInt(ImportReport.Issue::row));
      return out;
    }
  }

  static String cut(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
