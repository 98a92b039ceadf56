package io.tracetrack.edge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.SnapshotLine;
import io.tracetrack.sync.WireCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The hub client against a tiny real HTTP server (the JDK's) serving canned protocol bytes and
 * faults: it is a test of the client, so the "hub" here is only bytes on a socket.
 */
class HubClientTest {

  static final WireCodec CODEC = new WireCodec();
  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  /** Short enough that a fault test does not sit long; the faults below are far longer. */
  static final HubClient.Timeouts SHORT =
      new HubClient.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));

  FakeHub hub;
  HubClient client;
  MemorySyncStore store = new MemorySyncStore("edge-0a0b0c0d0e0f", "DOCK-1", false);
  /** Holds fault handlers (slow answers) until the test is done, then lets them go. */
  CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
    client = new HubClient(hub.uri(), "edge-0a0b0c0d0e0f", "secret-credential", HttpClient.newBuilder()
        .connectTimeout(SHORT.connect()).followRedirects(HttpClient.Redirect.NEVER).build(), SHORT);
  }

  @AfterEach
  void stop() {
    release.countDown();
    hub.close();
  }

  PushBatch batch() {
    store.addLink("P1001-3", "C1", T0);
    store.addLink("P1001-3", "C2", T0);
    return store.nextBatch(500, "test").orElseThrow();
  }

  static String reply(long lastSeq, OpOutcome... outcomes) {
    return CODEC.encode(new PushReply(lastSeq, T0, List.of(outcomes)));
  }

  static String page(long next, long head, ChangeEntry... entries) {
    return CODEC.encode(new ChangePage(List.of(entries), next, head));
  }

  static ChangeEntry entry(long seq, String code) {
    return new ChangeEntry(seq, "bag.v1", code, T0, "admin", "{\"code\":\"" + code + "\"}");
  }

  static List<SnapshotLine> snapshot(int bags, long cursor) {
    List<SnapshotLine> lines = new ArrayList<>();
    lines.add(new SnapshotLine.Begin(cursor, bags, 0, 0));
    for (int i = 0; i < bags; i++) {
      lines.add(new SnapshotLine.BagRow("P" + (1000 + i) + "-3", "PARENT", 3, 3, 0, null, false, false));
    }
    lines.add(new SnapshotLine.End(cursor, bags));
    return lines;
  }

  static byte[] ndjson(List<SnapshotLine> lines) {
    StringBuilder out = new StringBuilder();
    for (SnapshotLine l : lines) {
      out.append(CODEC.encode(l)).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes);
    }
    return out.toByteArray();
  }

  @Nested
  class Push {

    @Test
    void push_ok_sendsTheBatchWithCredentialAndEdgeId_andDecodesTheReply() throws Exception {
      hub.onJson("/api/v1/sync/push", 200, reply(2, OpOutcome.applied(1), OpOutcome.rejected(2,
          io.tracetrack.model.ErrorCode.CHILD_ALREADY_LINKED, "C2 is in P2001-5", 7L)));
      PushBatch sent = batch();

      HubClient.Result<PushReply> result = client.push(sent);

      assertThat(result).isInstanceOfSatisfying(HubClient.Result.Ok.class, ok -> {
        PushReply r = (PushReply) ok.value();
        assertThat(r.lastSeq()).isEqualTo(2);
        assertThat(r.outcomes()).extracting(OpOutcome::status)
            .containsExactly(OpOutcome.Status.APPLIED, OpOutcome.Status.REJECTED);
        assertThat(r.outcomes().get(1).conflictId()).isEqualTo(7L);
      });
      FakeHub.Seen seen = hub.seen.poll(10, TimeUnit.SECONDS);
      assertThat(seen.method()).isEqualTo("POST");
      assertThat(seen.authorization()).isEqualTo("Bearer secret-credential");
      assertThat(seen.edgeId()).isEqualTo("edge-0a0b0c0d0e0f");
      assertThat(CODEC.decodePush(seen.body())).isEqualTo(sent);
    }

    @Test
    void push_revokedDock_isRefusedWithTheCode_andSaysTheCredentialIsNoGood() {
      hub.onJson("/api/v1/sync/push", 401, FakeHub.problem("DOCK_REVOKED", "dock DOCK-1 was revoked"));

      HubClient.Result<PushReply> result = client.push(batch());

      assertThat(result).isInstanceOfSatisfying(HubClient.Result.Refused.class, r -> {
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("DOCK_REVOKED");
        assertThat(r.detail()).isEqualTo("dock DOCK-1 was revoked");
        assertThat(r.credentialRefused()).isTrue();
      });
    }

    @Test
    void push_otherEdgesBatch_forbidden_isRefusedButNotACredentialProblem() {
      hub.onJson("/api/v1/sync/push", 403, FakeHub.problem("FORBIDDEN", "not your edge"));

      assertThat(client.push(batch())).isInstanceOfSatisfying(HubClient.Result.Refused.class,
          r -> assertThat(r.credentialRefused()).isFalse());
    }

    @Test
    void push_serverError_tooManyRequests_htmlError_garbage_areUnreachable() {
      PushBatch b = batch();
      hub.onJson("/api/v1/sync/push", 500, FakeHub.problem("INTERNAL_ERROR", "boom"));
      assertThat(client.push(b)).isInstanceOf(HubClient.Result.Unreachable.class);
      hub.onJson("/api/v1/sync/push", 429, FakeHub.problem("TOO_MANY_REQUESTS", "slow down"));
      assertThat(client.push(b)).isInstanceOf(HubClient.Result.Unreachable.class);
      hub.on("/api/v1/sync/push", ex -> FakeHub.send(ex, 404, "text/html", "<html>nginx</html>"));
      assertThat(client.push(b)).isInstanceOf(HubClient.Result.Unreachable.class);
      hub.on("/api/v1/sync/push", ex -> FakeHub.send(ex, 200, "application/json", "{\"not\":\"a reply\"}"));
      assertThat(client.push(b)).isInstanceOfSatisfying(HubClient.Result.Unreachable.class,
          u -> assertThat(u.why()).contains("not the sync protocol"));
      hub.on("/api/v1/sync/push", ex -> FakeHub.send(ex, 200, "application/json", "\u0000\u0001garbage"));
      assertThat(client.push(b)).isInstanceOf(HubClient.Result.Unreachable.class);
    }

    @Test
    void push_hubThatNeverAnswers_timesOut_asUnreachable() {
      hub.on("/api/v1/sync/push", ex -> release.await());

      assertThat(client.push(batch())).isInstanceOfSatisfying(HubClient.Result.Unreachable.class,
          u -> assertThat(u.why()).containsIgnoringCase("timed out"));
    }

    @Test
    void push_nothingListening_isUnreachable() throws IOException {
      int closed;
      try (ServerSocket s = new ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      HubClient nowhere = new HubClient(URI.create("http://127.0.0.1:" + closed), "edge-0a0b0c0d0e0f", "c",
          HttpClient.newHttpClient(), SHORT);

      // what the sync strip shows a dispatcher: what happened, not a Java class name
      assertThat(nowhere.push(batch())).isInstanceOfSatisfying(HubClient.Result.Unreachable.class,
          u -> assertThat(u.why()).isEqualTo("nothing answers at the hub's address (connection refused or no network)")
              .doesNotContain("Exception"));
    }

    @Test
    void push_unknownHostName_saysSo_inWords() {
      HubClient nowhere = new HubClient(URI.create("http://no-such-hub.invalid:8080"), "edge-0a0b0c0d0e0f", "c",
          HttpClient.newHttpClient(), SHORT);

      assertThat(nowhere.push(batch())).isInstanceOfSatisfying(HubClient.Result.Unreachable.class,
          u -> assertThat(u.why()).startsWith("the hub's host name is not known here (DNS)").doesNotContain("Exception"));
    }
  }

  @Nested
  class Changes {

    @Test
    void changes_asksAfterTheCursor_withLimitAndWait_andDecodesThePage() throws Exception {
      hub.onJson("/api/v1/sync/changes", 200, page(12, 40, entry(11, "P1001-3"), entry(12, "P1002-3")));

      HubClient.Result<HubClient.Pulled> result = client.changes(10, 1000, 0);

      assertThat(result).isInstanceOfSatisfying(HubClient.Result.Ok.class, ok -> {
        ChangePage p = ((HubClient.Pulled.Page) ok.value()).page();
        assertThat(p.entries()).extracting(ChangeEntry::key).containsExactly("P1001-3", "P1002-3");
        assertThat(p.next()).isEqualTo(12);
        assertThat(p.head()).isEqualTo(40);
      });
      FakeHub.Seen seen = hub.seen.poll(10, TimeUnit.SECONDS);
      assertThat(seen.query()).isEqualTo("after=10&limit=1000&waitMs=0");
      assertThat(seen.authorization()).isEqualTo("Bearer secret-credential");
    }

    @Test
    void changes_cursorTheHubNoLongerHolds_isSnapshotRequired() {
      hub.onJson("/api/v1/sync/changes", 410, FakeHub.problem("SNAPSHOT_REQUIRED", "the log starts at 5000"));

      assertThat(client.changes(3, 1000, 0)).isInstanceOfSatisfying(HubClient.Result.Ok.class,
          ok -> assertThat(ok.value()).isEqualTo(new HubClient.Pulled.SnapshotRequired("the log starts at 5000")));
    }

    @Test
    void changes_longPoll_waitsLongerThanThePushTimeout() {
      // the hub holds the call for the wait asked; the client must not give up before wait + margin
      hub.on("/api/v1/sync/changes", ex -> {
        Thread.sleep(800);
        FakeHub.send(ex, 200, "application/json", page(0, 0));
      });

      assertThat(client.changes(0, 1000, 3_000)).isInstanceOf(HubClient.Result.Ok.class);
    }
  }

  @Nested
  class Snapshot {

    @Test
    void snapshot_gzip_isStreamedLineByLine_inOrder() throws Exception {
      List<SnapshotLine> lines = snapshot(2_500, 77);
      byte[] body = gzip(ndjson(lines));
      hub.on("/api/v1/sync/snapshot", ex -> {
        ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      });
      List<SnapshotLine> got = new ArrayList<>();

      HubClient.Result<Long> result = client.snapshot(got::add);

      assertThat(result).isEqualTo(new HubClient.Result.Ok<>((long) lines.size()));
      assertThat(got).isEqualTo(lines);
      assertThat(hub.seen.poll(10, TimeUnit.SECONDS).acceptEncoding()).isEqualTo("gzip");
    }

    @Test
    void snapshot_plain_whenTheHubDoesNotCompress() {
      List<SnapshotLine> lines = snapshot(3, 5);
      hub.on("/api/v1/sync/snapshot", ex -> {
        byte[] body = ndjson(lines);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      });
      List<SnapshotLine> got = new ArrayList<>();

      assertThat(client.snapshot(got::add)).isEqualTo(new HubClient.Result.Ok<>(5L));
      assertThat(got).isEqualTo(lines);
    }

    @Test
    void snapshot_truncatedBeforeItsEnd_isUnreachable_afterHandingOnWhatCame() {
      List<SnapshotLine> lines = snapshot(10, 9);
      List<SnapshotLine> cut = lines.subList(0, 6);
      hub.on("/api/v1/sync/snapshot", ex -> {
        byte[] body = ndjson(cut);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      });
      List<SnapshotLine> got = new ArrayList<>();

      assertThat(client.snapshot(got::add)).isInstanceOfSatisfying(HubClient.Result.Unreachable.class,
          u -> assertThat(u.why()).contains("stopped short after 6 lines"));
      assertThat(got).isEqualTo(cut);
    }

    @Test
    void snapshot_garbageLine_isUnreachable() {
      hub.on("/api/v1/sync/snapshot", ex -> {
        byte[] body = (CODEC.encode(new SnapshotLine.Begin(1, 1, 0, 0)) + "\n{\"kind\":\"bag\",\"code\":5}\n")
            .getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      });

      assertThat(client.snapshot(l -> { })).isInstanceOfSatisfying(HubClient.Result.Unreachable.class,
          u -> assertThat(u.why()).contains("snapshot line 2"));
    }

    @Test
    void snapshot_streamThatStalls_isGivenUp_asUnreachable() {
      hub.on("/api/v1/sync/snapshot", ex -> {
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.write((CODEC.encode(new SnapshotLine.Begin(1, 1, 0, 0)) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        release.await();
      });
      List<SnapshotLine> got = new ArrayList<>();

      assertThat(client.snapshot(got::add)).isInstanceOfSatisfying(HubClient.Result.Unreachable.class,
          u -> assertThat(u.why()).contains("nothing came"));
      assertThat(got).hasSize(1);
    }

    @Test
    void snapshot_revokedDock_isRefused() {
      hub.onJson("/api/v1/sync/snapshot", 401, FakeHub.problem("DOCK_REVOKED", "revoked"));

      assertThat(client.snapshot(l -> { })).isInstanceOfSatisfying(HubClient.Result.Refused.class,
          r -> assertThat(r.code()).isEqualTo("DOCK_REVOKED"));
    }
  }

  @Test
  void ack_postsToTheConflictsAck_andTakes204() throws Exception {
    hub.on("/api/v1/sync/conflicts/42/ack", ex -> FakeHub.send(ex, 204, "application/json", ""));

    assertThat(client.ack(42)).isEqualTo(new HubClient.Result.Ok<>(42L));
    FakeHub.Seen seen = hub.seen.poll(10, TimeUnit.SECONDS);
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.authorization()).isEqualTo("Bearer secret-credential");
  }

  @Test
  void ack_otherDocksConflict_isRefused() {
    hub.onJson("/api/v1/sync/conflicts/43/ack", 404, FakeHub.problem("CONFLICT_NOT_FOUND", "no such conflict"));

    assertThat(client.ack(43)).isInstanceOfSatisfying(HubClient.Result.Refused.class,
        r -> assertThat(r.code()).isEqualTo("CONFLICT_NOT_FOUND"));
  }

  @Test
  void hello_readsDockAreaAndLastSeq_withTheCredential() throws Exception {
    hub.onJson("/api/v1/sync/hello", 200,
        "{\"dock\":\"DOCK-1\",\"area\":\"NORTH\",\"edgeId\":\"edge-0a0b0c0d0e0f\",\"hubTime\":\"2026-12-01T08:00:00Z\",\"lastSeq\":42}");

    assertThat(client.hello()).isEqualTo(new HubApi.Result.Ok<>(
        new HubApi.Hello("DOCK-1", "NORTH", "edge-0a0b0c0d0e0f", T0, 42L)));
    FakeHub.Seen seen = hub.seen.take();
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.authorization()).isEqualTo("Bearer secret-credential");
  }

  @Test
  void hello_hubWithoutLastSeqOrWithoutHello_isTolerated() {
    hub.onJson("/api/v1/sync/hello", 200, "{\"dock\":\"DOCK-1\"}");
    assertThat(client.hello()).isEqualTo(new HubApi.Result.Ok<>(new HubApi.Hello("DOCK-1", null, null, null, null)));
  }

  @Test
  void push_413WithoutAProblemBody_isARefusalOfThatBody_notUnreachable() {
    hub.on("/api/v1/sync/push", ex -> FakeHub.send(ex, 413, "text/plain", "too big"));

    assertThat(client.push(batch())).isInstanceOfSatisfying(HubApi.Result.Refused.class,
        r -> assertThat(r.status()).isEqualTo(413));
  }

  @Test
  void push_503WithRetryAfter_isUnreachable_withThePauseTheHubAskedFor() {
    hub.on("/api/v1/sync/push", ex -> {
      ex.getResponseHeaders().set("Retry-After", "20");
      FakeHub.send(ex, 503, "text/plain", "busy");
    });

    assertThat(client.push(batch())).isInstanceOfSatisfying(HubApi.Result.Unreachable.class,
        u -> assertThat(u.retryAfter()).isEqualTo(Duration.ofSeconds(20)));
  }
}
