package io.tracetrack.hub.io;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http.HttpService;
import io.tracetrack.hub.auth.Access;
import io.tracetrack.hub.auth.Caller;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.model.Role;
import io.tracetrack.web.ApiProblem;
import io.tracetrack.web.Json;
import io.tracetrack.web.Problems;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code POST /api/v1/imports/bags} and {@code /imports/bills}, {@code ?mode=dry-run|commit}: the raw CSV or XLSX file as the body
 * (admins only). Answers the {@link ImportReport} as JSON; with {@code Accept: application/x-ndjson}
 * progress lines first and the report as the last line; with {@code ?report=csv} every error and
 * warning as a CSV attachment. A commit with errors answers 422 {@code IMPORT_HAS_ERRORS} and
 * writes nothing. Nothing is kept between requests: a commit sends the file again.
 */
public final class ImportRoutes implements HttpService {

  /** Largest import body by default. */
  public static final long DEFAULT_MAX_BYTES = 32L * 1024 * 1024;
  /** Where the routes are mounted, for the server's body-size rule. */
  public static final String PATH_PREFIX = "/api/v1/imports/";

  private static final Set<Role> ADMIN = Set.of(Role.ADMIN);
  private static final String NDJSON = "application/x-ndjson";

  private final ImportService service;
  private final Access access;
  private final long maxBytes;

  public ImportRoutes(ImportService service, Access access, long maxBytes) {
    this.service = service;
    this.access = access;
    this.maxBytes = maxBytes;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/imports/bags", access.allow(ADMIN, (req, res, caller) -> handle(req, res, caller, service::bags)))
        .post("/imports/bills", access.allow(ADMIN, (req, res, caller) -> handle(req, res, caller, service::bills)));
  }

  /** One of the service's import kinds. */
  @FunctionalInterface
  private interface Kind {
    ImportService.Result run(Path file, String fileName, String sha256, boolean commit, Caller caller,
        ImportService.Progress progress);
  }

  private void handle(ServerRequest req, ServerResponse res, Caller caller, Kind kind) {
    boolean commit = mode(req);
    boolean csvReport = req.query().first("report").map("csv"::equals).orElse(false);
    boolean ndjson = req.headers().value(HeaderNames.ACCEPT).map(a -> a.contains(NDJSON)).orElse(false) && !csvReport;
    String fileName = req.query().first("filename").orElse(
        req.headers().value(HeaderNames.create("X-File-Name")).orElse("upload"));
    fileName = fileName.length() > 200 ? fileName.substring(0, 200) : fileName;
    Path file = null;
    try {
      file = Files.createTempFile("tracetrack-import-", ".upload");
      String sha256 = spool(req, file);
      if (ndjson) {
        streamed(res, kind, file, fileName, sha256, commit, caller);
        return;
      }
      ImportService.Result result = kind.run(file, fileName, sha256, commit, caller, ImportService.Progress.NONE);
      switch (result) {
        case ImportService.Result.Refused r -> Problems.send(res, r.status(), r.code(), r.message());
        case ImportService.Result.Checked c -> {
          int status = commit && !c.report().committed() ? 422 : 200;
          if (csvReport) {
            csv(res, status, c);
          } else if (status == 422) {
            Problems.send(res, 422, ErrorCode.IMPORT_HAS_ERRORS, c.report().errorCount()
                + " rows have errors; nothing was imported. Fix them (see errors, or ?report=csv) and send the file again",
                Map.of("report", c.report()));
          } else {
            Json.send(res, 200, c.report());
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temp file left behind is the OS's to clear
        }
      }
    }
  }

  private static boolean mode(ServerRequest req) {
    String mode = req.query().first("mode").orElse("dry-run").toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "dry-run" -> false;
      case "commit" -> true;
      default -> throw new ApiProblem(400, ErrorCode.INVALID_REQUEST, "mode must be dry-run or commit");
    };
  }

  /** Copies the body to {@code file}, refusing past the limit; answers the SHA-256 of its bytes. */
  private String spool(ServerRequest req, Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long length = req.headers().contentLength().orElse(-1L);
    if (length > maxBytes) {
      throw tooLarge();
    }
    long total = 0;
    try (InputStream in = req.content().inputStream(); OutputStream out = Files.newOutputStream(file)) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > maxBytes) {
          throw tooLarge();
        }
        sha.update(buf, 0, n);
        out.write(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private ApiProblem tooLarge() {
    return new ApiProblem(413, ErrorCode.BODY_TOO_LARGE,
        "the file is larger than " + (maxBytes / (1024 * 1024)) + " MB; split it into smaller files");
  }

  /** Progress lines while the file is read and checked, then the report (or the problem) as the last line. */
  private void streamed(ServerResponse res, Kind kind, Path file, String fileName, String sha256, boolean commit,
      Caller caller) throws IOException {
    res.status(200);
    res.header(HeaderNames.CONTENT_TYPE, NDJSON);
    try (OutputStream out = res.outputStream()) {
      ImportService.Result result = kind.run(file, fileName, sha256, commit, caller, (phase, rows) -> {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "progress");
        line.put("phase", phase);
        line.put("rows", rows);
        line(out, line);
      });
      Map<String, Object> last = new LinkedHashMap<>();
      switch (result) {
        case ImportService.Result.Refused r -> {
          last.put("type", "problem");
          last.put("status", r.status());
          last.put("code", r.code().name());
          last.put("detail", r.message());
        }
        case ImportService.Result.Checked c -> {
          last.put("type", "report");
          last.put("status", commit && !c.report().committed() ? 422 : 200);
          if (commit && !c.report().committed()) {
            last.put("code", ErrorCode.IMPORT_HAS_ERRORS.name());
          }
          last.put("report", c.report());
        }
      }
      line(out, last);
    }
  }

  private static void line(OutputStream out, Object value) {
    try {
      out.write(Json.bytes(value));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every issue as a CSV file the page offers as a download; cells escaped as every export's are. */
  private static void csv(ServerResponse res, int status, ImportService.Result.Checked c) throws IOException {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
    res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"import-errors.csv\"");
    try (CSVPrinter csv = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(res.outputStream(), StandardCharsets.UTF_8)),
        CSVFormat.RFC4180.builder().setHeader("row", "column", "code", "message", "value").get())) {
      for (ImportReport.Issue i : c.all()) {
        csv.printRecord(i.row(), SafeCsv.cell(i.column()), SafeCsv.cell(i.code()), SafeCsv.cell(i.message()),
            SafeCsv.cell(i.value()));
      }
    }
  }
}
