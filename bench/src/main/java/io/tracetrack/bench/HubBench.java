package io.tracetrack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.hub.HubConfig;
import io.tracetrack.hub.Main;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.hub.db.PoolSize;
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
import java.time.LocalDate;
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
 * into a real PostgreSQL (embedded binaries, fsync on) with COPY, then at 8, 200 and 1,000
 * connections: bag lookup (uniform random codes, and skewed to the newest bags as a dock's day is),
 * search and stats driven by wrk beside a trivial endpoint of the same server ({@code
 * /health/live}) measured at the same connection count in the same run; and the raw PostgreSQL
 * point-select rate, the limit an uncached lookup can approach.
 */
final class HubBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RESULT = Pattern.compile(
      "RESULT requests=(\\d+) rps=([0-9.]+) p50us=([0-9.]+) p99us=([0-9.]+) errors=(\\d+) non2xx=(\\d+) busy=(\\d+)");

  private final Path workDir;
  private final int parents;
  private final int seconds;

  HubBench(Path workDir, int parents, int seconds) {
    this.workDir = workDir;
    this.parents = parents;
    this.seconds = seconds;
  }

  /** The pool the issue #15 comparison runs beside the default: what the hub used before it was sized from cores. */
  static final int OLD_POOL = 40;

  String run() throws Exception {
    if (!WrkScanLoad.wrkAvailable()) {
      throw new IllegalStateException("the hub benchmark needs wrk (apt-get install wrk)");
    }
    Files.createDirectories(workDir);
    try (EmbeddedPostgres pg = BenchPostgres.start(workDir, 300)) {
      String url = BenchPostgres.createDatabase(pg, "hubbench");
      // the embedded default: PostgreSQL runs on this machine, so its cores are these
      PoolSize pool = PoolSize.choose(java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), null, PoolSize.localCores());
      double loadSeconds;
      long bags;
      Phase sized;
      Phase old;
      int[] levels = {8, 200, 1000};
      try (HubDatabase loader = HubDatabase.postgres(url, "postgres", "postgres", 2)) {
        loadSeconds = load(loader, parents);
        bags = ((Number) loader.dsl().fetchValue("select count(*) from bag")).longValue();
      }
      sized = phase(url, pool.connections(), levels);
      old = phase(url, OLD_POOL, new int[] {200});
      StringBuilder md = new StringBuilder("## Hub at 1.8 M bags (issues #3, #9, #15)\n\n");
      md.append("Command: `./tracetrack bench hub`  \n");
      md.append("Run: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)))
          .append(", ").append(PoolSize.localCores()).append(" cores, Java ").append(Runtime.version())
          .append(", PostgreSQL 18 (embedded binaries, fsync on) and the hub and wrk all on this machine; the hub's default pool: ")
          .append(pool.connections()).append(" connections (").append(pool.reason()).append(") behind the fair admission queue (deadline ")
          .append(sized.queueTimeoutMillis).append(" ms)\n\n");
      md.append(String.format(Locale.ROOT, "Loaded %,d bags (%,d parents × 30 children) with COPY in %.1f s (%,.0f rows/s).%n%n",
          bags, parents, loadSeconds, bags / loadSeconds));
      md.append(String.format(Locale.ROOT, "Raw PostgreSQL point selects (`select * from bag where code = ?`, random codes, no HTTP, "
          + "same run): **%,.0f selects/s** on %d JDBC connections, %,.0f selects/s on %d — the limit an uncached lookup can approach.%n%n",
          sized.rawRate, sized.pool, old.rawRate, old.pool));
      md.append("wrk, ").append(seconds).append(" s per row, 2 threads; every request authenticated with a bearer token; "
          + "uniform lookups pick any child code, skewed ones pick 80 % of the time among the 5 % most recently scanned "
          + "(the highest-numbered children), searches a random prefix. Ratio = throughput ÷ the trivial endpoint's at the "
          + "same connection count. Errors = socket errors + non-2xx; 503 = of those, DATABASE_BUSY refusals.\n\n");
      md.append("At the default pool (").append(sized.pool).append(" connections):\n\n");
      table(md, sized, levels);
      md.append("The same hub on a pool of ").append(old.pool).append(" (the size it used before), 200 connections, same run:\n\n");
      table(md, old, new int[] {200});
      Map<String, Result> r200 = sized.at.get(200);
      Map<String, Result> o200 = old.at.get(200);
      for (String kind : List.of("uniform", "skewed")) {
        Result lookup = r200.get(kind);
        md.append(ratio("lookup (" + kind + ") p99 ≤ 3× its own p50 at 200 connections (a fair queue, no stragglers)",
            lookup.p99Millis, lookup.p50Millis, 3, "ms"));
      }
      Result uniform = r200.get("uniform");
      md.append(String.format(Locale.ROOT, "- Target uniform lookup ≥ 0.25× the raw point-select rate at 200 connections: %,.0f ÷ "
          + "%,.0f = %.2f× — %s%n", uniform.perSecond, sized.rawRate, uniform.perSecond / sized.rawRate,
          uniform.perSecond >= 0.25 * sized.rawRate ? "met" : "NOT met"));
      md.append(ratio("search p99 ≤ 5× trivial p99 at 200 connections", r200.get("search").p99Millis, r200.get("trivial").p99Millis, 5,
          "ms"));
      long errors1000 = sized.at.get(1000).values().stream().mapToLong(x -> x.errors + x.non2xx - x.busy).sum();
      long busy1000 = sized.at.get(1000).values().stream().mapToLong(x -> x.busy).sum();
      md.append(String.format(Locale.ROOT, "- Target zero errors at 1,000 connections (every row): %d errors other than 503, %d × 503 "
          + "(the admission queue counted %d refusals at its deadline over the whole run) — %s%n", errors1000, busy1000,
          sized.gateTimeouts, errors1000 == 0 && busy1000 <= sized.gateTimeouts ? "met" : "NOT met"));
      for (String kind : List.of("uniform", "skewed", "search")) {
        Result a = r200.get(kind);
        Result b = o200.get(kind);
        md.append(String.format(Locale.ROOT, "- Pool %d vs %d at 200 connections, %s: p99 %.1f vs %.1f ms, %,.0f vs %,.0f req/s%n",
            sized.pool, old.pool, kind, a.p99Millis, b.p99Millis, a.perSecond, b.perSecond));
      }
      return md.toString();
    }
  }

  /** One hub on a pool of {@code pool} connections: its raw point-select rate and the rows at each connection count. */
  private record Phase(int pool, double rawRate, Map<Integer, Map<String, Result>> at, long gateTimeouts, long queueTimeoutMillis) {}

  private Phase phase(String url, int pool, int[] levels) throws Exception {
    HubConfig config = HubConfig.parse(new String[] {"--port", "0", "--bind", "127.0.0.1", "--data",
        workDir.resolve("hub").toString(), "--pool-size", String.valueOf(pool)}, Map.of("HUB_ADMIN_PASSWORD", "Bench-Passw0rd!"));
    try (HubDatabase db = HubDatabase.postgres(url, "postgres", "postgres", pool);
        Main.Hub hub = Main.Hub.start(config, db, Clock.systemUTC())) {
      String token = token(hub.server().port());
      int port = hub.server().port();
      warm(port, token);
      double rawRate = rawPointSelects(db, pool);
      Map<Integer, Map<String, Result>> at = new java.util.LinkedHashMap<>();
      for (int connections : levels) {
        Map<String, Result> r = new java.util.LinkedHashMap<>();
        r.put("trivial", wrk("trivial endpoint `GET /health/live` (same server)", port, token, "/health/live", connections, null));
        r.put("uniform", wrk("bag lookup, uniform random codes", port, token, null, connections, "lookup"));
        r.put("skewed", wrk("bag lookup, skewed (80 % on the newest 5 %)", port, token, null, connections, "skewed"));
        r.put("search", wrk("search `GET /api/v1/search?q=<prefix>`", port, token, null, connections, "search"));
        if (levels.length > 1) {
          r.put("stats", wrk("stats `GET /api/v1/stats`", port, token, "/api/v1/stats", connections, null));
        }
        at.put(connections, r);
      }
      return new Phase(pool, rawRate, at, db.gate().timeouts(), config.dbQueueTimeout().toMillis());
    }
  }

  private static void table(StringBuilder md, Phase phase, int[] levels) {
    md.append("| what | connections | requests | req/s | p50 ms | p99 ms | errors | 503 | ratio to trivial |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (int connections : levels) {
      Map<String, Result> r = phase.at.get(connections);
      r.values().forEach(x -> md.append(x.row(r.get("trivial"))).append('\n'));
    }
    md.append('\n');
  }

  private static String ratio(String what, double value, double base, double limit, String unit) {
    return String.format(Locale.ROOT, "- Target %s: %.2f %s vs %.2f %s = %.2f× — %s%n", what, value, unit, base, unit,
        value / base, value <= limit * base ? "met" : "NOT met");
  }

  /** Primary-key selects of random child codes on {@code threads} raw connections for the run's seconds; selects/s. */
  private double rawPointSelects(HubDatabase db, int threads) throws Exception {
    long total = parents * 30L;
    java.util.concurrent.atomic.LongAdder done = new java.util.concurrent.atomic.LongAdder();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> workers = new ArrayList<>();
    java.util.concurrent.ConcurrentLinkedQueue<Exception> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      workers.add(Thread.ofPlatform().start(() -> {
        // straight from the pool: this measures PostgreSQL and JDBC, not the hub's admission queue
        try (Connection c = db.pool().getConnection();
            java.sql.PreparedStatement ps = c.prepareStatement("select * from bag where code = ?")) {
          java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
          while (System.nanoTime() < end) {
            ps.setString(1, "C" + random.nextLong(total));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
              rs.next();
            }
            done.increment();
          }
        } catch (Exception e) {
          failures.add(e);
        }
      }));
    }
    for (Thread w : workers) {
      w.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("raw point selects failed", failures.peek());
    }
    return done.sum() / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * COPY parents, then children, generated as CSV on the fly (nothing buffered), created over the 14
   * days ending today (UTC) so the dashboard's chart has them; then the counters the dashboard reads,
   * as the writes would have kept them. ExportBench and DashboardBench load with it too.
   */
  static double load(HubDatabase db, int parents) throws Exception {
    LocalDate today = LocalDate.now(Clock.systemUTC());
    long start = System.nanoTime();
    try (Connection c = db.pool().getConnection()) {
      PGConnection pg = c.unwrap(PGConnection.class);
      String columns = "(code, role, expected_count, limit_count, child_count, parent_code, area_id, created_by, created_at)";
      pg.getCopyAPI().copyIn("COPY bag " + columns + " FROM STDIN (FORMAT csv)", new Generator(parents, true, today));
      pg.getCopyAPI().copyIn("COPY bag " + columns + " FROM STDIN (FORMAT csv)", new Generator(parents, false, today));
      try (Statement s = c.createStatement()) {
        s.execute("insert into stat_counter (name, area, dock, shard, val) values ('parents', '', '', 0, " + parents + "),"
            + " ('children', '', '', 0, " + parents * 30L + "), ('links', '', '', 0, " + parents * 30L + ")");
        // every link is a scan on the day it was made (BagStore adds to 'scans' of that day with each link)
        s.execute("insert into stat_daily (stat_day, name, area, dock, shard, val) select (created_at at time zone 'UTC')::date,"
            + " 'scans', '', '', 0, count(*) from bag where parent_code is not null group by 1");
        s.execute("analyze bag");
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Streams CSV rows: parents P<n>-30, or children C<n> linked 30 to a parent. Given a last day, the
   * bags are created over the 14 days ending on it, the highest codes last (a parent on its first
   * child's day); otherwise all on 2026-11-01.
   */
  static final class Generator extends Reader {
    private static final int DAYS = 14;
    private final int parents;
    private final boolean parentRows;
    private final LocalDate lastDay;
    private long next;
    private final long total;
    private final StringBuilder buffer = new StringBuilder();
    private int position;

    Generator(int parents, boolean parentRows) {
      this(parents, parentRows, null);
    }

    Generator(int parents, boolean parentRows, LocalDate lastDay) {
      this.parents = parents;
      this.parentRows = parentRows;
      this.lastDay = lastDay;
      this.total = parentRows ? parents : parents * 30L;
    }

    private String createdAt(long child) {
      if (lastDay == null) {
        return "2026-11-01T00:00:00Z";
      }
      long day = child * DAYS / (parents * 30L);
      return lastDay.minusDays(DAYS - 1 - day) + "T08:00:00Z";
    }

    @Override
    public int read(char[] out, int offset, int length) {
      if (position >= buffer.length()) {
        buffer.setLength(0);
        position = 0;
        for (int i = 0; i < 1000 && next < total; i++, next++) {
          if (parentRows) {
            buffer.append("P").append(next).append("-30,PARENT,30,30,30,,,bench,").append(createdAt(next * 30)).append('\n');
          } else {
            buffer.append("C").append(next).append(",CHILD,,0,0,P").append(next / 30).append("-30,,bench,").append(createdAt(next))
                .append('\n');
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
    wrkRaw(port, token, null, 50, "skewed", 2);
    // A dock's day: its recent bags are read again and again, so the skewed rows measure the steady
    // state, with the newest 5 % read once before (each thread walks the range from its own start).
    // Without this a 10 s row is mostly first reads of ~93,000 bags: a cold cache, not the mix.
    wrkRaw(port, token, null, 50, "hot", 25);
  }

  record Result(String label, int connections, long requests, double perSecond, double p50Millis, double p99Millis,
      long errors, long non2xx, long busy) {
    String row(Result trivial) {
      return String.format(Locale.ROOT, "| %s | %,d | %,d | %,.0f | %.2f | %.2f | %d | %d | %.2f× |", label, connections, requests,
          perSecond, p50Millis, p99Millis, errors + non2xx, busy, perSecond / trivial.perSecond);
    }
  }

  private Result wrk(String label, int port, String token, String path, int connections, String mode) throws Exception {
    Matcher m = wrkRaw(port, token, path, connections, mode, seconds);
    return new Result(label, connections, Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
        Double.parseDouble(m.group(3)) / 1000, Double.parseDouble(m.group(4)) / 1000, Long.parseLong(m.group(5)),
        Long.parseLong(m.group(6)), Long.parseLong(m.group(7)));
  }

  private Matcher wrkRaw(int port, String token, String path, int connections, String mode, int duration) throws Exception {
    String requestFn = switch (mode == null ? "fixed" : mode) {
      case "lookup" -> "function request() return wrk.format(nil, \"/api/v1/bags/C\" .. math.random(0, " + (parents * 30L - 1) + ")) end\n";
      // the newest 5 % of children (the highest codes) take 80 % of the lookups: a dock's day
      case "skewed" -> "function request() local n = " + (parents * 30L) + "; local c; if math.random() < 0.8 then"
          + " c = math.random(math.floor(n * 0.95), n - 1) else c = math.random(0, n - 1) end;"
          + " return wrk.format(nil, \"/api/v1/bags/C\" .. c) end\n";
      case "hot" -> "local hot_lo = " + (parents * 30L - parents * 30L / 20) + "; local hot_n = " + (parents * 30L / 20) + ";"
          // each thread's own start: its Lua state's first table lives at another address
          + " local i = tonumber(tostring({}):match(\"0x(%x+)\"), 16) % hot_n\n"
          + "function request() i = (i + 1) % hot_n; return wrk.format(nil, \"/api/v1/bags/C\" .. (hot_lo + i)) end\n";
      case "search" -> "function request() return wrk.format(nil, \"/api/v1/search?limit=50&q=P\" .. math.random(1, " + Math.max(1, parents / 100) + ")) end\n";
      default -> "";
    };
    String script = "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n"
        + "math.randomseed(os.time())\n" + requestFn
        + "non2xx = 0\nbusy = 0\n"
        + "function response(status, headers, body) if status >= 300 then non2xx = non2xx + 1 end"
        + " if status == 503 then busy = busy + 1 end end\n"
        + "threads = {}\n"
        + "function setup(thread) table.insert(threads, thread) end\n"
        + "function done(summary, latency, requests)\n"
        + "  local n = 0\n"
        + "  local b = 0\n"
        + "  for _, t in ipairs(threads) do n = n + t:get(\"non2xx\"); b = b + t:get(\"busy\") end\n"
        + "  local e = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout\n"
        + "  io.write(string.format(\"RESULT requests=%d rps=%.1f p50us=%.1f p99us=%.1f errors=%d non2xx=%d busy=%d\\n\",\n"
        + "    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99), e, n, b))\n"
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
