package io.tracetrack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;

/**
 * One dock: the real edge jar serving its own data folder, enrolled with the hub through its
 * {@link FaultProxy}. Its station is driven over HTTP; a kill is SIGKILL, a restart serves the same
 * folder on a new port.
 */
final class EdgeNode implements AutoCloseable {

  private static final Pattern STATION_URL = Pattern.compile("Station page: http://127\\.0\\.0\\.1:(\\d+)/");

  final String name;
  final Path data;
  final FaultProxy proxy;
  private final Path jar;
  private final Path log;
  private final Http http;
  private Process process;
  private volatile int port = -1;
  private volatile String token;
  String edgeId;
  String credential;

  EdgeNode(String name, Path root, FaultProxy proxy, Path jar, Http http) throws IOException {
    this.name = name;
    this.data = Files.createDirectories(root.resolve(name.toLowerCase(java.util.Locale.ROOT)));
    this.log = root.resolve(name.toLowerCase(java.util.Locale.ROOT) + ".log");
    this.proxy = proxy;
    this.jar = jar;
    this.http = http;
  }

  Path log() {
    return log;
  }

  /** {@code enroll --hub <its proxy> --code CODE}; throws with the edge's words when it fails. */
  void enroll(String code) throws Exception {
    Processes.Started s = Processes.start(jar, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), List.of("enroll", "--data", data.toString(), "--hub", proxy.url(),
        "--code", code), "EDGE_", Map.of(), log, null);
    if (!s.process().waitFor(2, TimeUnit.MINUTES)) {
      s.process().destroyForcibly();
      throw new IllegalStateException(name + ": enroll did not finish");
    }
    if (s.process().exitValue() != 0) {
      throw new IllegalStateException(name + ": enroll exited " + s.process().exitValue() + ":\n" + Processes.tail(log, 20));
    }
    JsonNode stored = Http.JSON.readTree(Files.readString(data.resolve("hub-credential.json")));
    edgeId = stored.get("edgeId").asText();
    credential = stored.get("credential").asText();
  }

  /** {@code serve} on the data folder; returns once the station page listens. */
  synchronized void start() throws Exception {
    Processes.Started s = Processes.start(jar, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"),
        List.of("serve", "--data", data.toString(), "--port", "0", "--bounce-ms", "0"), "EDGE_", Map.of(), log, STATION_URL);
    process = s.process();
    try {
      port = s.port().get(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not start; its log ends:\n" + Processes.tail(log, 40), e);
    }
  }

  /** SIGKILL: no shutdown hook, as a power cut to the process. */
  synchronized void kill() throws InterruptedException {
    port = -1;
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  /** Copies the database files aside (the edge must be stopped: a copy of a live SQLite file is not a backup). */
  void backUp() throws IOException {
    Path backup = Files.createDirectories(data.resolveSibling(data.getFileName() + "-backup"));
    for (String f : List.of("edge.db", "edge.db-wal", "edge.db-shm")) {
      Files.deleteIfExists(backup.resolve(f));
      if (Files.exists(data.resolve(f))) {
        Files.copy(data.resolve(f), backup.resolve(f));
      }
    }
  }

  /** Puts the backup's files back in place of the database (the edge must be stopped). */
  void restore() throws IOException {
    Path backup = data.resolveSibling(data.getFileName() + "-backup");
    for (String f : List.of("edge.db", "edge.db-wal", "edge.db-shm")) {
      Files.deleteIfExists(data.resolve(f));
      if (Files.exists(backup.resolve(f))) {
        Files.copy(backup.resolve(f), data.resolve(f));
      }
    }
  }

  boolean up() {
    return port > 0;
  }

  private String url(String path) throws java.net.ConnectException {
    int p = port;
    if (p <= 0) {
      throw new java.net.ConnectException(name + " is down");
    }
    return "http://127.0.0.1:" + p + path;
  }

  /** Signs the dispatcher in at a station of this dock. */
  void signIn(String station, String user, String password) throws IOException, InterruptedException {
    Http.Reply r = http.call("POST", url("/api/session"), null, Map.of("station", station, "user", user, "password", password));
    if (r.status() != 200) {
      throw new IOException(name + " sign-in refused: " + r.status() + " " + r.body());
    }
    if (r.json().path("created").asBoolean()) {
      throw new IllegalStateException(name + " made a new local user instead of signing in the hub's dispatcher");
    }
    token = r.json().get("token").asText();
  }

  /** One scan as a scanner sends it; a 401 (the session is gone) is the caller's to answer. */
  Http.Reply scan(String code) throws IOException, InterruptedException {
    return http.call("POST", url("/api/scan"), token, Map.of("code", code), Map.of(), Duration.ofSeconds(20));
  }

  JsonNode status() throws IOException, InterruptedException {
    Http.Reply r = http.call("GET", url("/api/status"), null, null, Map.of(), Duration.ofSeconds(10));
    if (r.status() != 200) {
      throw new IOException(name + " status " + r.status() + ": " + r.body());
    }
    return r.json();
  }

  /** A bag as the station shows it: a child's parent, a parent's count and whether it was finished. */
  record ViewRow(String parent, int childCount, boolean finished) {}

  /** The station's view of these bags, read from the dock's database (read-only, beside the running edge). */
  Map<String, ViewRow> view(Collection<String> codes) throws SQLException {
    Map<String, ViewRow> out = new HashMap<>();
    try (Connection c = open(); PreparedStatement s = c.prepareStatement(
        "select parent_code, child_count, finished_by from bag where code = ?")) {
      for (String code : codes) {
        s.setString(1, code);
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            out.put(code, new ViewRow(rs.getString(1), rs.getInt(2), rs.getString(3) != null));
          }
        }
      }
    }
    return out;
  }

  /** The hub change-log position the dock has applied, or -1 while it needs a snapshot. */
  long pullCursor() throws SQLException {
    try (Connection c = open(); PreparedStatement s = c.prepareStatement("select pull_cursor, snapshot_required from sync_state");
        ResultSet rs = s.executeQuery()) {
      return rs.next() && rs.getInt(2) == 0 ? rs.getLong(1) : -1;
    }
  }

  private Connection open() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(10_000);
    return DriverManager.getConnection("jdbc:sqlite:" + data.resolve("edge.db"), config.toProperties());
  }

  /** Stops {@code serve} as an operator does (SIGTERM). */
  @Override
  public synchronized void close() throws InterruptedException {
    port = -1;
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    proxy.close();
  }
}
