package io.tracetrack.hub.io;

import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.ApiProblem;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an export is narrowed to: a time range (half-open, {@code [from, to)}), an area, a status.
 * Each is {@code null} when not asked for. Dates are days in the deployment's time zone; {@code to}
 * names the last day included.
 *
 * @param status a bag's role (PARENT, CHILD), a scan's kind (LINK, UNLINK, ...) or a bill's status (OPEN, FINALIZED)
 */
public record ExportFilter(OffsetDateTime from, OffsetDateTime to, String area, String status) {

  public static final ExportFilter NONE = new ExportFilter(null, null, null, null);

  private static final Pattern AREA = Pattern.compile("[A-Z0-9_-]{1,40}");

  public ExportFilter {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to");
    }
  }

  /** The same filter, kept to {@code area} (a dispatcher's own). */
  public ExportFilter inArea(String only) {
    return new ExportFilter(from, to, only, status);
  }

  /**
   * Reads {@code from}, {@code to}, {@code area} and {@code status} from a query; any other parameter,
   * a bad date or a status outside {@code statuses} is refused (400 INVALID_FILTER), never ignored:
   * an export that silently dropped a misspelt filter would look complete and be wrong.
   */
  public static ExportFilter parse(Map<String, String> query, ZoneId zone, Set<String> allowed, Set<String> statuses) {
    for (String name : query.keySet()) {
      if (!allowed.contains(name)) {
        throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, "unknown filter '" + Texts.clip(name)
            + "'; this export takes " + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
    OffsetDateTime from = day(query.get("from"), "from", zone, 0);
    OffsetDateTime to = day(query.get("to"), "to", zone, 1);
    if (from != null && to != null && !from.isBefore(to)) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, "from must be on or before to");
    }
    String area = query.get("area");
    if (area != null && !AREA.matcher(area).matches()) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, "area is an area id such as NORTH (A-Z, 0-9, _ or -)");
    }
    String status = query.get("status");
    if (status != null) {
      status = status.toUpperCase(Locale.ROOT);
      if (!statuses.contains(status)) {
        throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, "status is one of " + String.join(", ", statuses.stream().sorted().toList()));
      }
    }
    return new ExportFilter(from, to, area, status);
  }

  private static OffsetDateTime day(String text, String name, ZoneId zone, int plusDays) {
    if (text == null) {
      return null;
    }
    try {
      return LocalDate.parse(text).plusDays(plusDays).atStartOfDay(zone).toOffsetDateTime();
    } catch (DateTimeException e) {
      throw ApiProblem.badRequest(ErrorCode.INVALID_FILTER, name + " is a day written YYYY-MM-DD, e.g. 2026-11-22");
    }
  }

  /** Short, printable echo of what the client sent. */
  private static final class Texts {
    static String clip(String s) {
      String printable = s.replaceAll("[^\\p{Alnum}_.-]", "?");
      return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
  }
}
