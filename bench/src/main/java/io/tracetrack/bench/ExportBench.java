package io.tracetrack.bench;

import io.tracetrack.hub.db.HubDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.postgresql.PGConnection;

/**
 * Export of every bag (1.8 M at 60,000 parents) as CSV and XLSX from a hub running as its own
 * process with a fixed heap ({@code -Xmx512m}) over a real PostgreSQL (embedded binaries, fsync on):
 * rows/s of each download beside PostgreSQL's own {@code COPY ... TO STDOUT} of the same rows (the
 * ceiling, measured in the same run), and the hub's heap from its GC log: the most it held before a
 * collection and the most that survived one (the live set, which is what stays constant).
 */
final class ExportBench {

  static final String ADMIN_PASSWORD = "Bench-Passw0rd!";
  private static final String HEAP = "512m";
  private static final long XLSX_SHEET_ROWS = 1_048_576;
  /** G1's log line of a collection: "... Pause Young (Normal) (G1 Evacuation Pause) 150M->20M(512M) 3.2ms". */
  private static final Pattern GC = Pattern.compile("Pause.* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private final Path workDir;
  private final int parents;
  private final int csvRuns;
  private final int xlsxRuns;

  ExportBench(Path workDir, int parents, int csvRuns, int xlsxRuns) {
    this.workDir = workDir;
    this.parents = parents;
    this.csvRuns = csvRuns;
    this.xlsxRuns = xlsxRuns;
  }

  /** One download: how long, how many bytes and data rows. */
  record Download(String format, double seconds, double firstByteSeconds, long bytes, long rows) {
    double rowsPerSecond() {
      return rows / seconds;
    }
  }

  String run() throws Exception {
    Files.createDirectories(workDir);
    try (EmbeddedPostgres pg = BenchPostgres.start(workDir, 100)) {
      String url = BenchPostgres.createDatabase(pg, "exportbench");
      double loadSeconds;
      long bags;
      double copyOutSeconds;
      try (HubDatabase db = HubDatabase.postgres(url, "postgres", "postgres", 4)) {
        loadSeconds = HubBench.load(db, parents);
        bags = ((Number) db.dsl().fetchValue("select count(*) from bag")).longValue();
        copyOutSeconds = copyOut(db);
        copyOutSeconds = Math.min(copyOutSeconds, copyOut(db));
      }
      int port = freePort();
      Path gcLog = workDir.resolve("hub-gc.log");
      Process hub = startHub(workDir, url, port, "-Xmx" + HEAP, "-Xlog:gc:file=" + gcLog);
      try {
        awaitReady(workDir, port, hub);
        String token = HubBench.token(port);
        List<Download> csv = new ArrayList<>();
        List<Download> xlsx = new ArrayList<>();
        // a small one first: class loading and JIT warm-up out of the measured runs
        download(port, token, "/api/v1/exports/bills.csv", false);
        for (int i = 0; i < csvRuns; i++) {
          csv.add(download(port, token, "/api/v1/exports/bags.csv", false));
        }
        for (int i = 0; i < xlsxRuns; i++) {
          xlsx.add(download(port, token, "/api/v1/exports/bags.xlsx", true));
        }
        Heap heap = heap(gcLog);
        return report(bags, loadSeconds, copyOutSeconds, csv, xlsx, heap);
      } finally {
        hub.destroy();
        if (!hub.waitFor(30, TimeUnit.SECONDS)) {
          hub.destroyForcibly();
        }
      }
    }
  }

  /** PostgreSQL's own streaming of the same rows, in the same order, into nothing: the ceiling. */
  private static double copyOut(HubDatabase db) throws Exception {
    long start = System.nanoTime();
    try (Connection c = db.pool().getConnection()) {
      c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (select * from bag order by code) TO STDOUT (FORMAT csv)",
          OutputStream.nullOutputStream());
    }
    return (System.nanoTime() - start) / 1e9;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * The hub as its own process on {@code url}, admin password {@link #ADMIN_PASSWORD}, log in {@code
   * workDir/hub.log}; DashboardBench starts it the same way.
   */
  static Process startHub(Path workDir, String url, int port, String... jvmOptions) throws IOException {
    return startHub(workDir, url, port, Map.of(), jvmOptions);
  }

  /** {@link #startHub(Path, String, int, String...)} with more of the hub's environment ({@code HUB_...}). */
  static Process startHub(Path workDir, String url, int port, Map<String, String> env, String... jvmOptions)
      throws IOException {
    return startHub(workDir, url, port, 8, env, jvmOptions);
  }

  /**
   * {@link #startHub(Path, String, int, Map, String...)} with a pool of {@code poolSize} connections;
   * 0: the hub's own default (its share of what the database's cores call for).
   */
  static Process startHub(Path workDir, String url, int port, int poolSize, Map<String, String> env, String... jvmOptions)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED",
        "-Dorg.jooq.no-logo=true", "-cp", System.getProperty("java.class.path"), "io.tracetrack.hub.Main",
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--data", workDir.resolve("hub").toString(),
        "--db-url", url, "--db-user", "postgres"));
    if (poolSize > 0) {
      cmd.addAll(List.of("--pool-size", Integer.toString(poolSize)));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(workDir.resolve("hub.log").toFile());
    pb.environment().put("HUB_DB_PASSWORD", "postgres");
    pb.environment().put("HUB_ADMIN_PASSWORD", ADMIN_PASSWORD);
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * Waits until the hub started by {@link #startHub} over {@code workDir} serves on {@code port}.
   * Ready means its own log names that port and {@code /health/ready} answers 200: the port was
   * free when it was chosen, and another process (a test's hub beside the bench's) may have taken
   * it since, whose answers would otherwise pass for this hub's.
   */
  static void awaitReady(Path workDir, int port, Process hub) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Path log = workDir.resolve("hub.log");
    String listening = "API: http://127.0.0.1:" + port + "/api/v1";
    for (int i = 0; i < 600; i++) {
      if (!hub.isAlive()) {
        throw new IllegalStateException("the hub process exited with " + hub.exitValue() + " (see " + log + ")");
      }
      try {
        boolean ours = Files.exists(log) && Files.readString(log).contains(listening);
        if (ours && http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the hub did not get ready in 60 s");
  }

  private static Download download(int port, String token, String path, boolean xlsx) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long start = System.nanoTime();
    HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
    if (res.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + res.statusCode());
    }
    long[] counted = new long[2]; // bytes, rows
    double firstByte;
    try (InputStream body = res.body()) {
      CountingStream in = new CountingStream(body);
      int first = in.read();
      firstByte = (System.nanoTime() - start) / 1e9;
      if (first < 0) {
        throw new IllegalStateException(path + " was empty");
      }
      counted[1] = xlsx ? sheetRows(in, first) : csvLines(in, first);
      counted[0] = in.count;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // minus the header row (one per sheet: a sheet holds at most 1,048,576 rows)
    long headers = xlsx ? (counted[1] + XLSX_SHEET_ROWS - 1) / XLSX_SHEET_ROWS : 1;
    return new Download(xlsx ? "XLSX" : "CSV", seconds, firstByte, counted[0], counted[1] - headers);
  }

  private static long csvLines(InputStream in, int first) throws IOException {
    long lines = first == '\n' ? 1 : 0;
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          lines++;
        }
      }
    }
    return lines;
  }

  /** Counts {@code <row } elements in the sheets of the workbook, read as it arrives. */
  private static long sheetRows(InputStream in, int first) throws IOException {
    InputStream whole = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(new byte[] {(byte) first}), in);
    long rows = 0;
    // commons-compress, not java.util.zip: POI writes Zip64 entries with data descriptors, which
    // ZipInputStream refuses while spreadsheet programs (and ZipFile) read them
    try (ZipArchiveInputStream zip = new ZipArchiveInputStream(whole, "UTF-8", true, true)) {
      for (ZipArchiveEntry e; (e = zip.getNextEntry()) != null; ) {
        if (!e.getName().startsWith("xl/worksheets/sheet")) {
          continue;
        }
        byte[] needle = "<row ".getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        byte[] buf = new byte[1 << 16];
        for (int n; (n = zip.read(buf)) > 0; ) {
          for (int i = 0; i < n; i++) {
            matched = buf[i] == needle[matched] ? matched + 1 : (buf[i] == needle[0] ? 1 : 0);
            if (matched == needle.length) {
              rows++;
              matched = 0;
            }
          }
        }
      }
    }
    return rows;
  }

  /** The hub's heap over the run, from its GC log (MB). */
  record Heap(int collections, long mostBeforeGc, long mostAfterGc, long committed) {}

  private static Heap heap(Path gcLog) throws IOException {
    int n = 0;
    long before = 0;
    long after = 0;
    long committed = 0;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = GC.matcher(line);
      if (m.find()) {
        n++;
        before = Math.max(before, Long.parseLong(m.group(1)));
        after = Math.max(after, Long.parseLong(m.group(2)));
        committed = Math.max(committed, Long.parseLong(m.group(3)));
      }
    }
    return new Heap(n, before, after, committed);
  }

  private String report(long bags, double loadSeconds, double copyOutSeconds, List<Download> csv, List<Download> xlsx, Heap heap) {
    StringBuilder md = new StringBuilder("## Export of 1.8 M bags, CSV and XLSX (issue #8)\n\n");
    md.append("Command: `./tracetrack bench export` (`--parents N`, `--csv-runs N`, `--xlsx-runs N`)  \n");
    md.append("Run: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)))
        .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(Runtime.version()).append(", PostgreSQL 18 (embedded binaries, fsync on), the hub as its own process with `-Xmx")
        .append(HEAP).append("`, client on the same machine\n\n");
    md.append(String.format(Locale.ROOT, "Loaded %,d bags with COPY in %.1f s. Ceiling: PostgreSQL's `COPY (select * from bag order by code) "
        + "TO STDOUT` of the same rows into nothing, best of two: %.1f s (%,.0f rows/s).%n%n", bags, loadSeconds, copyOutSeconds,
        bags / copyOutSeconds));
    md.append("`GET /api/v1/exports/bags.{csv,xlsx}` as admin, every row, read to the end by the client (rows counted: CSV lines, "
        + "`<row` elements of the sheet).\n\n");
    md.append("| format | run | rows | bytes | first byte s | total s | rows/s | ratio to COPY |\n|---|---|---|---|---|---|---|---|\n");
    for (List<Download> runs : List.of(csv, xlsx)) {
      for (int i = 0; i < runs.size(); i++) {
        Download d = runs.get(i);
        md.append(String.format(Locale.ROOT, "| %s | %d | %,d | %,d | %.2f | %.1f | %,.0f | %.2f |%n", d.format(), i + 1, d.rows(), d.bytes(),
            d.firstByteSeconds(), d.seconds(), d.rowsPerSecond(), d.rowsPerSecond() / (bags / copyOutSeconds)));
      }
    }
    md.append('\n');
    md.append(String.format(Locale.ROOT, "- CSV median: %,.0f rows/s; XLSX median: %,.0f rows/s.%n", median(csv), median(xlsx)));
    md.append(String.format(Locale.ROOT, "- Hub heap over all runs (G1 log, %d collections): at most %d MB in use before a collection, "
        + "at most %d MB live after one, %d MB committed, of %s allowed. Every row of every run arrived within that heap "
        + "(no row cap).%n", heap.collections(), heap.mostBeforeGc(), heap.mostAfterGc(), heap.committed(),
        HEAP));
    md.append("- XLSX's first byte comes at the end: the sheet goes to a compressed temporary file (SXSSF, 100 rows in memory) "
        + "and the workbook is zipped onto the response once the last row is in.\n");
    return md.toString();
  }

  private static double median(List<Download> runs) {
    List<Double> r = runs.stream().map(Download::rowsPerSecond).sorted().toList();
    if (r.isEmpty()) {
      return 0;
    }
    return r.size() % 2 == 1 ? r.get(r.size() / 2) : (r.get(r.size() / 2 - 1) + r.get(r.size() / 2)) / 2;
  }

  /** Counts the bytes read through it. */
  private static final class CountingStream extends InputStream {
    private final InputStream in;
    long count;

    CountingStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
