package io.tracetrack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.sync.OpCodec;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.Op;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 5 on the edge: a real edge process is scanned into continuously from two stations and
 * killed with SIGKILL at a random moment, several times. Every scan acknowledged before a kill must
 * be in the database afterwards, and nothing may be half-written (a link without its op, an op
 * without its link, a parent count that disagrees with its children, a gap in the outbox).
 */
class KillIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROUNDS = 4;

  @TempDir Path data;

  /** child → parent for every link the edge acknowledged (HTTP 200, accepted:true). */
  private final Map<String, String> acknowledgedLinks = new ConcurrentHashMap<>();
  private final Set<String> acknowledgedParents = ConcurrentHashMap.newKeySet();

  @Test
  void everyAcknowledgedScanSurvivesSigkill_andNothingIsHalfWritten() throws Exception {
    Random random = new Random(42);
    for (int round = 1; round <= ROUNDS; round++) {
      try (EdgeProcess edge = EdgeProcess.server(data)) {
        int port = edge.port();
        List<Thread> scanners = new ArrayList<>();
        for (int station = 1; station <= 2; station++) {
          String token = signIn(port, "r" + round + "s" + station);
          int r = round;
          int s = station;
          scanners.add(Thread.ofPlatform().start(() -> scanUntilDead(port, token, r, s)));
        }
        Thread.sleep(400 + random.nextInt(900));
        edge.kill();
        for (Thread t : scanners) {
          t.join(30_000);
        }
      }
    }
    assertThat(acknowledgedLinks).as("the test must actually have scanned").hasSizeGreaterThan(50);
    // one more clean start proves the store opens after the last kill
    try (EdgeProcess edge = EdgeProcess.server(data)) {
      assertThat(edge.port()).isPositive();
    }
    verifyStore();
  }

  private String signIn(int port, String station) throws Exception {
    HttpResponse<String> res = post(port, "/api/session",
        "{\"station\":\"" + station + "\",\"user\":\"killer\",\"password\":\"Kill-test-password-1\"}", null);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body()).get("token").asText();
  }

  private void scanUntilDead(int port, String token, int round, int station) {
    try {
      int parentNo = 0;
      int childNo = 0;
      while (true) {
        String parent = "P" + round + station + (parentNo++) + "-30";
        if (!scan(port, token, parent)) {
          return;
        }
        acknowledgedParents.add(parent);
        for (int i = 0; i < 30; i++) {
          String child = "C" + round + station + String.format("%05d", childNo++);
          JsonNode r = scanJson(port, token, child);
          if (r == null) {
            return;
          }
          if (r.get("accepted").asBoolean()) {
            acknowledgedLinks.put(child, parent);
          }
        }
      }
    } catch (Exception e) {
      // the process was killed under us: expected
    }
  }

  private boolean scan(int port, String token, String code) throws Exception {
    JsonNode r = scanJson(port, token, code);
    return r != null && r.get("accepted").asBoolean();
  }

  private JsonNode scanJson(int port, String token, String code) {
    try {
      HttpResponse<String> res = post(port, "/api/scan", "{\"code\":\"" + code + "\"}", token);
      return res.statusCode() == 200 ? JSON.readTree(res.body()) : null;
    } catch (Exception e) {
      return null; // no answer means not acknowledged
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static HttpResponse<String> post(int port, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void verifyStore() throws Exception {
    OpCodec codec = new OpCodec();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("edge.db"));
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("ok");
      }
      Map<String, String> linked = new HashMap<>();
      Map<String, Long> linkSeq = new HashMap<>();
      try (ResultSet rs = s.executeQuery("select code, parent_code, link_seq from bag where parent_code is not null")) {
        while (rs.next()) {
          linked.put(rs.getString(1), rs.getString(2));
          linkSeq.put(rs.getString(1), rs.getLong(3));
        }
      }
      // 1. every acknowledged link is there, on the acknowledged parent
      assertThat(linked).containsAllEntriesOf(acknowledgedLinks);
      Set<String> parents = new java.util.HashSet<>();
      try (ResultSet rs = s.executeQuery("select code from bag where role = 'PARENT'")) {
        while (rs.next()) {
          parents.add(rs.getString(1));
        }
      }
      assertThat(parents).containsAll(acknowledgedParents);
      // 2. counters agree with the links
      try (ResultSet rs = s.executeQuery("select p.code, p.child_count, (select count(*) from bag c where c.parent_code = p.code) "
          + "from bag p where p.role = 'PARENT'")) {
        while (rs.next()) {
          assertThat(rs.getInt(2)).as("child_count of " + rs.getString(1)).isEqualTo(rs.getInt(3)).isLessThanOrEqualTo(30);
        }
      }
      // 3. the outbox has no gap, and the meta row agrees with it
      long maxSeq;
      try (ResultSet rs = s.executeQuery("select count(*), min(seq), max(seq) from outbox")) {
        rs.next();
        assertThat(rs.getLong(2)).isEqualTo(1);
        assertThat(rs.getLong(1)).isEqualTo(rs.getLong(3));
        maxSeq = rs.getLong(3);
      }
      try (ResultSet rs = s.executeQuery("select seq_floor from edge_meta")) {
        rs.next();
        assertThat(rs.getLong(1)).isLessThanOrEqualTo(maxSeq);
      }
      // the HLC stamps rise with seq: the clock survived every kill without going backwards
      try (ResultSet rs = s.executeQuery("select count(*) from outbox a join outbox b on b.seq = a.seq + 1 "
          + "where b.hlc_wall < a.hlc_wall or (b.hlc_wall = a.hlc_wall and b.hlc_logical <= a.hlc_logical)")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
      // 4. every link has its LINK op and every LINK op its link (no undo here, so one-to-one)
      Map<Long, Op> ops = new HashMap<>();
      try (ResultSet rs = s.executeQuery("select seq, op_json from outbox")) {
        while (rs.next()) {
          OpEnvelope envelope = codec.decode(rs.getString(2));
          assertThat(envelope.id().seq()).isEqualTo(rs.getLong(1));
          ops.put(rs.getLong(1), envelope.op());
        }
      }
      for (Map.Entry<String, String> link : linked.entrySet()) {
        assertThat(ops.get(linkSeq.get(link.getKey()))).isEqualTo(new Op.Link(link.getValue(), link.getKey()));
      }
      assertThat(ops.values().stream().filter(o -> o instanceof Op.Link).count()).isEqualTo(linked.size());
      assertThat(ops.values().stream().filter(o -> o instanceof Op.CreateParent).count()).isEqualTo(parents.size());
    }
  }
}
