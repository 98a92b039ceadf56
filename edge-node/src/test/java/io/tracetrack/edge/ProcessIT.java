package io.tracetrack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

/** The real jar, as an operator or a scanner script meets it: exit codes, messages, stdin/stdout. */
class ProcessIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  private static List<JsonNode> json(List<String> lines) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : lines) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  private EdgeProcess scan(String user, Map<String, String> env) throws Exception {
    return EdgeProcess.start(env, "scan", "--data", data.toString(), "--station", "t1", "--user", user);
  }

  @Test
  void terminalCapture_issueExample() throws Exception {
    EdgeProcess p = scan("asha", Map.of());
    assertThat(p.feedAndWait("P1001-3\nC1\nC2\nC3\nC4\n")).as(p.stderr()).isZero();
    List<JsonNode> out = json(p.stdoutLines());
    assertThat(out).extracting(n -> n.get("code").asText()).containsExactly("P1001-3", "C1", "C2", "C3", "C4");
    assertThat(out).extracting(n -> n.get("accepted").asBoolean()).containsExactly(true, true, true, true, false);
    assertThat(out.get(3).get("complete").asBoolean()).isTrue();
    assertThat(out.get(4).get("reason").asText()).isEqualTo("PARENT_COMPLETE");
    assertThat(out.get(4).get("parent").asText()).isEqualTo("P1001-3");
    assertThat(out.get(4).get("count").asInt()).isEqualTo(3);
    assertThat(out.get(4).get("limit").asInt()).isEqualTo(3);
  }

  static List<Object[]> terminalHostileInputs() {
    // tab, CR and LF frame scans on a terminal by design, so inputs containing them are not one line
    return HostileInputs.table().map(a -> a.get())
        .filter(a -> !((String) a[1]).matches("(?s).*[\t\r\n].*"))
        .toList();
  }

  /**
   * Every hostile line through one terminal process, each followed by a good scan: the process
   * must survive them all in a row (a stronger check than a fresh process per line, and one JVM
   * start instead of twenty).
   */
  @Test
  void terminalCapture_hostileLines_eachGetsAClearRejection_storesNothing_nextScanWorks() throws Exception {
    List<Object[]> cases = terminalHostileInputs();
    StringBuilder feed = new StringBuilder("P5-30\n");
    for (int i = 0; i < cases.size(); i++) {
      feed.append((String) cases.get(i)[1]).append('\n').append("C").append(1000 + i).append('\n');
    }
    EdgeProcess p = scan("asha", Map.of());
    assertThat(p.feedAndWait(feed.toString())).as(p.stderr()).isZero();
    List<JsonNode> out = json(p.stdoutLines());
    assertThat(out).hasSize(1 + 2 * cases.size());
    SoftAssertions softly = new SoftAssertions();
    for (int i = 0; i < cases.size(); i++) {
      String name = (String) cases.get(i)[0];
      JsonNode refused = out.get(1 + 2 * i);
      JsonNode next = out.get(2 + 2 * i);
      softly.assertThat(refused.get("accepted").asBoolean()).as(name).isFalse();
      softly.assertThat(refused.get("reason").asText()).as(name).isEqualTo("INVALID_CODE");
      softly.assertThat(refused.get("detail").asText()).as(name).isEqualTo(cases.get(i)[2]);
      softly.assertThat(next.get("code").asText()).as(name + ": the next scan").isEqualTo("C" + (1000 + i));
      softly.assertThat(next.get("accepted").asBoolean()).as(name + ": the next scan").isTrue();
    }
    softly.assertAll();
    assertThat(TestEdge.count(data.resolve("edge.db"), "select count(*) from bag")).isEqualTo(1 + cases.size());
    assertThat(TestEdge.count(data.resolve("edge.db"), "select count(*) from outbox")).isEqualTo(1 + cases.size());
  }

  @Test
  void unwritableDataFolder_clearMessageAndExit73() throws Exception {
    EdgeProcess p = EdgeProcess.start(Map.of(), "status", "--data", "/proc/tracetrack-test/data");
    assertThat(p.waitForExit()).isEqualTo(73);
    assertThat(p.stderr()).contains("cannot create data folder");
  }

  @Test
  void corruptDatabase_clearMessageAndExit65_fileUntouched() throws Exception {
    Path db = data.resolve("edge.db");
    Files.write(db, "PK\u0003\u0004 this is a zip, not a database".repeat(50).getBytes());
    String before = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(db)));
    EdgeProcess p = EdgeProcess.start(Map.of(), "serve", "--data", data.toString(), "--port", "0");
    assertThat(p.waitForExit()).isEqualTo(65);
    assertThat(p.stderr()).contains("not a SQLite database").contains("left untouched");
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(db)))).isEqualTo(before);
  }

  @Test
  void secondServerOnTheSameFolder_clearMessageAndExit75() throws Exception {
    try (EdgeProcess first = EdgeProcess.server(data)) {
      EdgeProcess second = EdgeProcess.start(Map.of(), "serve", "--data", data.toString(), "--port", "0");
      assertThat(second.waitForExit()).isEqualTo(75);
      assertThat(second.stderr()).contains("locked by another process");
      assertThat(first.process.isAlive()).isTrue();
    }
  }

  @Test
  void databaseLockedByAnotherProcess_scansAreNotRecorded_andSaySo_thenWorkAgain() throws Exception {
    EdgeProcess setup = scan("asha", Map.of());
    assertThat(setup.feedAndWait("P8-5\n")).isZero();
    try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("edge.db"));
        Statement s = holder.createStatement()) {
      s.execute("BEGIN EXCLUSIVE");
      s.execute("update edge_meta set dock = dock");
      EdgeProcess blocked = scan("asha", Map.of("EDGE_BUSY_TIMEOUT_MS", "300"));
      assertThat(blocked.feedAndWait("P9-5\nC91\n")).isEqualTo(75);
      List<JsonNode> out = json(blocked.stdoutLines());
      assertThat(out).hasSize(2).allSatisfy(n -> {
        assertThat(n.get("accepted").asBoolean()).isFalse();
        assertThat(n.get("reason").asText()).isEqualTo("STORE_UNAVAILABLE");
        assertThat(n.get("message").asText()).contains("NOT RECORDED").contains("locked by another process");
      });
      assertThat(blocked.stderr()).contains("NOT recorded");
      s.execute("ROLLBACK");
    }
    assertThat(TestEdge.count(data.resolve("edge.db"), "select count(*) from bag where code = 'P9-5'")).isZero();
    EdgeProcess after = scan("asha", Map.of());
    assertThat(after.feedAndWait("P9-5\nC91\n")).isZero();
    assertThat(json(after.stdoutLines())).allSatisfy(n -> assertThat(n.get("accepted").asBoolean()).isTrue());
  }

  @Test
  void badFlag_exit64_withUsageHint() throws Exception {
    EdgeProcess p = EdgeProcess.start(Map.of(), "--port", "99999");
    assertThat(p.waitForExit()).isEqualTo(64);
    assertThat(p.stderr()).contains("--port must be between 0 and 65535");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"", "serve", "scan", "users", "status", "enroll", "sync",
      "generate-completion"})
  void help_onEveryCommand_exit0_usageOnStandardOutput(String command) throws Exception {
    List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command));
    args.add("--help");
    EdgeProcess p = EdgeProcess.start(Map.of(), args.toArray(String[]::new));
    assertThat(p.waitForExit()).as(p.stderr()).isZero();
    assertThat(String.join("\n", p.stdoutLines())).startsWith(("Usage: edge-node " + command).strip()).contains("--help");
    assertThat(p.stderr()).doesNotContain("Exception");
  }

  @Test
  void unknownFlag_orBadVariable_exit64_withOneLineNamingTheHelp() throws Exception {
    EdgeProcess unknown = EdgeProcess.start(Map.of(), "status", "--frobnicate");
    assertThat(unknown.waitForExit()).isEqualTo(64);
    assertThat(unknown.stderr()).isEqualTo("edge-node: Unknown option: '--frobnicate' (see 'edge-node status --help')\n");
    EdgeProcess badVariable = EdgeProcess.start(Map.of("EDGE_PORT", "eighty"), "serve", "--data", data.toString());
    assertThat(badVariable.waitForExit()).isEqualTo(64);
    assertThat(badVariable.stderr())
        .isEqualTo("edge-node: --port must be a whole number: eighty; set by EDGE_PORT (see 'edge-node serve --help')\n");
  }

  @Test
  void usersAdd_thenPageSignInNeedsThatPassword() throws Exception {
    EdgeProcess add = EdgeProcess.start(Map.of(), "users", "add", "dina", "--data", data.toString(), "--password-stdin");
    assertThat(add.feedAndWait("Dina-secret-1\n")).as(add.stderr()).isZero();
    EdgeProcess list = EdgeProcess.start(Map.of(), "users", "list", "--data", data.toString());
    assertThat(list.waitForExit()).isZero();
    assertThat(String.join("\n", list.stdoutLines())).contains("dina").contains("DISPATCHER").contains("password set");
    EdgeProcess weak = EdgeProcess.start(Map.of(), "users", "add", "weak", "--data", data.toString(), "--password-stdin");
    assertThat(weak.feedAndWait("short\n")).isEqualTo(64);
    assertThat(weak.stderr()).contains("at least 12");
  }

  private static java.net.http.HttpResponse<String> post(int port, String path, String json, String bearer) throws Exception {
    var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return java.net.http.HttpClient.newHttpClient().send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void usersDisableAndPasswd_fromTheCli_endARunningServersSessions_andATerminalUserNeedsAPassword() throws Exception {
    EdgeProcess term = scan("termu", Map.of());
    assertThat(term.feedAndWait("")).as(term.stderr()).isZero(); // creates termu without a password
    try (EdgeProcess server = EdgeProcess.server(data)) {
      int port = server.port();
      var claim = post(port, "/api/session", "{\"station\":\"s1\",\"user\":\"termu\",\"password\":\"mine-now-123\"}", null);
      assertThat(claim.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(claim.body()).get("code").asText()).isEqualTo("NO_PASSWORD");

      EdgeProcess passwd = EdgeProcess.start(Map.of(), "users", "passwd", "termu", "--data", data.toString(), "--password-stdin");
      assertThat(passwd.feedAndWait("termu-secret-1\n")).as(passwd.stderr()).isZero();
      var signIn = post(port, "/api/session", "{\"station\":\"s1\",\"user\":\"termu\",\"password\":\"termu-secret-1\"}", null);
      assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
      String token = JSON.readTree(signIn.body()).get("token").asText();
      assertThat(post(port, "/api/scan", "{\"code\":\"P1-3\"}", token).statusCode()).isEqualTo(200);

      EdgeProcess disable = EdgeProcess.start(Map.of(), "users", "disable", "termu", "--data", data.toString());
      assertThat(disable.waitForExit()).as(disable.stderr()).isZero();
      var after = post(port, "/api/scan", "{\"code\":\"C1\"}", token);
      assertThat(after.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(after.body()).get("code").asText()).isEqualTo("NOT_SIGNED_IN");

      EdgeProcess list = EdgeProcess.start(Map.of(), "users", "list", "--data", data.toString());
      assertThat(list.waitForExit()).isZero();
      assertThat(String.join("\n", list.stdoutLines())).contains("termu").contains("password set").contains("disabled");
      EdgeProcess unknown = EdgeProcess.start(Map.of(), "users", "disable", "nobody", "--data", data.toString());
      assertThat(unknown.waitForExit()).isEqualTo(64);
      assertThat(unknown.stderr()).contains("nobody is not known");
    }
  }

  @Test
  void status_printsEdgeIdDockPendingOpsAndLastSeq() throws Exception {
    EdgeProcess s = scan("asha", Map.of());
    s.feedAndWait("P3-3\nC31\n");
    EdgeProcess p = EdgeProcess.start(Map.of(), "status", "--data", data.toString(), "--dock", "DOCK-9");
    assertThat(p.waitForExit()).isZero();
    JsonNode status = JSON.readTree(p.stdoutLines().getFirst());
    assertThat(status.get("edgeId").asText()).startsWith("edge-");
    assertThat(status.get("dock").asText()).isEqualTo("DOCK-9");
    assertThat(status.get("pendingOps").asInt()).isEqualTo(2);
    assertThat(status.get("lastSeq").asInt()).isEqualTo(2);
  }
}
