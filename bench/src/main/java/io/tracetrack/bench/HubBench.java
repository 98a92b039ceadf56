package io.tracetrack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.hub.HubConfig;
import io.tracetrack.hub.Main;
import io.tracetrack.hub.db.HubDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * The hub at production size: {@code parents × 30} children (1.8 M bags at 60,000 parents) loaded
 * into a real PostgreSQL (embedded binaries, fsync on) with COPY, then bag lookup, stats and search
 * driven by wrk at 200 connections beside a trivial endpoint of the same server ({@code
 * /health/live}) measured in the same run, and a 1,000-connection run counting errors.
 */
final class HubBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RESULT = Pattern.compile(
      "RESULT requests=(\\d+) rps=([0-9.]+) p50us=([0-9.]+) p99us=([0-9.]+) errors=(\\d+) non2xx=(\\d+)");

  private final Path workDir;
  private final int parents;
  private final int seconds;

  HubBench(Path workDir, int parents, int seconds) {
    this.workDir = workDir;
    this.parents = parents;
    this.seconds = seconds;
  }

  String run() throws Exception {
    if (!WrkScanLoad.wrkAvailable()) {
      throw new IllegalStateException("the hub benchmark needs wrk (apt-get install wrk)");
    }
    Files.createDirectories(workDir);
    try (EmbeddedPostgres pg = BenchPostgres.start(workDir, 300)) {
      String url = BenchPostgres.createDatabase(pg, "hubbench");
      HubConfig config = HubConfig.parse(new String[] {"--port", "0", "--bind", "127.0.0.1", "--data",
          workDir.resolve("hub").toString(), "--pool-size", "40"}, Map.of("HUB_ADMIN_PASSWORD", "Bench-Passw0rd!"));
      HubDatabase db = HubDatabase.postgres(url, "postgres", "postgres", config.poolSize());
      double loadSeconds = load(db, parents);
      long bags = ((Number) db.dsl().fetchValue("select count(*) from bag")).longValue();
      try (Main.Hub hub = Main.Hub.start(config, db, Clock.systemUTC())) {
        String token = token(hub.server().port());
        int port = hub.server().port();
        List<String> rows = new ArrayList<>();
        warm(port, token);
        Result trivial = wrk("trivial endpoint `GET /health/live` (same server)", port, token, "/health/live", 200, null);
        Result lookup = wrk("bag lookup `GET /api/v1/bags/{code}`", port, token, null, 200, "lookup");
        Result stats = wrk("stats `GET /api/v1/stats`", port, token, "/api/v1/stats", 200, null);
        Result search = wrk("search `GET /api/v1/search?q=<prefix>`", port, token, null, 200, "search");
        Result thousand = wrk("bag lookup at 1,000 connections", port, token, null, 1000, "lookup");
        // the same requests with few connections: their own service time, without the queueing
        // that 200 connections on two cores add to every request, the trivial one included
        Result trivial8 = wrk("trivial endpoint, 8 connections", port, token, "/health/live", 8, null);
        Result lookup8 = wrk("bag lookup, 8 connections", port, token, null, 8, "lookup");
        Result stats8 = wrk("stats, 8 connections", port, token, "/api/v1/stats", 8, null);
        Result search8 = wrk("search, 8 connections", port, token, null, 8, "search");
        for (Result r : List.of(trivial, lookup, stats, search, thousand, trivial8, lookup8, stats8, search8)) {
          rows.add(r.row(trivial));
        }
        StringBuilder md = new StringBuilder("## Hub at 1.8 M bags (issue #3)\n\n");
        md.append("Command: `./tracetrack bench hub`  \n");
        md.append("Run: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)))
            .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ").append(Runtime.version())
            .append(", PostgreSQL 18 (embedded binaries, fsync on) and the hub and wrk all on this machine\n\n");
        md.append(String.format(Locale.ROOT, "Loaded %,d bags (%,d parents × 30 children) with COPY in %.1f s (%,.0f rows/s).%n%n",
            bags, parents, loadSeconds, bags / loadSeconds));
        md.append("wrk, ").append(seconds).append(" s per row, 2 threads; every request authenticated with a bearer token; "
            + "lookups and searches pick random codes. Ratio = throughput ÷ the trivial endpoint's.\n\n");
        md.append("| what | connections | requests | req/s | p50 ms | p99 ms | errors | ratio to trivial |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append('\n');
        md.append(target("lookup p99 ≤ 10 ms at 200 connections", lookup.p99Millis <= 10, lookup.p99Millis));
        md.append(target("stats p99 ≤ 5 ms at 200 connections", stats.p99Millis <= 5, stats.p99Millis));
        md.append(target("search p99 ≤ 50 ms at 200 connections", search.p99Millis <= 50, search.p99Millis));
        md.append(String.format(Locale.ROOT, "- For scale: the trivial endpoint's own p99 at 200 connections is %.2f ms; at 8 connections "
            + "lookup p99 is %.2f ms, stats %.2f ms, search %.2f ms.%n", trivial.p99Millis, lookup8.p99Millis, stats8.p99Millis,
            search8.p99Millis));
        md.append(String.format(Locale.ROOT, "- Target zero errors at 1,000 connections: %d errors, %d non-2xx — %s%n",
            thousand.errors, thousand.non2xx, thousand.errors + thousand.non2xx == 0 ? "met" : "NOT met"));
        return md.toString();
      }
    }
  }

  private static String target(String what, boolean met, double value) {
    return String.format(Locale.ROOT, "- Target %s: %.2f ms — %s%n", what, value, met ? "met" : "NOT met");
  }

  /** COPY parents, then children, generated as CSV on the fly (nothing buffered); ExportBench loads with it too. */
  static double load(HubDatabase db, int parents) throws Exception {
    long start = System.nanoTime();
    try (Connection c = db.pool().getConnection()) {
      PGConnection pg = c.unwrap(PGConnection.class);
      String columns = "(code, role, expected_count, limit_count, child_count, parent_code, area_id, created_by, created_at)";
      pg.getCopyAPI().copyIn("COPY bag " + columns + " FROM STDIN (FORMAT csv)", new Generator(parents, true));
      pg.getCopyAPI().copyIn("COPY bag " + columns + " FROM STDIN (FORMAT csv)", new Generator(parents, false));
      try (Statement s = c.createStatement()) {
        // the counters the dashboard reads, as the writes would have kept them
        s.execute("insert into stat_counter (name, area, dock, shard, val) values ('parents', '', '', 0, " + parents + "),"
            + " ('children', '', '', 0, " + parents * 30L + "), ('links', '', '', 0, " + parents * 30L + ")");
        s.execute("analyze bag");
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Streams CSV rows: parents P<n>-30, or children C<n> linked 30 to a parent. */
  static final class Generator extends Reader {
    private final int parents;
    private final boolean parentRows;
    private long next;
    private final long total;
    private final StringBuilder buffer = new StringBuilder();
    private int position;

    Generator(int parents, boolean parentRows) {
      this.parents = parents;
      this.parentRows = parentRows;
      this.total = parentRows ? parents : parents * 30L;
    }

    @Override
    public int read(char[] out, int offset, int length) {
      if (position >= buffer.length()) {
        buffer.setLength(0);
        position = 0;
        for (int i = 0; i < 1000 && next < total; i++, next++) {
          if (parentRows) {
            buffer.append("P").append(next).append("-30,PARENT,30,30,30,,,bench,2026-11-01T00:00:00Z\n");
          } else {
            buffer.append("C").append(next).append(",CHILD,,0,0,P").append(next / 30).append("-30,,bench,2026-11-01T00:00:00Z\n");
          }
        }
        if (buffer.isEmpty()) {
          return -1;
        }
      }
      int n = Math.min(length, buffer.length() - position);
      buffer.getChars(position, position + n, out, offset);
      position += n;
      return n;
    }

    @Override
    public void close() {}
  }

  static String token(int port) throws Exception {
    HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/token"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"Bench-Passw0rd!\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(res.body()).get("access_token").asText();
  }

  private void warm(int port, String token) throws Exception {
    wrkRaw(port, token, null, 50, "lookup", 3);
    wrkRaw(port, token, "/api/v1/stats", 50, null, 2);
    wrkRaw(port, token, null, 50, "search", 2);
  }

  record Result(String label, int connections, long requests, double perSecond, double p50Millis, double p99Millis,
      long errors, long non2xx) {
    String row(Result trivial) {
      return String.format(Locale.ROOT, "| %s | %,d | %,d | %,.0f | %.2f | %.2f | %d | %.2f× |", label, connections, requests,
          perSecond, p50Millis, p99Millis, errors + non2xx, perSecond / trivial.perSecond);
    }
  }

  private Result wrk(String label, int port, String token, String path, int connections, String mode) throws Exception {
    Matcher m = wrkRaw(port, token, path, connections, mode, seconds);
    return new Result(label, connections, Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
        Double.parseDouble(m.group(3)) / 1000, Double.parseDouble(m.group(4)) / 1000, Long.parseLong(m.group(5)),
        Long.parseLong(m.group(6)));
  }

  private Matcher wrkRaw(int port, String token, String path, int connections, String mode, int duration) throws Exception {
    String requestFn = switch (mode == null ? "fixed" : mode) {
      case "lookup" -> "function request() return wrk.format(nil, \"/api/v1/bags/C\" .. math.random(0, " + (parents * 30L - 1) + ")) end\n";
      case "search" -> "function request() return wrk.format(nil, \"/api/v1/search?limit=50&q=P\" .. math.random(1, " + Math.max(1, parents / 100) + ")) end\n";
      default -> "";
    };
    String script = "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n"
        + "math.randomseed(os.time())\n" + requestFn
        + "non2xx = 0\n"
        + "function response(status, headers, body) if status >= 300 then non2xx = non2xx + 1 end end\n"
        + "threads = {}\n"
        + "function setup(thread) table.insert(threads, thread) end\n"
        + "function done(summary, latency, requests)\n"
        + "  local n = 0\n"
        + "  for _, t in ipairs(threads) do n = n + t:get(\"non2xx\") end\n"
        + "  local e = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout\n"
        + "  io.write(string.format(\"RESULT requests=%d rps=%.1f p50us=%.1f p99us=%.1f errors=%d non2xx=%d\\n\",\n"
        + "    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99), e, n))\n"
        + "end\n";
    Path file = Files.createTempFile(workDir, "hub", ".lua");
    Files.writeString(file, script);
    Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + duration + "s", "--timeout", "10s", "-s", file.toString(),
        "http://127.0.0.1:" + port + (path == null ? "/" : path))
        .redirectErrorStream(true).start();
    String out = new String(wrk.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!wrk.waitFor(duration + 60L, TimeUnit.SECONDS)) {
      wrk.destroyForcibly();
      throw new IllegalStateException("wrk hung");
    }
    Matcher m = RESULT.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no result from wrk:\n" + out);
    }
    return m;
  }
}
