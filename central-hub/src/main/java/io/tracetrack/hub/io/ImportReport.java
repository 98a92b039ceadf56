package io.tracetrack.hub.io;

import java.util.List;
import java.util.Objects;

/**
 * What an import found (dry run) or did (commit): the JSON answer. {@code errors} and
 * {@code warnings} list at most {@link #LISTED} each; {@code errorCount}/{@code warningCount} are
 * the full counts, and {@code ?report=csv} answers every one as a CSV file.
 *
 * @param kind {@code bags} or {@code bills}
 * @param mode {@code dry-run} or {@code commit}
 * @param committed whether the file's rows were written (a commit without errors)
 * @param sha256 of the file's bytes, as the audit entry records it
 * @param rowsRead data rows read (blank rows not counted)
 * @param rowsOk rows without an error (rows skipped as already there included)
 * @param created what the file creates (dry run: would create)
 */
public record ImportReport(String kind, String mode, boolean committed, String fileName, String sha256, int rowsRead,
    int rowsOk, Created created, int skipped, int errorCount, List<Issue> errors, int warningCount, List<Issue> warnings) {

  /** Issues listed in the JSON body; the CSV report holds all. */
  public static final int LISTED = 1_000;

  public ImportReport {
    Objects.requireNonNull(kind, "kind");
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  /** Counts of new things: bags and links (a bags file), bills and parents put on them (a bills file). */
  public record Created(int parents, int children, int links, int bills, int billParents) {}

  /**
   * One problem with one row: {@code row} as a person sees it (header = 1), the column's header
   * name, a stable code, what to do, and the cell's value (echoed only inside JSON or an escaped CSV cell).
   */
  public record Issue(int row, String column, String code, String message, String value) {}
}
