package io.tracetrack.hub.sync;

import io.tracetrack.web.testing.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.hub.HubTestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The edge's {@code enroll} command as a dock runs it: the real edge jar as its own process, against
 * a real hub on a real database. Exit codes are the contract a launcher script reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockEnrolmentIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private HubTestServer server;

  /** A finished edge process: exit code and output. */
  record Run(int exit, String stdout, String stderr) {}

  @BeforeAll
  void start() throws Exception {
    server = HubTestServer.start("h2");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void enroll_storesAnOwnerOnlyCredential_thatTheHubAccepts_andStatusShowsIt() throws Exception {
    Path data = Files.createTempDirectory("edge-enrol-");
    String code = register("DOCK-7");
    String hub = server.uri("").toString();
    Run run = edge(null, "enroll", "--data", data.toString(), "--hub", hub, "--code", code);
    assertThat(run.exit()).as(run.stderr()).isZero();
    List<String> lines = run.stdout().lines().toList();
    assertThat(lines).hasSize(1);
    JsonNode out = JSON.readTree(lines.getFirst());
    assertThat(out.get("dock").asText()).isEqualTo("DOCK-7");
    assertThat(out.get("hub").asText()).isEqualTo(hub);
    String edgeId = out.get("edgeId").asText();

    Path file = data.resolve("hub-credential.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    JsonNode stored = JSON.readTree(Files.readString(file));
    HubTestServer.Answer hello = server.send("GET", "/api/v1/sync/hello", stored.get("credential").asText(), null, null);
    assertThat(hello.status()).as(hello.text()).isEqualTo(200);
    assertThat(hello.json().get("edgeId").asText()).isEqualTo(edgeId);
    assertThat(hello.json().get("dock").asText()).isEqualTo("DOCK-7");

    // the edge took on the hub's dock name (it had none of its own scans yet)
    Run status = edge(null, "status", "--data", data.toString());
    JsonNode s = JSON.readTree(status.stdout());
    assertThat(s.get("dock").asText()).isEqualTo("DOCK-7");
    assertThat(s.get("hub").asText()).isEqualTo(hub);
    assertThat(s.get("enrolled").asBoolean()).isTrue();

    // the same code again: used, exit 77, nothing replaced
    Run again = edge(null, "enroll", "--data", data.toString(), "--hub", hub, "--code", code);
    assertThat(again.exit()).isEqualTo(77);
    assertThat(again.stderr()).contains("ENROLLMENT_CODE_USED");
    assertThat(JSON.readTree(Files.readString(file)).get("credential").asText()).isEqualTo(stored.get("credential").asText());
  }

  @Test
  void aWrongCode_exits77_andAnUnreachableHub69_andABadUrl64_keepingNothing() throws Exception {
    Path data = Files.createTempDirectory("edge-enrol-");
    String hub = server.uri("").toString();
    Run wrong = edge(null, "enroll", "--data", data.toString(), "--hub", hub, "--code", "not-a-real-code-at-all");
    assertThat(wrong.exit()).as(wrong.stderr()).isEqualTo(77);
    assertThat(wrong.stderr()).contains("ENROLLMENT_CODE_INVALID");
    // a first enrolment that failed leaves no edge.db behind (issue #16 item 7)
    assertThat(data.resolve("edge.db")).doesNotExist();
    assertThat(data.resolve("edge.db-wal")).doesNotExist();

    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String code = register("DOCK-8");
    Run unreachable = edge(null, "enroll", "--data", data.toString(), "--hub", "http://127.0.0.1:" + closedPort, "--code", code);
    assertThat(unreachable.exit()).as(unreachable.stderr()).isEqualTo(69);
    assertThat(data.resolve("edge.db")).doesNotExist();

    Run badUrl = edge(null, "enroll", "--data", data.toString(), "--hub", "ftp://hub.example", "--code", code);
    assertThat(badUrl.exit()).as(badUrl.stderr()).isEqualTo(64);
    Run noCode = edge(null, "enroll", "--data", data.toString(), "--hub", hub);
    assertThat(noCode.exit()).as(noCode.stderr()).isEqualTo(64);

    assertThat(data.resolve("hub-credential.json")).doesNotExist();
    // the code survived the failed attempts: the hub never saw it used
    Run ok = edge(null, "enroll", "--data", data.toString(), "--hub", hub, "--code", code);
    assertThat(ok.exit()).as(ok.stderr()).isZero();
  }

  @Test
  void aFolderHoldingAnotherDocksScans_isNotRenamed() throws Exception {
    Path data = Files.createTempDirectory("edge-enrol-");
    Run scan = edge("P1001-5\n", "scan", "--data", data.toString(), "--dock", "DOCK-1", "--user", "nina", "--station", "s1");
    assertThat(scan.exit()).as(scan.stderr()).isZero();
    String code = register("DOCK-9");
    Run run = edge(null, "enroll", "--data", data.toString(), "--hub", server.uri("").toString(), "--code", code);
    assertThat(run.exit()).as(run.stderr()).isEqualTo(78);
    assertThat(run.stderr()).contains("DOCK-1").contains("DOCK-9");
    assertThat(data.resolve("hub-credential.json")).doesNotExist();
    JsonNode status = JSON.readTree(edge(null, "status", "--data", data.toString()).stdout());
    assertThat(status.get("dock").asText()).isEqualTo("DOCK-1");
    assertThat(status.get("enrolled").asBoolean()).isFalse();
  }

  private String register(String name) {
    HubTestServer.Answer res = server.send("POST", "/api/v1/docks", server.adminToken(), "application/json",
        "{\"name\":\"" + name + "\",\"area\":\"NORTH\"}");
    assertThat(res.status()).as(res.text()).isEqualTo(201);
    return res.json().get("enrollmentCode").asText();
  }

  private static Run edge(String stdin, String... args) throws IOException, InterruptedException {
    String jar = System.getProperty("edge.jar");
    assertThat(jar).as("edge.jar system property (set by failsafe)").isNotNull();
    assertThat(Path.of(jar)).as("the edge jar, built before the hub by the reactor").isRegularFile();
    List<String> command = List.of(args);
    Path out = Files.createTempFile("edge-out-", ".txt");
    Path err = Files.createTempFile("edge-err-", ".txt");
    Process p = ChildJvm.start(Path.of(jar), ChildJvm.commandKind(command), command, builder -> {
      builder.environment().keySet().removeIf(k -> k.startsWith("EDGE_"));
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    });
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    // a safety net against a hung process, not a timing assertion
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("edge did not exit: " + command);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
