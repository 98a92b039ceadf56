package io.tracetrack.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.edge.sync.DeviceCredential;
import io.tracetrack.edge.sync.FakeHub;
import io.tracetrack.edge.sync.HubClient;
import io.tracetrack.edge.sync.MemorySyncStore;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import io.tracetrack.sync.WireCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync --once} through the in-process entry ({@link Main#sync}): its exit codes and its one
 * JSON line. The sync store is the in-memory stand-in until the SQLite one (replica branch) is
 * merged; the hub is a real HTTP server with canned protocol answers.
 */
class SyncCommandTest {

  static final WireCodec CODEC = new WireCodec();
  static final HubClient.Timeouts SHORT =
      new HubClient.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));

  @TempDir Path dir;
  final TestClock clock = TestClock.atNoon();
  final MemorySyncStore store = new MemorySyncStore("edge-0a0b0c0d0e0f", "DOCK-1", false);
  FakeHub hub;

  @BeforeEach
  void start() throws Exception {
    hub = new FakeHub();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  EdgeConfig config(String... extra) {
    List<String> args = new ArrayList<>(List.of("sync", "--once", "--data", dir.toString()));
    args.addAll(List.of(extra));
    return EdgeConfig.parse(args.toArray(String[]::new), Map.of());
  }

  void enrolWith(String hubUrl) throws Exception {
    DeviceCredential.store(dir, hubUrl, "DOCK-1", store.edgeId, "secret");
  }

  ExitCode exitOf(EdgeConfig config) {
    try {
      return Main.sync(config, clock, db -> store, SHORT);
    } catch (StartupException e) {
      return e.exitCode();
    }
  }

  @Test
  void syncOnce_notEnrolled_exits78_withAClearMessage() {
    assertThatThrownBy(() -> Main.sync(config(), clock, db -> store, SHORT))
        .isInstanceOfSatisfying(StartupException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCode.CONFIG);
          assertThat(e.exitCode().code()).isEqualTo(78);
          assertThat(e.getMessage()).contains("not enrolled").contains("enroll --hub URL --code CODE");
        });
  }

  @Test
  void syncOnce_hubUnreachable_exits69_andKeepsEveryPendingOp() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    enrolWith("http://127.0.0.1:" + closed);
    store.addLink("P1001-3", "C1", clock.instant());
    store.addLink("P1001-3", "C2", clock.instant());

    assertThat(exitOf(config())).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(ExitCode.UNAVAILABLE.code()).isEqualTo(69);
    assertThat(store.status(clock.instant()).pendingOps()).isEqualTo(2);
    assertThat(store.status(clock.instant()).online()).isFalse();
  }

  @Test
  void syncOnce_revokedDock_exits77() throws Exception {
    enrolWith(hub.uri().toString());
    store.addLink("P1001-3", "C1", clock.instant());
    hub.onJson("/api/v1/sync/push", 401, FakeHub.problem("DOCK_REVOKED", "dock DOCK-1 was revoked"));

    assertThat(exitOf(config())).isEqualTo(ExitCode.NO_PERMISSION);
    assertThat(store.status(clock.instant()).pendingOps()).isEqualTo(1);
  }

  @Test
  void syncOnce_pushesEverything_pullsEverything_printsOneJsonLine_exits0() throws Exception {
    enrolWith(hub.uri().toString());
    for (int i = 1; i <= 620; i++) {
      store.addLink("P1001-999", "C" + i, clock.instant());
    }
    // the hub applies every op but refuses seq 3 (a conflict), and answers a resent op as DUPLICATE
    hub.on("/api/v1/sync/push", ex -> {
      PushBatch batch = CODEC.decodePush(FakeHub.body(ex));
      List<OpOutcome> outcomes = new ArrayList<>();
      for (OpEnvelope op : batch.ops()) {
        long seq = op.id().seq();
        outcomes.add(seq == 3 ? OpOutcome.rejected(seq, ErrorCode.CHILD_ALREADY_LINKED, "C3 is in P2001-5", 9L)
            : OpOutcome.applied(seq));
      }
      FakeHub.send(ex, 200, "application/json",
          CODEC.encode(new PushReply(batch.ops().getLast().id().seq(), clock.instant(), outcomes)));
    });
    hub.on("/api/v1/sync/changes", ex -> {
      String q = ex.getRequestURI().getRawQuery();
      assertThat(q).endsWith("waitMs=0"); // --once never long-polls
      ChangePage page = q.startsWith("after=0&")
          ? new ChangePage(List.of(entry(1), entry(2)), 2, 3)
          : new ChangePage(List.of(entry(3)), 3, 3);
      FakeHub.send(ex, 200, "application/json", CODEC.encode(page));
    });
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream before = System.out;
    ExitCode code;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      code = exitOf(config());
    } finally {
      System.setOut(before);
    }

    assertThat(code).isEqualTo(ExitCode.OK);
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(1);
    JsonNode out = new ObjectMapper().readTree(lines.getFirst());
    assertThat(out.properties()).extracting(Map.Entry::getKey)
        .containsExactly("pushed", "applied", "duplicates", "rejected", "pulled", "pendingOps", "openConflicts");
    assertThat(out.get("pushed").asInt()).isEqualTo(620);
    assertThat(out.get("applied").asInt()).isEqualTo(619);
    assertThat(out.get("rejected").asInt()).isEqualTo(1);
    assertThat(out.get("duplicates").asInt()).isZero();
    assertThat(out.get("pulled").asInt()).isEqualTo(3);
    assertThat(out.get("pendingOps").asInt()).isZero();
    assertThat(out.get("openConflicts").asInt()).isEqualTo(1);
  }

  @Test
  void syncResnapshot_loadsAWholeSnapshotFirst_thenSyncsOnce_exits0() throws Exception {
    enrolWith(hub.uri().toString());
    hub.on("/api/v1/sync/snapshot", ex -> FakeHub.send(ex, 200, "application/x-ndjson",
        CODEC.encode(new io.tracetrack.sync.SnapshotLine.Begin(5, 0, 0, 0)) + "\n"
            + CODEC.encode(new io.tracetrack.sync.SnapshotLine.End(5, 0)) + "\n"));
    hub.on("/api/v1/sync/changes", ex -> FakeHub.send(ex, 200, "application/json",
        CODEC.encode(new ChangePage(List.of(), 5, 5))));
    EdgeConfig config = EdgeConfig.parse(new String[] {"sync", "--resnapshot", "--data", dir.toString()}, Map.of());
    assertThat(store.needsSnapshot()).isFalse();
    ExitCode code;
    PrintStream before = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      code = exitOf(config);
    } finally {
      System.setOut(before);
    }

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(config.resnapshot()).isTrue();
    assertThat(hub.seen).anyMatch(s -> s.path().equals("/api/v1/sync/snapshot"));
    assertThat(store.needsSnapshot()).isFalse();
  }

  @Test
  void sync_withoutOnce_orOnceWithAValue_isAUsageError() {
    assertThatThrownBy(() -> EdgeConfig.parse(new String[] {"sync", "--data", dir.toString()}, Map.of()))
        .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    assertThatThrownBy(() -> EdgeConfig.parse(new String[] {"sync", "--once=yes", "--data", dir.toString()}, Map.of()))
        .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
  }

  static ChangeEntry entry(long seq) {
    return new ChangeEntry(seq, "bag.v1", "P" + seq + "-3", java.time.Instant.parse("2026-12-01T08:00:00Z"), "admin",
        "{\"code\":\"P" + seq + "-3\"}");
  }
}
