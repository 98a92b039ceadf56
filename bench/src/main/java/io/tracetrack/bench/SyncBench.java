package io.tracetrack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.edge.db.DataFolder;
import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.scan.EdgeIdentity;
import io.tracetrack.edge.scan.EdgeMeta;
import io.tracetrack.edge.scan.ScanResult;
import io.tracetrack.edge.scan.ScanService;
import io.tracetrack.edge.sync.HubClient;
import io.tracetrack.edge.sync.HubEnrolment;
import io.tracetrack.edge.sync.SyncOnce;
import io.tracetrack.edge.sync.SyncStore;
import io.tracetrack.edge.sync.SyncStores;
import io.tracetrack.edge.sync.SyncWorker;
import io.tracetrack.hub.HubConfig;
import io.tracetrack.hub.Main;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.BounceFilter;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.sync.Hlc;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.WireCodec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.postgresql.PGConnection;

/**
 * Sync at production size (issue #7 item 8): the real hub (in-process, embedded PostgreSQL, fsync on)
 * and real edges (in-process, their own SQLite files, {@link ScanService}, {@link SyncStore},
 * {@link HubClient}, {@link SyncWorker}) talking over HTTP on loopback. Each figure is printed beside
 * its target and, where there is one, the limit measured in the same run.
 */
