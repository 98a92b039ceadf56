package io.tracetrack.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.hub.db.EmbeddedPostgresServer;
import io.tracetrack.hub.events.KafkaBroker;
import io.tracetrack.sync.Hlc;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hub processes on one PostgreSQL work as one system (issue #17 item 4). Docks push to one hub
 * each and API clients link on both; the hub that takes a dock's pushes and relays the events to
 * Kafka is killed with SIGKILL in the middle of both. Its dock carries on with the other hub, as a
 * dock does when its hub stops answering, resending what it has no answer for. Then: every op was
 * applied exactly once, every link answered 2xx is there, the change log has no gap, both hubs
 * (the killed one restarted) read the same, and every event reached Kafka under its own id. Before
 * that, a browser session begun on one hub is used, refreshed and ended on the other.
 */
@ExtendWith(SharedBackends.class)
class TwoHubsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final WireCodec WIRE = new WireCodec();
  private static final String PASSWORD = "Two-Hubs-Passw0rd!";
  private static final String TOPIC = "two-hubs.events";
  /** Parents each dock makes, with 30 children each: 31 ops a parent. */
  private static final int DOCK_PARENTS = 16;
  private static final int OPS_PER_PARENT = 31;
  private static final int BATCH = 20;
  /** Between a dock's pushes: a dock sends as it scans, not all at once, so the kill finds it mid-way. */
  private static final Duration PUSH_PAUSE = Duration.ofMillis(20);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  /** child → parent for every API link answered 2xx, on either hub. */
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();

  @Test
  void twoHubs_oneKilledMidPushAndMidRelay_noOpTwice_noGap_sameReads_everyEventInKafka(EmbeddedPostgresServer pg, KafkaBroker kafka)
      throws Exception {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    Map<String, String> env = Map.of("HUB_ADMIN_PASSWORD", PASSWORD, "HUB_JWT_SECRET", Base64.getEncoder().encodeToString(key));
    kafka.createTopic(TOPIC, 3);
    String url = pg.database("two_hubs");
    String[] args = {"--db-url", url, "--db-user", pg.user(), "--kafka", kafka.bootstrap(), "--kafka-topic", TOPIC};
    HubProcess a = HubProcess.start(dir.resolve("a"), env, args);
    // the first instance takes the relay's lease: killing it below is a kill mid-relay
    awaitRelayHolder(url, pg.user(), a.process.pid());
    try (HubProcess b = HubProcess.start(dir.resolve("b"), env, args)) {
      int portA = a.port();
      int portB = b.port();
      String admin = signIn(portA);
      assertThat(get(portB, admin, "/api/v1/me").statusCode()).as("a token of one instance is good at the other").isEqualTo(200);
      // the second instance took its share as it started
      poolShared(portB, admin);
      ok(post(portA, admin, "/api/v1/areas", "{\"id\":\"NORTH\",\"name\":\"North\"}"));
      ok(post(portB, admin, "/api/v1/users",
          "{\"username\":\"nina\",\"role\":\"DISPATCHER\",\"area\":\"NORTH\",\"password\":\"" + PASSWORD + "\"}"));

      // a write on one is read on the other within a second
      ok(post(portA, admin, "/api/v1/bags", "{\"code\":\"P1-5\"}"));
      long wrote = System.nanoTime();
      while (get(portB, admin, "/api/v1/bags/P1-5").statusCode() != 200) {
        assertThat(System.nanoTime() - wrote).as("P1-5 readable at the other hub").isLessThan(Duration.ofSeconds(1).toNanos());
        Thread.sleep(20);
      }

      browserSessionSpansBothHubs(portA, portB);

      Dock one = enrol(portA, admin, "DOCK-1", "edge-two-hubs-1", List.of(portA, portB), 1);
      Dock two = enrol(portB, admin, "DOCK-2", "edge-two-hubs-2", List.of(portB), 2);
      AtomicBoolean aDead = new AtomicBoolean();
      List<Thread> workers = new ArrayList<>();
      workers.add(Thread.ofPlatform().start(one::pushAll));
      workers.add(Thread.ofPlatform().start(two::pushAll));
      for (int c = 0; c < 2; c++) {
        String prefix = "1" + c;
        workers.add(Thread.ofPlatform().start(() -> linkUntil(portA, admin, prefix, aDead)));
        String prefixB = "2" + c;
        workers.add(Thread.ofPlatform().start(() -> linkUntil(portB, admin, prefixB, aDead)));
      }
      // the kill comes after a number of answers, not after a time: the same test on any machine
      long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while ((one.acked.get() < 5L * OPS_PER_PARENT || acknowledged.size() < 60) && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      assertThat(one.acked.get()).as("DOCK-1's ops answered before the kill").isGreaterThanOrEqualTo(5L * OPS_PER_PARENT);
      assertThat(acknowledged).as("API links answered before the kill").hasSizeGreaterThanOrEqualTo(60);
      assertThat(one.total() - one.acked.get()).as("DOCK-1 still had ops to send when its hub died").isPositive();
      // the first took its share at a beat since (checked here, not above: no wait for that beat)
      poolShared(portA, admin);
      a.killJvm();
      aDead.set(true);
      for (Thread t : workers) {
        t.join(180_000);
      }
      assertThat(one.acked.get()).as("DOCK-1 finished at the other hub").isEqualTo(one.total());
      assertThat(two.acked.get()).isEqualTo(two.total());
      assertThat(one.failedOver).as("DOCK-1 met the kill in the middle of a push").isTrue();

      // the other instance relays now, and catches up
      awaitRelayHolder(url, pg.user(), b.process.pid());
      long head = awaitRelayed(url, pg.user());

      try (Connection c = DriverManager.getConnection(url, pg.user(), "")) {
        // every op once: one change-log entry per op, none twice, none missing
        for (Dock d : List.of(one, two)) {
          Map<Long, Integer> entries = new HashMap<>();
          try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
              "select origin, count(*) from change_log where origin like 'edge:" + d.edgeId + ":%' group by origin")) {
            while (rs.next()) {
              entries.put(Long.parseLong(rs.getString(1).substring(rs.getString(1).lastIndexOf(':') + 1)), rs.getInt(2));
            }
          }
          assertThat(entries.values()).as(d.name + ": an op logged twice").allMatch(n -> n == 1);
          assertThat(entries.keySet()).as(d.name + ": every op applied").hasSize((int) d.total());
        }
        // no gap: every position from the first to the head is there
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select min(seq), max(seq), count(*) from change_log")) {
          rs.next();
          assertThat(rs.getLong(3)).as("entries " + rs.getLong(1) + ".." + rs.getLong(2)).isEqualTo(rs.getLong(2) - rs.getLong(1) + 1);
          assertThat(rs.getLong(2)).isEqualTo(head);
        }
      }

      // every event in Kafka under its own id: repeats (at least once) carry the same event
      Map<Long, String> events = new HashMap<>();
      for (ConsumerRecord<String, byte[]> r : readAtLeast(kafka, head)) {
        JsonNode e = JSON.readTree(r.value());
        long id = Long.parseLong(e.get("id").asText());
        String seen = events.putIfAbsent(id, e.get("type").asText() + " " + e.get("subject").asText() + " " + e.get("data"));
        if (seen != null) {
          assertThat(seen).as("event " + id + " sent again").isEqualTo(e.get("type").asText() + " " + e.get("subject").asText()
              + " " + e.get("data"));
        }
      }
      assertThat(events.keySet()).as("event ids").hasSize((int) head).allMatch(id -> id >= 1 && id <= head);

      // the killed instance back on its own folder: both read the same
      try (HubProcess again = HubProcess.start(dir.resolve("a"), env, args)) {
        int portA2 = again.port();
        Set<String> parents = new HashSet<>(acknowledged.values());
        parents.addAll(one.parents);
        parents.addAll(two.parents);
        List<String> lost = new ArrayList<>();
        for (String parent : parents) {
          JsonNode atA = JSON.readTree(get(portA2, admin, "/api/v1/bags/" + parent).body());
          JsonNode atB = JSON.readTree(get(portB, admin, "/api/v1/bags/" + parent).body());
          assertThat(atA.get("childCount")).as(parent).isEqualTo(atB.get("childCount"));
          assertThat(atA.get("children")).as(parent).isEqualTo(atB.get("children"));
          Set<String> children = new HashSet<>();
          atB.get("children").forEach(ch -> children.add(ch.asText()));
          acknowledged.forEach((child, p) -> {
            if (p.equals(parent) && !children.contains(child)) {
              lost.add(child);
            }
          });
        }
        assertThat(lost).as("links answered 2xx but gone").isEmpty();
        assertThat(one.parents).allSatisfy(p -> assertThat(acknowledgedChildren(portB, admin, p)).isEqualTo(30));
      }
    } finally {
      a.close();
    }
  }

  /**
   * The instance at {@code port} lists both on its health page, and keeps its share of the
   * connections the database's cores call for (both are sized from this machine's, the database's),
   * within a beat.
   */
  private void poolShared(int port, String admin) throws Exception {
    int share = io.tracetrack.hub.db.PoolSize.share(io.tracetrack.hub.db.PoolSize.forCores(
        io.tracetrack.hub.db.PoolSize.localCores()), 2);
    // a beat, with room
    long until = System.nanoTime() + io.tracetrack.hub.ops.HubInstances.BEAT.multipliedBy(2).toNanos();
    while (true) {
      JsonNode health = JSON.readTree(get(port, admin, "/api/v1/system/health").body());
      JsonNode instances = health.get("instances");
      int pool = health.get("database").get("pool").get("max").asInt();
      if (instances.size() == 2 && pool == share) {
        assertThat(instances).filteredOn(i -> i.get("here").asBoolean()).singleElement()
            .satisfies(i -> assertThat(i.get("poolSize").asInt()).isEqualTo(share));
        return;
      }
      assertThat(System.nanoTime()).as("instances " + instances + ", pool " + pool + " at " + port + "; share " + share)
          .isLessThan(until);
      Thread.sleep(200);
    }
  }

  /** A dock as the hub sees one: enrolled, pushing its ops in order, to its hubs in turn. */
  private final class Dock {
    final String name;
    final String edgeId;
    final String credential;
    final List<Integer> hubs;
    final List<OpEnvelope> ops = new ArrayList<>();
    final List<String> parents = new ArrayList<>();
    /** The hub's lastSeq: every op up to here was answered. */
    final AtomicLong acked = new AtomicLong();
    volatile boolean failedOver;

    Dock(String name, String edgeId, String credential, List<Integer> hubs, int number) {
      this.name = name;
      this.edgeId = edgeId;
      this.credential = credential;
      this.hubs = hubs;
      long seq = 0;
      long wall = System.currentTimeMillis();
      for (int p = 0; p < DOCK_PARENTS; p++) {
        String parent = "P" + number + String.format(Locale.ROOT, "%04d", p) + "-30";
        parents.add(parent);
        ops.add(envelope(++seq, wall, new Op.CreateParent(parent, 30, 30)));
        for (int c = 0; c < 30; c++) {
          ops.add(envelope(++seq, wall, new Op.Link(parent, "C" + number + String.format(Locale.ROOT, "%04d%02d", p, c))));
        }
      }
    }

    private OpEnvelope envelope(long seq, long wall, Op op) {
      return new OpEnvelope(new OpId(edgeId, seq), new Hlc(wall + seq, 0), "nina", name, "gate-1", op);
    }

    long total() {
      return ops.size();
    }

    /** Pushes every op; when its hub stops answering, the next hub gets what has no answer yet. */
    void pushAll() {
      int hub = 0;
      while (acked.get() < total()) {
        int from = (int) acked.get();
        List<OpEnvelope> batch = ops.subList(from, Math.min(ops.size(), from + BATCH));
        PushBatch push = new PushBatch(edgeId, name, new Hlc(System.currentTimeMillis(), 0), total() - from, null, "two-hubs",
            List.copyOf(batch));
        try {
          HttpResponse<String> res = send(hubs.get(hub), credential, "POST", "/api/v1/sync/push", WIRE.encode(push));
          if (res.statusCode() != 200) {
            throw new AssertionError(name + " push answered " + res.statusCode() + ": " + res.body());
          }
          PushReply reply = WIRE.decodeReply(res.body());
          acked.set(Math.max(acked.get(), reply.lastSeq()));
          Thread.sleep(PUSH_PAUSE);
        } catch (java.io.IOException e) {
          // the hub died under this push: whatever had no answer is sent again, to the next hub
          if (hub + 1 >= hubs.size()) {
            throw new AssertionError(name + " has no hub left", e);
          }
          hub++;
          failedOver = true;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private Dock enrol(int port, String admin, String name, String edgeId, List<Integer> hubs, int number) throws Exception {
    ok(post(port, admin, "/api/v1/docks", "{\"name\":\"" + name + "\",\"area\":\"NORTH\"}"));
    HttpResponse<String> code = post(port, admin, "/api/v1/docks/" + name + "/code", null);
    ok(code);
    HttpResponse<String> enrolled = send(port, null, "POST", "/api/v1/sync/enroll", "{\"code\":\""
        + JSON.readTree(code.body()).get("enrollmentCode").asText() + "\",\"edgeId\":\"" + edgeId + "\"}");
    ok(enrolled);
    return new Dock(name, edgeId, JSON.readTree(enrolled.body()).get("credential").asText(), hubs, number);
  }

  /** API links on one hub until it dies (its clients stop) or the other hub's clients have done enough. */
  private void linkUntil(int port, String token, String prefix, AtomicBoolean aDead) {
    int parentNo = 0;
    int childNo = 0;
    try {
      while (!(aDead.get() && acknowledged.size() > 400)) {
        String parent = "P9" + prefix + String.format(Locale.ROOT, "%04d", parentNo++) + "-30";
        if (post(port, token, "/api/v1/bags", "{\"code\":\"" + parent + "\"}").statusCode() / 100 != 2) {
          return;
        }
        for (int i = 0; i < 30; i++) {
          String child = "C9" + prefix + String.format(Locale.ROOT, "%05d", childNo++);
          if (post(port, token, "/api/v1/links", "{\"parent\":\"" + parent + "\",\"child\":\"" + child + "\"}").statusCode() / 100 != 2) {
            return;
          }
          acknowledged.put(child, parent);
        }
      }
    } catch (Exception e) {
      // the hub died under us: what had no answer was not acknowledged
    }
  }

  private int acknowledgedChildren(int port, String token, String parent) {
    try {
      return JSON.readTree(get(port, token, "/api/v1/bags/" + parent).body()).get("childCount").asInt();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Waits until the process {@code pid} holds the relay's lease (instance names carry the pid). */
  private static void awaitRelayHolder(String url, String user, long pid) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String holder = null;
    while (System.nanoTime() < until) {
      try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select holder from event_relay")) {
        holder = rs.next() ? rs.getString(1) : null;
      } catch (java.sql.SQLException e) {
        holder = "(" + e.getMessage() + ")"; // the schema not made yet
      }
      if (holder != null && holder.contains("/" + pid + "/")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the relay's lease is held by " + holder + ", not by process " + pid);
  }

  /** Waits until the relay's position reaches the log's head; returns the head. */
  private static long awaitRelayed(String url, String user) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select r.position, h.last_seq from event_relay r cross join change_log_head h")) {
        rs.next();
        if (rs.getLong(1) == rs.getLong(2)) {
          return rs.getLong(2);
        }
        if (System.nanoTime() > until) {
          throw new AssertionError("the relay is at " + rs.getLong(1) + " of " + rs.getLong(2));
        }
      }
      Thread.sleep(100);
    }
  }

  /** Records of the topic until every id up to {@code head} has come (repeats included). */
  private static List<ConsumerRecord<String, byte[]>> readAtLeast(KafkaBroker kafka, long head) throws Exception {
    int want = (int) head;
    for (int round = 0; ; round++) {
      List<ConsumerRecord<String, byte[]>> records = kafka.read(TOPIC, want, Duration.ofSeconds(30));
      Set<String> ids = new HashSet<>();
      for (ConsumerRecord<String, byte[]> r : records) {
        ids.add(JSON.readTree(r.value()).get("id").asText());
      }
      if (ids.size() >= head || round == 3) {
        return records;
      }
      want = records.size() + (int) head - ids.size();
    }
  }

  /**
   * The UI spread over both: a browser session begun on one instance (cookie, CSRF token) is read,
   * refreshed and used for a write on the other; the CSRF check holds there too; signing out on one
   * ends the session on both (the revocation is in the database, not in either process).
   */
  private void browserSessionSpansBothHubs(int portA, int portB) throws Exception {
    HttpResponse<String> started = send(portA, null, "POST", "/api/v1/auth/session",
        JSON.writeValueAsString(Map.of("username", "admin", "password", PASSWORD)));
    ok(started);
    String cookie = sessionCookie(started);
    String csrf = JSON.readTree(started.body()).get("csrfToken").asText();

    HttpResponse<String> seen = sessionCall(portB, cookie, null, "GET", "/api/v1/auth/session", null);
    ok(seen);
    assertThat(JSON.readTree(seen.body()).get("username").asText()).isEqualTo("admin");
    assertThat(JSON.readTree(seen.body()).get("csrfToken").asText()).as("the same CSRF token on either instance").isEqualTo(csrf);
    HttpResponse<String> noCsrf = sessionCall(portB, cookie, null, "POST", "/api/v1/bags", "{\"code\":\"P2-5\"}");
    assertThat(noCsrf.statusCode()).as(noCsrf.body()).isEqualTo(403);
    assertThat(noCsrf.body()).contains("CSRF_INVALID");
    ok(sessionCall(portB, cookie, csrf, "POST", "/api/v1/bags", "{\"code\":\"P2-5\"}"));

    HttpResponse<String> refreshed = sessionCall(portB, cookie, csrf, "POST", "/api/v1/auth/session/refresh", null);
    ok(refreshed);
    String next = sessionCookie(refreshed);
    String nextCsrf = JSON.readTree(refreshed.body()).get("csrfToken").asText();
    ok(sessionCall(portA, next, null, "GET", "/api/v1/bags/P2-5", null));

    assertThat(sessionCall(portA, next, nextCsrf, "DELETE", "/api/v1/auth/session", null).statusCode()).isEqualTo(204);
    assertThat(sessionCall(portB, next, null, "GET", "/api/v1/auth/session", null).statusCode())
        .as("signed out on A, refused on B").isEqualTo(401);
  }

  private static String sessionCookie(HttpResponse<String> res) {
    return res.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("tt_session=")).findFirst()
        .map(c -> c.substring(0, c.indexOf(';'))).orElseThrow(() -> new AssertionError("no session cookie: " + res.headers()));
  }

  private HttpResponse<String> sessionCall(int port, String cookie, String csrf, String method, String path, String body)
      throws java.io.IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("Cookie", cookie)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String signIn(int port) throws Exception {
    HttpResponse<String> res = send(port, null, "POST", "/api/v1/auth/token",
        JSON.writeValueAsString(Map.of("username", "admin", "password", PASSWORD)));
    ok(res);
    return JSON.readTree(res.body()).get("access_token").asText();
  }

  private static void ok(HttpResponse<String> res) {
    assertThat(res.statusCode()).as(res.uri() + ": " + res.body()).isBetween(200, 299);
  }

  private HttpResponse<String> post(int port, String token, String path, String body) throws Exception {
    return send(port, token, "POST", path, body);
  }

  private HttpResponse<String> get(int port, String token, String path) throws Exception {
    return send(port, token, "GET", path, null);
  }

  private HttpResponse<String> send(int port, String token, String method, String path, String body)
      throws java.io.IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
