package io.tracetrack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.Hlc;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.WireCodec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * {@code ./tracetrack bench fleet --docks N [--hubs 1|2] [--seconds S] [--scan-every-ms M]
 * [--warmup-seconds W]}: a fleet
 * of N docks on one or two hub processes over one PostgreSQL (fsync on). Each dock is a pair of
 * virtual threads in this process speaking the real protocol over real HTTP with its own enrolled
 * device credential: one scans (pushes one op, a new parent or a link to it) every M ms, the other
 * long-polls the change log and keeps the replica a dock keeps (every bag of its area, and where
 * each child is). Every scan must reach every dock. Reported: push p50/p99, commit → every other
 * dock p50/p99 (from the push being sent, so an upper bound), the hubs' CPU and heap, the
 * database's connections, errors, and whether every dock's replica ended equal to the hub's.
 *
 * <p>The fleet scans for W seconds (default 60) before the S measured ones, as a JMH run warms up:
 * the hub's push and poll code is compiled by the JIT under the fleet's load then. On two shared
 * cores the first 10-15 s were the worst (push p99 700+ ms in the first five seconds), but the
 * compilers kept going long after: measured from {@code /proc}, two hubs' C1 and C2 threads took
 * 0.30 cores of their 0.79 in the 30 s after a 15 s warm-up, 0.09 of 0.69 after 60 s and 0.05 of
 * 0.68 after 120 s. A hub in service for days no longer pays that, so the default leaves the bulk
 * of it out; each run reports what was still compiling ({@link #compilerTicks}), and what the
 * warm-up's pushes took, beside the figures, not hidden.
 */
final class FleetBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final WireCodec WIRE = new WireCodec();
  private static final String AREA = "FLEET";
  /**
   * The database's connections: the hubs size their pools themselves, as in service (no {@code
   * --pool-size}): the database's cores × 2 + 1, each hub its share ({@code HubInstances}). PostgreSQL
   * runs a backend per connection on the same two cores however many hubs hold them. Two hubs of 8
   * each (16 backends) had a push p50 of 47.8 ms and a p99 of 196.8 ms; of 4 each, 26.0 and 148.6
   * ms, the two runs back to back (2026-12-07).
   */
  private static final int BUDGET = io.tracetrack.hub.db.PoolSize.forCores(io.tracetrack.hub.db.PoolSize.localCores());
  private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.eE+]+)$", Pattern.MULTILINE);

  private final Path workDir;
  private final int docks;
  private final int hubs;
  private final int seconds;
  private final int scanEveryMs;
  private final int warmupSeconds;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();

  /** When each op was sent, by its origin ({@code edge:ID:SEQ}): what a receiving dock measures from. */
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  /** Every bag code the docks have heard, numbered once for the whole fleet (see {@link Replica}). */
  private final Map<String, Integer> codeIds = new ConcurrentHashMap<>();
  private final AtomicInteger nextCodeId = new AtomicInteger();
  private final ConcurrentLinkedQueue<Long> pushNanos = new ConcurrentLinkedQueue<>();
  /** Pushes sent during the warm-up: reported apart. */
  private final ConcurrentLinkedQueue<Long> warmupPushNanos = new ConcurrentLinkedQueue<>();
  /**
   * When the measured window began ({@code System.nanoTime}); until then (the warm-up) Long.MAX_VALUE.
   * A push or delivery counts when its op was sent at or after it.
   */
  private volatile long measureFrom = Long.MAX_VALUE;
  /**
   * Every delivery (a scan in another dock's replica), in microseconds: millions of them, so a
   * histogram (3 significant digits) rather than a list the bench's own collector would chew on.
   */
  private final ConcurrentHistogram deliveryMicros = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
  private final AtomicInteger errors = new AtomicInteger();
  private final List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
  /** Change polls answered 200 while the fleet scanned: what the linger keeps down. */
  private final AtomicLong polls = new AtomicLong();
  private volatile boolean counting;

  FleetBench(Path workDir, int docks, int hubs, int seconds, int scanEveryMs, int warmupSeconds) {
    if (docks < 2 || hubs < 1 || hubs > 2 || seconds < 1 || scanEveryMs < 1 || warmupSeconds < 0) {
      throw new IllegalArgumentException(
          "fleet needs --docks 2.., --hubs 1 or 2, --seconds 1.., --scan-every-ms 1.., --warmup-seconds 0..");
    }
    this.warmupSeconds = warmupSeconds;
    this.workDir = workDir;
    this.docks = docks;
    this.hubs = hubs;
    this.seconds = seconds;
    this.scanEveryMs = scanEveryMs;
  }

  String run() throws Exception {
    try (EmbeddedPostgres pg = BenchPostgres.start(workDir, 200)) {
      String url = BenchPostgres.createDatabase(pg, "fleet");
      byte[] key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      // the docks reach the hubs through a proxy (this process) that names each dock's own address:
      // 1,000 enrolments from one address would be a guessing attack to the enrolment budget
      Map<String, String> env = Map.of("HUB_JWT_SECRET", Base64.getEncoder().encodeToString(key),
          "HUB_TRUSTED_PROXIES", "127.0.0.1");
      List<Process> processes = new ArrayList<>();
      List<Integer> ports = new ArrayList<>();
      try {
        for (int h = 0; h < hubs; h++) {
          int port = ExportBench.freePort();
          Path dir = workDir.resolve("hub-" + h);
          java.nio.file.Files.createDirectories(dir);
          processes.add(ExportBench.startHub(dir, url, port, 0, env, "-Xmx1g"));
          ports.add(port);
        }
        for (int h = 0; h < hubs; h++) {
          ExportBench.awaitReady(workDir.resolve("hub-" + h), ports.get(h), processes.get(h));
        }
        return measure(pg, ports, processes);
      } finally {
        for (Process p : processes) {
          p.destroy();
          p.waitFor();
        }
      }
    }
  }

  private String measure(EmbeddedPostgres pg, List<Integer> ports, List<Process> processes) throws Exception {
    int first = ports.getFirst();
    String admin = token(first, "admin", ExportBench.ADMIN_PASSWORD);
    ok(send(first, admin, "POST", "/api/v1/areas", "{\"id\":\"" + AREA + "\",\"name\":\"Fleet\"}"));
    ok(send(first, admin, "POST", "/api/v1/users", "{\"username\":\"fleet\",\"role\":\"DISPATCHER\",\"area\":\"" + AREA
        + "\",\"password\":\"" + ExportBench.ADMIN_PASSWORD + "\"}"));
    // docks are registered by an admin; an area holds at most so many dispatchers, not docks
    List<Dock> fleet = new ArrayList<>();
    long enrolFrom = System.nanoTime();
    for (int d = 0; d < docks; d++) {
      fleet.add(enrol(ports.get(d % ports.size()), admin, d));
    }
    double enrolSeconds = (System.nanoTime() - enrolFrom) / 1e9;
    System.err.printf(Locale.ROOT, "fleet: %d docks enrolled in %.1f s%n", docks, enrolSeconds);

    AtomicBoolean scanning = new AtomicBoolean(true);
    AtomicBoolean polling = new AtomicBoolean(true);
    List<Thread> threads = new ArrayList<>();
    for (Dock d : fleet) {
      threads.add(Thread.ofVirtual().start(() -> d.poll(polling)));
    }
    // the whole fleet connecting at once (as after a hub restart) is measured by itself: scanning
    // starts once every dock's first poll was answered, so the figures below are the steady state
    long connectFrom = System.nanoTime();
    long connectUntil = connectFrom + Duration.ofSeconds(120).toNanos();
    while (fleet.stream().anyMatch(d -> d.answered.get() == 0) && System.nanoTime() < connectUntil) {
      Thread.sleep(50);
    }
    double connectSeconds = (System.nanoTime() - connectFrom) / 1e9;
    long connected = fleet.stream().filter(d -> d.answered.get() > 0).count();
    for (Dock d : fleet) {
      threads.add(Thread.ofVirtual().start(() -> d.scan(scanning)));
    }
    Thread.sleep(Duration.ofSeconds(warmupSeconds));
    double[] pushBefore = hubTimer(ports, "http_server_requests", "route=\"/api/v1/sync/push\"");
    double[] waitBefore = hubTimer(ports, "hub_db_queue_wait", "");
    long[] cpuBefore = processes.stream().mapToLong(FleetBench::cpuNanos).toArray();
    long jitBefore = processes.stream().mapToLong(FleetBench::compilerTicks).sum();
    long fleetCpuBefore = cpuNanos(ProcessHandle.current());
    Map<Long, Long> pgCpuBefore = postgresCpu();
    long from = System.nanoTime();
    measureFrom = from;
    counting = true;
    int maxConnections = 0;
    double maxHeap = 0;
    int samples = 0;
    while (System.nanoTime() - from < Duration.ofSeconds(seconds).toNanos()) {
      Thread.sleep(1000);
      maxConnections = Math.max(maxConnections, connections(pg));
      if (++samples % 5 == 1) {
        // a scrape of /metrics formats every meter: once a second it was 6 % of a hub's CPU here
        // (Prometheus scrapes every 15-60 s)
        for (int port : ports) {
          maxHeap = Math.max(maxHeap, heap(port));
        }
      }
    }
    scanning.set(false);
    long scanWall = System.nanoTime() - from;
    counting = false;
    double[] hubPush = hubTimer(ports, "http_server_requests", "route=\"/api/v1/sync/push\"");
    double[] dbWait = hubTimer(ports, "hub_db_queue_wait", "");
    long[] cpuAfter = processes.stream().mapToLong(FleetBench::cpuNanos).toArray();
    long jitAfter = processes.stream().mapToLong(FleetBench::compilerTicks).sum();
    double fleetCores = (cpuNanos(ProcessHandle.current()) - fleetCpuBefore) / (double) scanWall;
    double pgCores = 0;
    for (Map.Entry<Long, Long> e : postgresCpu().entrySet()) {
      pgCores += (e.getValue() - pgCpuBefore.getOrDefault(e.getKey(), 0L)) / (double) scanWall;
    }
    // every dock must have every scan: wait for the stragglers, then stop the polls
    long head = head(pg);
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (fleet.stream().anyMatch(d -> d.cursor.get() < head) && System.nanoTime() < until) {
      Thread.sleep(200);
    }
    polling.set(false);
    int[] hub = Replica.of(hubBags(pg), this::codeId);
    int converged = 0;
    for (Dock d : fleet) {
      converged += d.replica.holds(hub) ? 1 : 0;
    }

    Samples push = samples(pushNanos, scanWall);
    Samples warmupPush = samples(warmupPushNanos, Duration.ofSeconds(warmupSeconds).toNanos());
    double cpuCores = 0;
    for (int h = 0; h < processes.size(); h++) {
      cpuCores += (cpuAfter[h] - cpuBefore[h]) / (double) scanWall;
    }
    double scansPerSecond = 1000.0 * docks / scanEveryMs;
    StringBuilder out = new StringBuilder();
    out.append("## A fleet of docks (").append(LocalDate.now()).append(")\n\n");
    out.append(String.format(Locale.ROOT, "`./tracetrack bench fleet --docks %d --hubs %d --seconds %d --scan-every-ms %d"
        + " --warmup-seconds %d` on this machine (2 cores): %d docks, each two virtual threads in the bench's JVM speaking"
        + " the real protocol over real HTTP with its own device credential, %s over one PostgreSQL (fsync on), a scan per"
        + " dock every %d ms (%.0f scans/s fleet-wide, %,d pushed in the %d s measured after %d s of warm-up scanning),"
        + " every scan to reach every dock. The docks, the hubs and PostgreSQL share the two cores.%n%n", docks, hubs,
        seconds, scanEveryMs, warmupSeconds, docks, hubs == 1 ? "one hub process" : "two hub processes", scanEveryMs,
        scansPerSecond, push.count(), seconds, warmupSeconds));
    out.append("| measure | n | p50 ms | p99 ms | target | met |\n|---|---|---|---|---|---|\n");
    out.append(row("push (one op, sent → answered)", push, "p99 ≤ 200 ms", push.percentileMillis(99) <= 200));
    double deliveryP99 = deliveryMicros.getValueAtPercentile(99) / 1000.0;
    out.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %s | %s |%n", "commit → every other dock (sent → in its replica)",
        deliveryMicros.getTotalCount(), deliveryMicros.getValueAtPercentile(50) / 1000.0, deliveryP99, "p99 ≤ 2,000 ms",
        deliveryP99 <= 2000 ? "yes" : "**no**"));
    out.append("\n| also measured | value |\n|---|---|\n");
    out.append(String.format(Locale.ROOT, "| errors (non-2xx answers and failed requests) | %d%s |%n", errors.get(),
        errorSamples.isEmpty() ? "" : " (first: " + errorSamples.getFirst().replace("|", "/") + ")"));
    out.append(String.format(Locale.ROOT, "| docks whose replica ended equal to the hub's bags | %d of %d |%n", converged, docks));
    if (warmupPush.count() > 0) {
      out.append(String.format(Locale.ROOT, "| push during the %d s warm-up (the JIT compiling under load; not above) | %,d, p50 %.1f ms, p99 %.1f ms |%n",
          warmupSeconds, warmupPush.count(), warmupPush.percentileMillis(50), warmupPush.percentileMillis(99)));
    }
    out.append(String.format(Locale.ROOT, "| push as the hub timed it (request in → answer out), while scanning | mean %.1f ms |%n",
        meanMillis(hubPush, pushBefore)));
    out.append(String.format(Locale.ROOT, "| waits for a database connection, as the hub timed them, while scanning | mean %.1f ms |%n",
        meanMillis(dbWait, waitBefore)));
    out.append(String.format(Locale.ROOT, "| connecting the fleet at once (every dock's first poll answered, before scanning) | %.1f s, %d of %d |%n",
        connectSeconds, connected, docks));
    out.append(String.format(Locale.ROOT, "| change polls answered while scanning | %,d (%,.0f/s) |%n", polls.get(),
        polls.get() / (scanWall / 1e9)));
    out.append(String.format(Locale.ROOT, "| hub CPU while scanning (all hub processes) | %.2f cores of 2 |%n", cpuCores));
    if (jitBefore >= 0 && jitAfter >= 0) {
      // clock ticks of 10 ms (USER_HZ 100, as on every Linux this runs on)
      out.append(String.format(Locale.ROOT, "| of which the JIT compilers' threads (C1, C2), still compiling | %.2f cores |%n",
          (jitAfter - jitBefore) * 10_000_000.0 / scanWall));
    }
    out.append(String.format(Locale.ROOT, "| PostgreSQL CPU while scanning (its processes) | %.2f cores of 2 |%n", pgCores));
    out.append(String.format(Locale.ROOT, "| the simulated docks' CPU while scanning (this bench's JVM) | %.2f cores of 2 |%n", fleetCores));
    out.append(String.format(Locale.ROOT, "| hub heap, highest sampled (every 5 s) | %.0f MiB (-Xmx1g each) |%n", maxHeap / (1 << 20)));
    out.append(String.format(Locale.ROOT, "| database connections, highest sampled (each hub's own share of the %d this"
        + " machine's cores call for: %d a hub) | %d |%n", BUDGET, io.tracetrack.hub.db.PoolSize.share(BUDGET, hubs), maxConnections));
    out.append(String.format(Locale.ROOT, "| enrolling the fleet (register, code, enrol) | %.1f s |%n", enrolSeconds));
    out.append("\nNo Kafka broker runs in this bench: commit → Kafka is `./tracetrack bench relay`'s table, and two hubs"
        + " under kill are `TwoHubsIT`.\n\n");
    return out.toString();
  }

  private static String row(String name, Samples s, String target, boolean met) {
    return String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %s | %s |%n", name, s.count(), s.percentileMillis(50),
        s.percentileMillis(99), target, met ? "yes" : "**no**");
  }

  private static Samples samples(ConcurrentLinkedQueue<Long> nanos, long wall) {
    Samples s = new Samples(Math.max(1, nanos.size()));
    nanos.forEach(s::add);
    s.wall(wall);
    return s;
  }

  /** One dock: its credential, its hub, the ops it has sent and the replica it keeps. */
  private final class Dock {
    final String name;
    final String edgeId;
    final String credential;
    final int port;
    final AtomicLong cursor = new AtomicLong();
    /** Change polls answered 200: the first one says the dock is connected. */
    final AtomicInteger answered = new AtomicInteger();
    /** code → its parent ("" for none): the bags of the area, as this dock has heard them. */
    final Replica replica = new Replica();
    long seq;
    String parent;
    int children;
    int parentNo;

    Dock(String name, String edgeId, String credential, int port) {
      this.name = name;
      this.edgeId = edgeId;
      this.credential = credential;
      this.port = port;
    }

    void scan(AtomicBoolean scanning) {
      try {
        Thread.sleep(ThreadLocalRandom.current().nextInt(scanEveryMs)); // docks do not scan in step
        long next = System.nanoTime();
        while (scanning.get()) {
          Op op;
          if (parent == null || children == 30) {
            parent = "P" + (1_000_000 + Integer.parseInt(edgeId.substring(edgeId.length() - 4)) * 1000 + parentNo++) + "-30";
            children = 0;
            op = new Op.CreateParent(parent, 30, 30);
          } else {
            op = new Op.Link(parent, "C" + parent.substring(1, parent.indexOf('-')) + String.format(Locale.ROOT, "%02d", children++));
          }
          long s = ++seq;
          OpEnvelope envelope = new OpEnvelope(new OpId(edgeId, s), new Hlc(System.currentTimeMillis(), 0), "fleet", name,
              "gate-1", op);
          String body = WIRE.encode(new PushBatch(edgeId, name, envelope.hlc(), 1, null, "fleet", List.of(envelope)));
          long sent = System.nanoTime();
          sentAt.put("edge:" + edgeId + ":" + s, sent);
          try {
            HttpResponse<String> res = send(port, credential, "POST", "/api/v1/sync/push", body);
            if (res.statusCode() != 200) {
              error(name + " push " + res.statusCode() + " " + res.body());
            } else {
              PushReply reply = WIRE.decodeReply(res.body());
              if (reply.outcomes().stream().anyMatch(o -> o.status() != io.tracetrack.sync.OpOutcome.Status.APPLIED)) {
                error(name + " push outcome " + reply.outcomes());
              }
              (sent >= measureFrom ? pushNanos : warmupPushNanos).add(System.nanoTime() - sent);
            }
          } catch (java.io.IOException e) {
            error(name + " push " + e);
          }
          next += Duration.ofMillis(scanEveryMs).toNanos();
          long sleep = next - System.nanoTime();
          if (sleep > 0) {
            Thread.sleep(Duration.ofNanos(sleep));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void poll(AtomicBoolean polling) {
      while (polling.get()) {
        try {
          HttpResponse<String> res = send(port, credential, "GET",
              "/api/v1/sync/changes?after=" + cursor.get() + "&limit=1000&waitMs=2000", null);
          if (res.statusCode() != 200) {
            error(name + " changes " + res.statusCode());
            Thread.sleep(200);
            continue;
          }
          answered.incrementAndGet();
          if (counting) {
            polls.incrementAndGet();
          }
          ChangePage page = WIRE.decodePage(res.body());
          long now = System.nanoTime();
          for (ChangeEntry e : page.entries()) {
            Optional<Change> change = WIRE.change(e);
            change.ifPresent(this::apply);
            Long sent = sentAt.get(e.origin());
            if (sent != null && sent >= measureFrom && !e.origin().startsWith("edge:" + edgeId + ":")) {
              deliveryMicros.recordValue(Math.min(deliveryMicros.getHighestTrackableValue(), Math.max(0, now - sent) / 1000));
            }
          }
          cursor.set(Math.max(cursor.get(), page.next()));
        } catch (java.io.IOException e) {
          error(name + " changes " + e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private void apply(Change change) {
      switch (change) {
        case Change.Bag b -> replica.bag(codeId(b.code()));
        case Change.Link l -> replica.link(codeId(l.child()), codeId(l.parent()));
        case Change.Unlink u -> replica.unlink(codeId(u.child()), codeId(u.parent()));
        default -> { }
      }
    }
  }

  private int codeId(String code) {
    return codeIds.computeIfAbsent(code, c -> nextCodeId.getAndIncrement());
  }

  /**
   * A dock's replica: for each bag of the area, by the fleet-wide number of its code, whether it is
   * held and its parent. An int array, not a map of strings: a thousand maps of the same bags held
   * 3.7 million strings and 2.4 million map nodes (700 MB live after 30 s), and this JVM's collector
   * paused 100-190 ms every second or two scanning the maps' dirtied cards and copying their new
   * nodes - pauses that stopped every simulated dock and were counted as the hub's latency. An int
   * array holds nothing the collector scans. Written by the dock's poll thread, read at the end.
   */
  static final class Replica {
    private static final int ABSENT = 0;
    private static final int NO_PARENT = 1;
    /** By code number: ABSENT, NO_PARENT, or the parent's number + 2. */
    private int[] parents = new int[1024];

    /** The replica {@code bags} (code → parent, "" for none) make, numbered by {@code ids}. */
    static int[] of(Map<String, String> bags, java.util.function.ToIntFunction<String> ids) {
      Replica r = new Replica();
      bags.forEach((code, parent) -> {
        if (parent.isEmpty()) {
          r.bag(ids.applyAsInt(code));
        } else {
          r.link(ids.applyAsInt(code), ids.applyAsInt(parent));
        }
      });
      return r.parents.clone();
    }

    synchronized void bag(int code) {
      grow(code);
      if (parents[code] == ABSENT) {
        parents[code] = NO_PARENT;
      }
    }

    synchronized void link(int child, int parent) {
      grow(child);
      parents[child] = parent + 2;
    }

    synchronized void unlink(int child, int parent) {
      if (child < parents.length && parents[child] == parent + 2) {
        parents[child] = NO_PARENT;
      }
    }

    /** Whether this replica holds exactly the bags and parents of {@code other} (from {@link #of}). */
    synchronized boolean holds(int[] other) {
      for (int i = 0; i < Math.max(parents.length, other.length); i++) {
        if ((i < parents.length ? parents[i] : ABSENT) != (i < other.length ? other[i] : ABSENT)) {
          return false;
        }
      }
      return true;
    }

    private void grow(int code) {
      if (code >= parents.length) {
        parents = java.util.Arrays.copyOf(parents, Math.max(code + 1, parents.length * 2));
      }
    }
  }

  private void error(String what) {
    if (errors.incrementAndGet() <= 5) {
      errorSamples.add(what.length() > 200 ? what.substring(0, 200) : what);
    }
  }

  private Dock enrol(int port, String admin, int number) throws Exception {
    String name = String.format(Locale.ROOT, "FLEET-%04d", number);
    ok(send(port, admin, "POST", "/api/v1/docks", "{\"name\":\"" + name + "\",\"area\":\"" + AREA + "\"}"));
    HttpResponse<String> code = send(port, admin, "POST", "/api/v1/docks/" + name + "/code", null);
    ok(code);
    String edgeId = String.format(Locale.ROOT, "edge-fleet-%04d", number);
    HttpResponse<String> enrolled = send(port, null, "POST", "/api/v1/sync/enroll", "{\"code\":\""
        + JSON.readTree(code.body()).get("enrollmentCode").asText() + "\",\"edgeId\":\"" + edgeId + "\"}",
        "10." + (number >> 16 & 255) + "." + (number >> 8 & 255) + "." + (number & 255));
    ok(enrolled);
    return new Dock(name, edgeId, JSON.readTree(enrolled.body()).get("credential").asText(), port);
  }

  /** The hub's bags as a replica has them: code → parent ("" for none). */
  private static Map<String, String> hubBags(EmbeddedPostgres pg) throws Exception {
    Map<String, String> out = new java.util.HashMap<>();
    try (Connection c = pg.getDatabase("postgres", "fleet").getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select code, coalesce(parent_code, '') from bag where area_id = '" + AREA + "'")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  private static long head(EmbeddedPostgres pg) throws Exception {
    try (Connection c = pg.getDatabase("postgres", "fleet").getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select last_seq from change_log_head")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int connections(EmbeddedPostgres pg) {
    try (Connection c = pg.getDatabase("postgres", "postgres").getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where datname = 'fleet'")) {
      rs.next();
      return rs.getInt(1);
    } catch (java.sql.SQLException e) {
      return -1;
    }
  }

  /**
   * {seconds summed, count} of a timer of the hubs' {@code /metrics} since they started, over the
   * series whose labels contain {@code label}: two readings give the mean between them. Beside the
   * docks' figure the hub's push timer tells the hub's own time from the wait on the clients' side.
   */
  private double[] hubTimer(List<Integer> ports, String timer, String label) {
    Pattern line = Pattern.compile("^" + timer + "_seconds_(sum|count|max)(?:\\{([^}]*)})? ([0-9.eE+-]+)$",
        Pattern.MULTILINE);
    double s = 0;
    double n = 0;
    for (int port : ports) {
      try {
        String body = send(port, null, "GET", "/metrics", null).body();
        for (Matcher x = line.matcher(body); x.find(); ) {
          if (!(x.group(2) == null ? "" : x.group(2)).contains(label)) {
            continue;
          }
          double v = Double.parseDouble(x.group(3));
          switch (x.group(1)) {
            case "sum" -> s += v;
            case "count" -> n += v;
            default -> { } // max: a decaying window, not a figure of the run
          }
        }
      } catch (Exception e) {
        // a hub that does not answer its metrics: the figure stays what the others said
      }
    }
    return new double[] {s, n};
  }

  /** The mean in ms of what a timer recorded between two readings of {@link #hubTimer}. */
  private static double meanMillis(double[] after, double[] before) {
    double n = after[1] - before[1];
    return n <= 0 ? 0 : (after[0] - before[0]) / n * 1000;
  }

  private double heap(int port) {
    try {
      HttpResponse<String> res = send(port, null, "GET", "/metrics", null);
      double sum = 0;
      Matcher m = HEAP.matcher(res.body());
      while (m.find()) {
        sum += Double.parseDouble(m.group(1));
      }
      return sum;
    } catch (Exception e) {
      return 0;
    }
  }

  /**
   * CPU so far of every PostgreSQL process on the machine (the server and its backends), by pid:
   * the embedded server is started through pg_ctl, so it is no child of this process.
   */
  private static Map<Long, Long> postgresCpu() {
    Map<Long, Long> cpu = new java.util.HashMap<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
        .forEach(p -> cpu.put(p.pid(), cpuNanos(p)));
    return cpu;
  }

  private static long cpuNanos(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /**
   * CPU clock ticks so far of the JIT compiler threads of {@code p} (Linux {@code /proc}; -1
   * elsewhere): how much of a hub's CPU in the window is still the JIT compiling, which a hub in
   * service for days no longer pays.
   */
  private static long compilerTicks(Process p) {
    Path tasks = Path.of("/proc", Long.toString(p.pid()), "task");
    long ticks = 0;
    try (var threads = Files.list(tasks)) {
      for (Path t : threads.toList()) {
        try {
          if (!Files.readString(t.resolve("comm")).matches("C[12] CompilerThre.*\\s*")) {
            continue;
          }
          String stat = Files.readString(t.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (java.io.IOException | RuntimeException gone) {
          // a compiler thread that ended between the listing and the read: it counts no more
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return ticks;
  }

  private static long cpuNanos(Process p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private String token(int port, String user, String password) throws Exception {
    HttpResponse<String> res = send(port, null, "POST", "/api/v1/auth/token",
        JSON.writeValueAsString(Map.of("username", user, "password", password)));
    ok(res);
    JsonNode body = JSON.readTree(res.body());
    return body.get("access_token").asText();
  }

  private static void ok(HttpResponse<String> res) {
    if (res.statusCode() / 100 != 2) {
      throw new IllegalStateException(res.uri() + " answered " + res.statusCode() + ": " + res.body());
    }
  }

  private HttpResponse<String> send(int port, String token, String method, String path, String body)
      throws java.io.IOException, InterruptedException {
    return send(port, token, method, path, body, null);
  }

  private HttpResponse<String> send(int port, String token, String method, String path, String body, String forwardedFor)
      throws java.io.IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (forwardedFor != null) {
      b.header("X-Forwarded-For", forwardedFor);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