final class SyncBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "Bench-Passw0rd!";
  private static final String AREA = "BENCH";
  private static final String VERSION = "bench";
  private static final int BATCH = 500;
  /** Ops per push from one dock, as the worker sends them (the hub's maximum). */
  private static final int PUSH_BATCH = WireCodec.MAX_BATCH;
  private static final Duration SCAN_EVERY = Duration.ofMillis(5);

  private final Path workDir;
  private final int docks;
  private final int batchesPerDock;
  private final int catchUpScans;
  private final int peerScans;
  private final int latencyScans;
  private final int parents;
  private final Clock clock = Clock.systemUTC();
  private final CodeGrammar grammar = CodeGrammar.defaults();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  private URI hubUri;
  private String adminToken;
  private HubDatabase hubDb;

  SyncBench(Path workDir, int docks, int batchesPerDock, int catchUpScans, int peerScans, int latencyScans, int parents) {
    this.workDir = workDir;
    this.docks = docks;
    this.batchesPerDock = batchesPerDock;
    this.catchUpScans = catchUpScans;
    this.peerScans = peerScans;
    this.latencyScans = latencyScans;
    this.parents = parents;
  }

  String run() throws Exception {
    Files.createDirectories(workDir);
    try (EmbeddedPostgres pg = BenchPostgres.start(workDir, 200)) {
      String url = BenchPostgres.createDatabase(pg, "syncbench");
      HubConfig config = HubConfig.parse(new String[] {"--port", "0", "--bind", "127.0.0.1", "--data",
          workDir.resolve("hub").toString(), "--pool-size", "40"}, Map.of("HUB_ADMIN_PASSWORD", PASSWORD));
      hubDb = HubDatabase.postgres(url, "postgres", "postgres", config.poolSize());
      try (Main.Hub hub = Main.Hub.start(config, hubDb, clock)) {
        hubUri = URI.create("http://127.0.0.1:" + hub.server().port());
        hubDb.dsl().execute("insert into area (id, name, created_at) values ('" + AREA + "', 'Bench', current_timestamp)");
        adminToken = token();
        return measure();
      }
    }
  }

  private String measure() throws Exception {
    // the docks that sync from an (almost) empty hub first: their later pulls are catch-ups
    Edge catchUp = Edge.open(this, "CATCH", 11);
    catchUp.syncOnce();

    // 1. ingest
    say("1. ingest: " + docks + " docks × " + batchesPerDock + " batches × " + BATCH + " ops");
    List<Pusher> pushers = new ArrayList<>();
    for (int d = 0; d < docks; d++) {
      pushers.add(Pusher.enroll(this, "INGEST-" + (d + 1), 20 + d));
    }
    // warm-up, not measured: the JIT, the pools, the first pages of the indexes
    Ingested warm = ingest(pushers, 2, 0.0);
    prepareRaw();
    rawInsert(docks, 1, 70);
    Ingested clean = ingest(pushers, batchesPerDock, 0.0);
    RawInsert raw = rawInsert(docks, batchesPerDock, 80);
    int conflictBatches = Math.max(1, batchesPerDock / 2);
    Ingested conflicted = ingest(pushers, conflictBatches, 0.05);
    // the scan dock starts from here (snapshot), so its pull in section 4 is the catch-up's changes
    Edge scanDock = Edge.open(this, "SCANNER", 12);
    scanDock.syncOnce();
    // CATCH hears what the ingest docks did before it goes offline, as a dock online until then
    // would have: what it catches up on is its own 100,000 offline scans, echoed back to it
    long catchPrePulled = catchUp.syncOnce().pulled();

    // 2. catch-up
    say("2. catch-up: " + catchUpScans + " offline scans at " + catchUp.dock);
    long offlineStart = System.nanoTime();
    catchUp.scanManyUntimed(catchUpScans);
    double offlineSeconds = seconds(offlineStart);
    long headBefore = head();
    // the worker's two halves one after the other, timed apart: push everything, then sync --once
    // (which finds nothing left to push and pulls until the head)
    long catchStart = System.nanoTime();
    long catchPushed = catchUp.pushAll();
    double catchPushSeconds = seconds(catchStart);
    long catchPullStart = System.nanoTime();
    SyncOnce.Outcome.Done caught = catchUp.syncOnce();
    double catchPullSeconds = seconds(catchPullStart);
    double catchSeconds = seconds(catchStart);
    long headAfter = head();
    boolean converged = catchUp.store.pullCursor() >= head() && caught.pendingOps() == 0;

    // the same catch-up as a serving dock makes it: its SyncWorker's push and pull loops at once
    // (the pull applies the echoes of the first batches while later ones are still being pushed)
    Edge catchWorker = Edge.open(this, "CATCH-W", 17);
    catchWorker.syncOnce();
    catchWorker.scanManyUntimed(catchUpScans);
    long workerStart = System.nanoTime();
    double workerSeconds;
    try (SyncWorker w = SyncWorker.standard(catchWorker.store, catchWorker.client, clock, VERSION, line -> { })) {
      w.start();
      while (!(catchWorker.store.status(clock.instant()).pendingOps() == 0 && catchWorker.store.pullCursor() >= head())) {
        Thread.sleep(5);
      }
      workerSeconds = seconds(workerStart);
    }
    catchWorker.close();

    // 4. scanning while syncing: baseline, then during a catch-up pull
    say("4. scan loop: baseline, then during the catch-up pull of " + scanDock.dock);
    Samples baseline = scanDock.scanLoop(() -> sleepQuietly(Duration.ofSeconds(10)));
    long pullFrom = scanDock.store.pullCursor();
    long[] pullDone = new long[2];
    Samples duringPull = scanDock.scanLoop(() -> {
      long t0 = System.nanoTime();
      SyncOnce.Outcome.Done d = scanDock.syncOnce();
      pullDone[0] = d.pulled();
      pullDone[1] = System.nanoTime() - t0;
    });

    // 6. the peer's row of ours: N scans pushed from one dock
    long pushedOps = 0;
    double pushSeconds = 0;
    String peer = "";
    if (peerScans > 0) {
      say("6. push of " + peerScans + " scans from one dock, then the PouchDB peer");
      Edge peerDock = Edge.open(this, "PUSHER", 13);
      peerDock.syncOnce();
      peerDock.scanManyUntimed(peerScans);
      long pushStart = System.nanoTime();
      pushedOps = peerDock.pushAll();
      pushSeconds = seconds(pushStart);
      peer = pouchdb(peerScans);
    }

    // 5. online latency
    say("5. online latency over " + latencyScans + " scans");
    Latency latency = online();

    // 3. bootstrap at 1.8 M bags, with the scan loop running on the same dock
    say("3. bootstrap: COPY " + parents + " parents × 30 children");
    double copySeconds = loadBags();
    long hubBags = ((Number) hubDb.dsl().fetchValue("select count(*) from bag")).longValue();
    List<String> progress = Collections.synchronizedList(new ArrayList<>());
    long[] boot = new long[2];
    long bootStart = System.nanoTime();
    Edge bootDock = Edge.open(this, "BOOT", 14);
    long enrolNanos = System.nanoTime() - bootStart;
    Samples duringBootstrap = bootDock.scanLoop(() -> {
      long t0 = System.nanoTime();
      SyncOnce.Outcome.Done d = bootDock.syncOnce(line -> {
        progress.add(String.format(Locale.ROOT, "%6.1f s  %s", (System.nanoTime() - bootStart) / 1e9, line));
        say(line);
      });
      boot[0] = d.pulled();
      boot[1] = System.nanoTime() - t0;
    });
    double bootSeconds = (enrolNanos + boot[1]) / 1e9;
    long replicaBags = bootDock.db.read(dsl -> ((Number) dsl.fetchValue("select count(*) from hub_bag")).longValue());
    // the same snapshot read and decoded by the dock's client but stored nowhere: what the stream
    // alone costs (hub read, JSON, gzip, HTTP), the rest of the bootstrap is the dock's store
    long streamStart = System.nanoTime();
    long[] streamed = {0};
    HubClient.Result<Long> stream = bootDock.client.snapshot(line -> streamed[0]++);
    double streamSeconds = seconds(streamStart);
    if (!(stream instanceof HubClient.Result.Ok<Long>)) {
      throw new IllegalStateException("snapshot stream failed: " + stream);
    }
    say(String.format(Locale.ROOT, "   snapshot stream alone: %,d lines in %.1f s", streamed[0], streamSeconds));

    StringBuilder md = new StringBuilder("## Sync (issue #7)\n\n");
    md.append("Command: `./tracetrack bench sync`  \n");
    md.append("Run: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)))
        .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ").append(Runtime.version())
        .append("; the hub in-process on PostgreSQL 18 (embedded binaries, fsync on), every dock in the same JVM on its own "
            + "SQLite file (WAL, `synchronous=FULL`), all talking HTTP on loopback through the real `HubClient`.\n\n");

    md.append("### 1. Hub ingest (`POST /api/v1/sync/push`)\n\n");
    md.append(docks).append(" docks enrolled, each pushing its batches of ").append(BATCH)
        .append(" ops one after the other, all docks at once. Ops: a counted parent `P…-30`, then its 30 children linked "
            + "(each op creates a bag). The raw row writes the same rows the ingest writes for those ops (bag, bag_event, "
            + "change_log rows, the change-log head and edge progress updates) as multi-row JDBC inserts, one transaction "
            + "per ").append(BATCH).append(" ops, from the same number of threads, into copies of those tables (same "
            + "indexes) on the same PostgreSQL.\n\n");
    md.append("| what | ops | seconds | ops/s | batch p50 ms | batch p99 ms | applied | rejected | ratio to raw |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    md.append(raw.row()).append('\n');
    md.append(clean.row("ingest, all distinct", raw.perSecond())).append('\n');
    md.append(conflicted.row("ingest, ~5% of links name a child linked elsewhere", raw.perSecond())).append('\n');
    md.append('\n');
    md.append(target("ingest ≥ 20,000 ops/s", clean.perSecond() >= 20_000,
        String.format(Locale.ROOT, "%,.0f ops/s (%.2f× the target, %.2f× raw)", clean.perSecond(), clean.perSecond() / 20_000,
            clean.perSecond() / raw.perSecond())));
    md.append('\n');

    md.append("### 2. Catch-up\n\n");
    md.append(String.format(Locale.ROOT, "Dock %s made %,d scans offline through `ScanService` (%,d ops, %.1f s, not timed), "
            + "then synced: the worker's push loop until nothing was pending (`SyncStore.nextBatch` → `HubClient.push` → "
            + "`recordReply`, batches of %d, two in flight), then `sync --once` (`SyncOnce`, nothing left to push: pull until the head). "
            + "Before going offline it had pulled the %,d changes of the ingest docks above (not timed), so what it "
            + "catches up on is its own work: it pushed %,d ops and pulled %,d changes back; hub head %,d → %,d.%n%n",
        catchUp.dock, catchUpScans, catchPushed, offlineSeconds, PUSH_BATCH, catchPrePulled, catchPushed, caught.pulled(),
        headBefore, headAfter));
    md.append("| part | items | seconds | per second |\n|---|---|---|---|\n");
    md.append(String.format(Locale.ROOT, "| push | %,d ops | %.1f | %,.0f |%n", catchPushed, catchPushSeconds,
        catchPushed / catchPushSeconds));
    md.append(String.format(Locale.ROOT, "| pull (sync --once) | %,d changes | %.1f | %,.0f |%n", caught.pulled(),
        catchPullSeconds, caught.pulled() / catchPullSeconds));
    md.append(String.format(Locale.ROOT, "| total, push then pull, to converged | | %.1f | |%n", catchSeconds));
    md.append(String.format(Locale.ROOT, "| **the serving dock's `SyncWorker`** (dock CATCH-W, the same %,d offline scans; "
        + "push and pull loops at once), to nothing pending and its cursor at the hub's head | %,d ops | %.1f | %,.0f |%n%n",
        catchUpScans, catchPushed, workerSeconds, catchPushed / workerSeconds));
    md.append(target("converged ≤ 10 s (the worker)", workerSeconds <= 10 && converged, String.format(Locale.ROOT,
        "%.1f s (%.2f× the target); push then pull one after the other: %.1f s%s", workerSeconds, workerSeconds / 10,
        catchSeconds, converged ? "" : " — NOT converged")));
    md.append('\n');

    md.append("### 3. Bootstrap\n\n");
    md.append(String.format(Locale.ROOT, "The hub held %,d bags (%,d parents × 30 children COPY-loaded in %.1f s, change-log "
            + "head moved past them as if they had been logged and pruned). A new dock enrolled and ran `sync --once`: "
            + "snapshot (gzip NDJSON), then the changes after its cursor. Replica after: %,d bags; %,d rows taken. The scan "
            + "loop of section 4 ran on the same dock meanwhile. Progress lines the sync printed:%n%n```%n",
        hubBags, parents, copySeconds, replicaBags, boot[0]));
    progress.forEach(p -> md.append(p).append('\n'));
    md.append("```\n\n");
    md.append("| what | lines | seconds | lines/s | ratio to stream alone |\n|---|---|---|---|---|\n");
    md.append(String.format(Locale.ROOT, "| snapshot stream alone (`HubClient.snapshot`, lines decoded, stored nowhere) | %,d "
        + "| %.1f | %,.0f | 1.00× |%n", streamed[0], streamSeconds, streamed[0] / streamSeconds));
    md.append(String.format(Locale.ROOT, "| bootstrap: enrol + `sync --once` to a usable replica | %,d | %.1f | %,.0f | %.2f× |%n%n",
        boot[0], bootSeconds, boot[0] / bootSeconds, (boot[0] / bootSeconds) / (streamed[0] / streamSeconds)));
    md.append(target("usable replica ≤ 30 s", bootSeconds <= 30 && replicaBags >= hubBags, String.format(Locale.ROOT,
        "%.1f s from enrolment to replica (%.2f× the target; %,.0f bags/s)", bootSeconds, bootSeconds / 30,
        replicaBags / bootSeconds)));
    md.append('\n');

    md.append("### 4. Scanning while syncing\n\n");
    md.append("`ScanService.scan` on the dock's database from its own thread, one scan every ")
        .append(SCAN_EVERY.toMillis()).append(" ms (a parent, then 30 children, repeated); latency of each call. "
            + "Ratio = p99 ÷ the baseline's p99.\n\n");
    md.append("| while | scans | p50 ms | p99 ms | max ms | p99 ratio to baseline |\n|---|---|---|---|---|---|\n");
    md.append(scanRow("nothing (baseline, 10 s)", baseline, baseline)).append('\n');
    md.append(scanRow(String.format(Locale.ROOT, "catch-up pull of %,d changes (%.1f s, from cursor %,d)", pullDone[0],
        pullDone[1] / 1e9, pullFrom), duringPull, baseline)).append('\n');
    md.append(scanRow(String.format(Locale.ROOT, "bootstrap of %,d bags (%.1f s)", replicaBags, boot[1] / 1e9),
        duringBootstrap, baseline)).append('\n');
    md.append('\n');
    double worst = Math.max(duringPull.percentileMillis(99), duringBootstrap.percentileMillis(99));
    md.append(target("scan p99 ≤ 20 ms while syncing", worst <= 20, String.format(Locale.ROOT,
        "during pull %.2f ms, during bootstrap %.2f ms (baseline %.2f ms)", duringPull.percentileMillis(99),
        duringBootstrap.percentileMillis(99), baseline.percentileMillis(99))));
    md.append('\n');

    md.append("### 5. Latency online\n\n");
    md.append(String.format(Locale.ROOT, "Docks A and B enrolled with their `SyncWorker`s running (push woken by the scan's "
            + "nudge, pull a long poll woken by the hub's commit). %d child scans at A, one at a time; from the scan's "
            + "return, polled every 5 ms: the hub's `GET /api/v1/bags/{code}` answering 200 with the parent, and B's "
            + "station view (`bag` table) holding the link.%n%n", latency.hub.count()));
    md.append("| scan at A → | scans | p50 ms | p99 ms | max ms | target |\n|---|---|---|---|---|---|\n");
    md.append(latencyRow("visible on the hub", latency.hub, "p99 ≤ 1,000 ms")).append('\n');
    md.append(latencyRow("known at dock B", latency.dockB, "p99 ≤ 2,000 ms")).append('\n');
    md.append('\n');
    md.append(target("hub p99 ≤ 1 s", latency.hub.percentileMillis(99) <= 1000,
        String.format(Locale.ROOT, "%.0f ms", latency.hub.percentileMillis(99))));
    md.append(target("dock B p99 ≤ 2 s", latency.dockB.percentileMillis(99) <= 2000,
        String.format(Locale.ROOT, "%.0f ms", latency.dockB.percentileMillis(99))));
    md.append('\n');

    md.append("### 6. Beside the peer (PouchDB)\n\n");
    if (peerScans == 0) {
      md.append("Not run (`--peer-n 0`).\n");
      return md.toString();
    }
    double ours = pushedOps / pushSeconds;
    md.append(String.format(Locale.ROOT, "Same N = %,d link documents / scans, pushed from one offline dock to the hub over "
        + "loopback. Ours: %,d scans through `ScanService` (%,d ops with the parents), then pushed in batches of %d, two in flight, through "
        + "`HubClient` and recorded in the outbox (`SyncStore.nextBatch` / `recordReply`, the worker's push loop).%n%n",
        peerScans, peerScans, pushedOps, PUSH_BATCH));
    md.append("| what | N | seconds | docs/s |\n|---|---|---|---|\n");
    md.append(String.format(Locale.ROOT, "| TraceTrack push, one dock → hub (PostgreSQL, fsync on) | %,d ops | %.2f | %,.0f |%n",
        pushedOps, pushSeconds, ours));
    Double peerRate = peerRate(peer);
    if (peerRate != null) {
      md.append(String.format(Locale.ROOT, "| PouchDB 9 replicate → express-pouchdb 4.2 (LevelDB) | %,d docs | %.2f | %,.0f |%n%n",
          peerScans, peerScans / peerRate, peerRate));
      md.append("Peer's own line: `").append(peer.strip()).append("`\n\n");
      md.append(target("≥ 5× the peer", ours / peerRate >= 5, String.format(Locale.ROOT, "%.2f×", ours / peerRate)));
    } else {
      md.append("| PouchDB peer | — | — | failed |\n\n");
      md.append("The peer script failed, so there is no ratio: `").append(peer.strip().replace('`', '\'')).append("`\n");
      md.append("- Target ≥ 5× the peer: not measured\n");
    }
    return md.toString();
  }

  // ------------------------------------------------------------------ 1. ingest

  /** One ingest run's figures. */
  private record Ingested(String label, long ops, long nanos, Samples batches, long applied, long rejected) {
    double perSecond() {
      return ops / (nanos / 1e9);
    }

    String row(String what, double rawPerSecond) {
      return String.format(Locale.ROOT, "| %s | %,d | %.2f | %,.0f | %.1f | %.1f | %,d | %,d | %.2f× |", what, ops, nanos / 1e9,
          perSecond(), batches.percentileMillis(50), batches.percentileMillis(99), applied, rejected, perSecond() / rawPerSecond);
    }
  }

  /** A dock that exists only as its credential: it sends ready-made batches. */
  private static final class Pusher {
    final String dock;
    final String edgeId;
    final HubClient client;
    final int number;
    long seq;
    int parent;
    int child;
    final List<String> linked = new ArrayList<>();

    Pusher(String dock, String edgeId, HubClient client, int number) {
      this.dock = dock;
      this.edgeId = edgeId;
      this.client = client;
      this.number = number;
    }

    static Pusher enroll(SyncBench bench, String dock, int number) throws Exception {
      String edgeId = "bench-" + dock.toLowerCase(Locale.ROOT);
      String credential = bench.enrol(dock, edgeId);
      return new Pusher(dock, edgeId, new HubClient(bench.hubUri, edgeId, credential, bench.http,
          HubClient.Timeouts.DEFAULTS), number);
    }

    /** A batch of a parent and its 30 children, repeated; {@code conflictShare} of the links name a child linked elsewhere. */
    PushBatch next(List<String> elsewhere, double conflictShare, java.util.Random random) {
      List<OpEnvelope> ops = new ArrayList<>(BATCH);
      long now = System.currentTimeMillis();
      // a batch may begin in the middle of a parent's children
      String current = parent == 0 ? null : parentCode(number, parent - 1);
      for (int i = 0; i < BATCH; i++) {
        Op op;
        if (child % 30 == 0 && (child / 30) == parent) {
          current = parentCode(number, parent++);
          op = new Op.CreateParent(current, 30, 30);
        } else {
          String code;
          if (!elsewhere.isEmpty() && random.nextDouble() < conflictShare) {
            code = elsewhere.get(random.nextInt(elsewhere.size()));
          } else {
            code = childCode(number, child);
            linked.add(code);
          }
          child++;
          op = new Op.Link(current, code);
        }
        ops.add(new OpEnvelope(new OpId(edgeId, ++seq), new Hlc(now, i), "bench", dock, "s1", op));
      }
      return new PushBatch(edgeId, dock, new Hlc(now, BATCH), BATCH, now, VERSION, ops);
    }
  }

  private Ingested ingest(List<Pusher> pushers, int batches, double conflictShare) throws Exception {
    // a conflicting link names a child another dock linked in the clean run
    List<List<String>> elsewhere = new ArrayList<>();
    for (int d = 0; d < pushers.size(); d++) {
      elsewhere.add(conflictShare == 0 ? List.of() : List.copyOf(pushers.get((d + 1) % pushers.size()).linked));
    }
    Samples perBatch = new Samples(pushers.size() * batches);
    AtomicLong applied = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    List<PushBatch> prepared = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (int d = 0; d < pushers.size(); d++) {
      java.util.Random random = new java.util.Random(d);
      for (int b = 0; b < batches; b++) {
        prepared.add(pushers.get(d).next(elsewhere.get(d), conflictShare, random));
        owner.add(d);
      }
    }
    long start = System.nanoTime();
    for (int d = 0; d < pushers.size(); d++) {
      int dock = d;
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          for (int i = 0; i < prepared.size(); i++) {
            if (owner.get(i) != dock) {
              continue;
            }
            long t0 = System.nanoTime();
            HubClient.Result<PushReply> r = pushers.get(dock).client.push(prepared.get(i));
            long took = System.nanoTime() - t0;
            if (!(r instanceof HubClient.Result.Ok<PushReply>(PushReply reply))) {
              throw new IllegalStateException("push failed: " + r);
            }
            synchronized (perBatch) {
              perBatch.add(took);
            }
            for (OpOutcome o : reply.outcomes()) {
              switch (o.status()) {
                case APPLIED -> applied.incrementAndGet();
                case REJECTED -> rejected.incrementAndGet();
                default -> throw new IllegalStateException("unexpected outcome " + o);
              }
            }
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long nanos = System.nanoTime() - start;
    if (!failures.isEmpty()) {
      throw new IllegalStateException("ingest failed", failures.get(0));
    }
    long ops = (long) pushers.size() * batches * BATCH;
    say(String.format(Locale.ROOT, "   %,d ops in %.2f s: %,.0f ops/s, %d rejected", ops, nanos / 1e9, ops / (nanos / 1e9),
        rejected.get()));
    return new Ingested("ingest", ops, nanos, perBatch, applied.get(), rejected.get());
  }

  /** The raw limit: the same rows in the same transactions, straight JDBC. */
  private record RawInsert(long ops, long nanos, Samples batches) {
    double perSecond() {
      return ops / (nanos / 1e9);
    }

    String row() {
      return String.format(Locale.ROOT, "| raw PostgreSQL multi-row inserts, same rows, same transactions (the limit) | %,d "
          + "| %.2f | %,.0f | %.1f | %.1f | — | — | 1.00× |", ops, nanos / 1e9, perSecond(), batches.percentileMillis(50),
          batches.percentileMillis(99));
    }
  }

  private void prepareRaw() throws Exception {
    try (Connection c = hubDb.pool().getConnection(); Statement s = c.createStatement()) {
      s.execute("create table raw_bag (like bag including all)");
      s.execute("create table raw_bag_event (like bag_event including all)");
      s.execute("create table raw_change_log (like change_log including all)");
      s.execute("create table raw_head (id integer primary key, last_seq bigint not null)");
      s.execute("insert into raw_head values (1, 0)");
      s.execute("create table raw_progress (edge_id varchar(64) primary key, last_seq bigint not null, last_seen_at timestamptz)");
    }
  }

  private RawInsert rawInsert(int threads, int batches, int firstNumber) throws Exception {
    String payload;
    String createKind;
    String linkKind;
    try (Connection c = hubDb.pool().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("select payload from change_log where type = 'link.v1' order by seq desc limit 1")) {
        r.next();
        payload = r.getString(1);
      }
      try (ResultSet r = s.executeQuery("select (select kind from bag_event where parent_code is null limit 1), "
          + "(select kind from bag_event where parent_code is not null limit 1)")) {
        r.next();
        createKind = r.getString(1);
        linkKind = r.getString(2);
      }
    }
    Samples perBatch = new Samples(threads * batches);
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int number = firstNumber + t;
      workers.add(Thread.ofPlatform().start(() -> {
        try (Connection c = hubDb.pool().getConnection()) {
          c.setAutoCommit(false);
          try (Statement s = c.createStatement()) {
            s.execute("insert into raw_progress values ('raw-" + number + "', 0, now())");
          }
          c.commit();
          String bagSql = multiRow("insert into raw_bag (code, role, expected_count, limit_count, child_count, parent_code, "
              + "area_id, created_by, created_at) values ", 9, BATCH);
          String eventSql = multiRow("insert into raw_bag_event (at, kind, bag_code, parent_code, actor, dock, source) values ",
              7, BATCH);
          String logSql = multiRow("insert into raw_change_log (seq, type, entity_key, payload, at, origin) values ", 6, BATCH);
          int child = 0;
          int parent = 0;
          long seq = 0;
          for (int b = 0; b < batches; b++) {
            long t0 = System.nanoTime();
            Timestamp now = new Timestamp(System.currentTimeMillis());
            String[] codes = new String[BATCH];
            String[] parentOf = new String[BATCH];
            String current = parent == 0 ? null : parentCode(number, parent - 1);
            for (int i = 0; i < BATCH; i++) {
              if (child % 30 == 0 && child / 30 == parent) {
                current = parentCode(number, parent++);
                codes[i] = current;
              } else {
                codes[i] = childCode(number, child++);
                parentOf[i] = current;
              }
            }
            try (PreparedStatement bags = c.prepareStatement(bagSql);
                PreparedStatement events = c.prepareStatement(eventSql);
                PreparedStatement head = c.prepareStatement("update raw_head set last_seq = last_seq + ? where id = 1 returning last_seq");
                PreparedStatement entries = c.prepareStatement(logSql);
                PreparedStatement progress = c.prepareStatement("update raw_progress set last_seq = ?, last_seen_at = ? where edge_id = ?")) {
              int p = 1;
              int e = 1;
              for (int i = 0; i < BATCH; i++) {
                boolean isParent = parentOf[i] == null;
                bags.setString(p++, codes[i]);
                bags.setString(p++, isParent ? "PARENT" : "CHILD");
                bags.setObject(p++, isParent ? 30 : null);
                bags.setInt(p++, isParent ? 30 : 0);
                bags.setInt(p++, isParent ? 30 : 0);
                bags.setString(p++, parentOf[i]);
                bags.setString(p++, AREA);
                bags.setString(p++, "bench");
                bags.setTimestamp(p++, now);
                events.setTimestamp(e++, now);
                events.setString(e++, isParent ? createKind : linkKind);
                events.setString(e++, codes[i]);
                events.setString(e++, parentOf[i]);
                events.setString(e++, "bench");
                events.setString(e++, "RAW");
                events.setString(e++, "EDGE");
              }
              bags.executeUpdate();
              events.executeUpdate();
              head.setInt(1, BATCH);
              long last;
              try (ResultSet r = head.executeQuery()) {
                r.next();
                last = r.getLong(1);
              }
              int l = 1;
              for (int i = 0; i < BATCH; i++) {
                entries.setLong(l++, last - BATCH + 1 + i);
                entries.setString(l++, parentOf[i] == null ? "bag.v1" : "link.v1");
                entries.setString(l++, codes[i]);
                entries.setString(l++, payload);
                entries.setTimestamp(l++, now);
                entries.setString(l++, "raw-" + number);
              }
              entries.executeUpdate();
              seq += BATCH;
              progress.setLong(1, seq);
              progress.setTimestamp(2, now);
              progress.setString(3, "raw-" + number);
              progress.executeUpdate();
            }
            c.commit();
            synchronized (perBatch) {
              perBatch.add(System.nanoTime() - t0);
            }
          }
        } catch (Throwable failure) {
          failures.add(failure);
        }
      }));
    }
    for (Thread t : workers) {
      t.join();
    }
    long nanos = System.nanoTime() - start;
    if (!failures.isEmpty()) {
      throw new IllegalStateException("raw insert failed", failures.get(0));
    }
    long ops = (long) threads * batches * BATCH;
    say(String.format(Locale.ROOT, "   raw: %,d rows-of-ops in %.2f s: %,.0f /s", ops, nanos / 1e9, ops / (nanos / 1e9)));
    return new RawInsert(ops, nanos, perBatch);
  }

  private static String multiRow(String head, int columns, int rows) {
    StringBuilder sql = new StringBuilder(head);
    String row = "(" + "?,".repeat(columns - 1) + "?)";
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ",").append(row);
    }
    return sql.toString();
  }

  // ------------------------------------------------------------------ edges

  /** An in-process dock: its own SQLite file, scan service and sync store, enrolled with the hub. */
  private static final class Edge implements AutoCloseable {
    final SyncBench bench;
    final String dock;
    final int number;
    final EdgeDatabase db;
    final SyncStore store;
    final HubClient client;
    final Runnable[] nudge = {() -> { }};
    final ScanService scans;
    int parent;
    int child;
    String lastChild;
    String lastParent;

    private Edge(SyncBench bench, String dock, int number, EdgeDatabase db, SyncStore store, HubClient client) {
      this.bench = bench;
      this.dock = dock;
      this.number = number;
      this.db = db;
      this.store = store;
      this.client = client;
      this.scans = new ScanService(db, bench.grammar, bench.clock, BounceFilter.DEFAULT_WINDOW, Duration.ofMinutes(10),
          () -> nudge[0].run());
    }

    static Edge open(SyncBench bench, String dock, int number) throws Exception {
      Path dir = bench.workDir.resolve("edges").resolve(dock);
      DataFolder.prepare(dir);
      EdgeDatabase db = EdgeDatabase.open(dir.resolve("edge.db"), Duration.ofSeconds(5));
      EdgeMeta meta = EdgeIdentity.ensure(db, dock, bench.clock);
      String credential = bench.enrol(dock, meta.edgeId());
      EdgeIdentity.adoptHub(db, bench.hubUri.toString(), dock, bench.clock);
      HubClient client = new HubClient(bench.hubUri, meta.edgeId(), credential, bench.http, HubClient.Timeouts.DEFAULTS);
      return new Edge(bench, dock, number, db, SyncStores.open(db, bench.grammar, bench.clock), client);
    }

    SyncOnce.Outcome.Done syncOnce() {
      return syncOnce(line -> { });
    }

    SyncOnce.Outcome.Done syncOnce(java.util.function.Consumer<String> console) {
      SyncOnce.Outcome o = SyncOnce.run(store, client, bench.clock, VERSION, console);
      if (o instanceof SyncOnce.Outcome.Done d) {
        return d;
      }
      throw new IllegalStateException(dock + ": sync --once failed: " + o);
    }

    /** The worker's push loop (`SyncOnce.push`: two batches in flight), without the pull, until nothing is pending. */
    long pushAll() {
      SyncOnce.Outcome out = SyncOnce.push(store, client, Clock.systemUTC(), VERSION);
      if (!(out instanceof SyncOnce.Outcome.Done d) || d.applied() != d.pushed() || d.pendingOps() != 0) {
        throw new IllegalStateException(dock + ": push did not apply everything: " + out);
      }
      return d.pushed();
    }

    /** One child scan (after its parent's, when a new parent is due); returns the child's latency. */
    long scanOne() {
      if (child % 30 == 0) {
        lastParent = parentCode(number, parent++);
        check(scans.scan("s1", "bench", lastParent));
      }
      lastChild = childCode(number, child++);
      long t0 = System.nanoTime();
      ScanResult r = scans.scan("s1", "bench", lastChild);
      long took = System.nanoTime() - t0;
      check(r);
      return took;
    }

    /**
     * Offline scans to sync later, not measured: made with {@code synchronous=OFF} for their
     * duration, or 100,000 fsyncs on this shared disk (150-6,500 a second) would take most of the
     * run. The scan path is otherwise the real one; every measured write runs with FULL.
     */
    void scanManyUntimed(int n) {
      synchronous("OFF", "0");
      try {
        for (int i = 0; i < n; i++) {
          scanOne();
        }
      } finally {
        synchronous("FULL", "2");
      }
    }

    /**
     * SQLite takes a safety level only outside a transaction, and the edge's writer connection is
     * only ever used inside one: the bench sets it on that connection directly, while nothing else
     * writes (nothing runs beside the offline scans).
     */
    private void synchronous(String level, String expected) {
      try {
        java.lang.reflect.Field f = EdgeDatabase.class.getDeclaredField("writeConnection");
        f.setAccessible(true);
        Connection c = (Connection) f.get(db);
        try (Statement s = c.createStatement()) {
          s.execute("pragma synchronous = " + level);
          try (ResultSet r = s.executeQuery("pragma synchronous")) {
            r.next();
            if (!expected.equals(r.getString(1))) {
              throw new IllegalStateException(dock + ": synchronous is " + r.getString(1) + ", not " + level);
            }
          }
        }
      } catch (ReflectiveOperationException | java.sql.SQLException e) {
        throw new IllegalStateException("cannot set synchronous on " + dock, e);
      }
    }

    private void check(ScanResult r) {
      if (!r.accepted()) {
        throw new IllegalStateException(dock + ": benchmark scan refused: " + r.message());
      }
    }

    /** Scans every {@link #SCAN_EVERY} from its own thread while {@code work} runs; latencies of the scans. */
    Samples scanLoop(ThrowingRunnable work) throws Exception {
      Samples samples = new Samples(400_000);
      AtomicBoolean stop = new AtomicBoolean();
      List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
      Thread loop = Thread.ofPlatform().name("scan-loop").start(() -> {
        long next = System.nanoTime();
        try {
          while (!stop.get()) {
            long took = scanOne();
            synchronized (samples) {
              samples.add(took);
            }
            next += SCAN_EVERY.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            } else {
              next = System.nanoTime();
            }
          }
        } catch (Throwable t) {
          failures.add(t);
        }
      });
      long start = System.nanoTime();
      try {
        work.run();
      } finally {
        stop.set(true);
        loop.join();
      }
      samples.wall(System.nanoTime() - start);
      if (!failures.isEmpty()) {
        throw new IllegalStateException(dock + ": scan loop failed", failures.get(0));
      }
      return samples;
    }

    @Override
    public void close() {
      db.close();
    }
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  // ------------------------------------------------------------------ 5. online

  private record Latency(Samples hub, Samples dockB) {}

  private Latency online() throws Exception {
    Edge a = Edge.open(this, "DOCK-A", 15);
    Edge b = Edge.open(this, "DOCK-B", 16);
    SyncWorker workerA = SyncWorker.standard(a.store, a.client, clock, VERSION, line -> { });
    SyncWorker workerB = SyncWorker.standard(b.store, b.client, clock, VERSION, line -> { });
    a.nudge[0] = workerA::nudge;
    workerA.start();
    workerB.start();
    try {
      // both caught up with the hub (their first pull is a snapshot of everything so far)
      long head = head();
      waitFor(() -> a.store.pullCursor() >= head && b.store.pullCursor() >= head && !a.store.needsSnapshot()
          && !b.store.needsSnapshot(), Duration.ofMinutes(3), "docks A and B catching up");
      Samples hub = new Samples(latencyScans);
      Samples atB = new Samples(latencyScans);
      long start = System.nanoTime();
      for (int i = 0; i < latencyScans; i++) {
        a.scanOne();
        long t0 = System.nanoTime();
        String code = a.lastChild;
        String parent = a.lastParent;
        long[] seen = {-1, -1};
        while (seen[0] < 0 || seen[1] < 0) {
          if (System.nanoTime() - t0 > Duration.ofSeconds(60).toNanos()) {
            throw new IllegalStateException("scan " + code + " not seen within 60 s (hub " + seen[0] + ", B " + seen[1] + ")");
          }
          if (seen[0] < 0 && onHub(code, parent)) {
            seen[0] = System.nanoTime() - t0;
          }
          if (seen[1] < 0 && atDock(b, code, parent)) {
            seen[1] = System.nanoTime() - t0;
          }
          if (seen[0] < 0 || seen[1] < 0) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
          }
        }
        hub.add(seen[0]);
        atB.add(seen[1]);
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
      hub.wall(System.nanoTime() - start);
      atB.wall(System.nanoTime() - start);
      say(String.format(Locale.ROOT, "   hub p50 %.1f p99 %.1f ms; B p50 %.1f p99 %.1f ms", hub.percentileMillis(50),
          hub.percentileMillis(99), atB.percentileMillis(50), atB.percentileMillis(99)));
      return new Latency(hub, atB);
    } finally {
      workerA.close();
      workerB.close();
      a.close();
      b.close();
    }
  }

  private boolean onHub(String code, String parent) throws Exception {
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(hubUri.resolve("/api/v1/bags/" + code))
        .header("Authorization", "Bearer " + adminToken).GET().build(), HttpResponse.BodyHandlers.ofString());
    return res.statusCode() == 200 && res.body().contains(parent);
  }

  private static boolean atDock(Edge dock, String code, String parent) {
    return dock.db.read(dsl -> dsl.fetchExists(dsl.selectOne().from("bag").where("code = ? and parent_code = ?", code, parent)));
  }

  // ------------------------------------------------------------------ 3. bootstrap data

  /** COPY the production-size bag table, as the hub benchmark does, and move the change-log head past it. */
  private double loadBags() throws Exception {
    long start = System.nanoTime();
    try (Connection c = hubDb.pool().getConnection()) {
      PGConnection pg = c.unwrap(PGConnection.class);
      String columns = "(code, role, expected_count, limit_count, child_count, parent_code, area_id, created_by, created_at)";
      pg.getCopyAPI().copyIn("COPY bag " + columns + " FROM STDIN (FORMAT csv)", new HubBench.Generator(parents, true));
      pg.getCopyAPI().copyIn("COPY bag " + columns + " FROM STDIN (FORMAT csv)", new HubBench.Generator(parents, false));
      try (Statement s = c.createStatement()) {
        // as if every one of them had been logged and the log pruned since: docks that are current
        // stay current (their cursor is still held), a new one needs the snapshot
        s.execute("update change_log_head set last_seq = last_seq + " + parents * 31L + " where id = 1");
        s.execute("analyze bag");
      }
    }
    double seconds = seconds(start);
    say(String.format(Locale.ROOT, "   COPY %,d bags in %.1f s", parents * 31L, seconds));
    return seconds;
  }

  // ------------------------------------------------------------------ 6. peer

  private String pouchdb(int n) {
    Path script = Path.of("..", "shared", "peers", "pouchdb", "run.sh");
    if (!Files.exists(script)) {
      script = Path.of("/work/shared/peers/pouchdb/run.sh");
    }
    try {
      Process p = new ProcessBuilder("bash", script.toString(), String.valueOf(n)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      say("   peer: " + out.strip());
      return rc == 0 ? out : "exit " + rc + ": " + out;
    } catch (Exception e) {
      return "could not run " + script + ": " + e;
    }
  }

  private static Double peerRate(String out) {
    for (String line : out.split("\n")) {
      if (line.startsWith("{") && line.contains("docs_per_s")) {
        try {
          var json = JSON.readTree(line);
          if (json.path("ok").asBoolean() && json.path("remote_count").asLong() == json.path("docs").asLong()) {
            return json.get("docs_per_s").asDouble();
          }
        } catch (Exception e) {
          return null;
        }
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ helpers

  static String parentCode(int number, int n) {
    return String.format(Locale.ROOT, "P9%02d%06d-30", number, n);
  }

  static String childCode(int number, int n) {
    return String.format(Locale.ROOT, "C9%02d%08d", number, n);
  }

  private long head() {
    return ((Number) hubDb.dsl().fetchValue("select last_seq from change_log_head where id = 1")).longValue();
  }

  private String token() throws Exception {
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(hubUri.resolve("/api/v1/auth/token"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(res.body()).get("access_token").asText();
  }

  /** Registers the dock with the admin's token and enrols {@code edgeId} with its code; returns the credential. */
  private String enrol(String dock, String edgeId) throws Exception {
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(hubUri.resolve("/api/v1/docks"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + adminToken)
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + dock + "\",\"area\":\"" + AREA + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 201) {
      throw new IllegalStateException("registering " + dock + ": HTTP " + res.statusCode() + " " + res.body());
    }
    String code = JSON.readTree(res.body()).get("enrollmentCode").asText();
    return switch (new HubEnrolment(http).enroll(hubUri, code, edgeId, dock)) {
      case HubEnrolment.Result.Enrolled e -> e.credential();
      case HubEnrolment.Result.Refused r -> throw new IllegalStateException("enrolment refused: " + r);
      case HubEnrolment.Result.Unreachable u -> throw new IllegalStateException("enrolment failed: " + u);
    };
  }

  private static String scanRow(String what, Samples s, Samples baseline) {
    return String.format(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.2f | %.2f× |", what, s.count(), s.percentileMillis(50),
        s.percentileMillis(99), s.percentileMillis(100), s.percentileMillis(99) / baseline.percentileMillis(99));
  }

  private static String latencyRow(String what, Samples s, String target) {
    return String.format(Locale.ROOT, "| %s | %,d | %.0f | %.0f | %.0f | %s |", what, s.count(), s.percentileMillis(50),
        s.percentileMillis(99), s.percentileMillis(100), target);
  }

  private static String target(String what, boolean met, String value) {
    return "- Target " + what + ": " + value + " — " + (met ? "met" : "NOT met") + "\n";
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void sleepQuietly(Duration d) {
    LockSupport.parkNanos(d.toNanos());
  }

  private static void waitFor(Supplier<Boolean> condition, Duration max, String what) {
    long until = System.nanoTime() + max.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("timed out: " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  private void say(String line) {
    log.add(line);
    System.out.println("bench sync: " + line);
    System.out.flush();
  }
}
