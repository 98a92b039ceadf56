package io.tracetrack.hub;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.web.Passwords;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A real hub on a free port over a fresh database, with one signed-in user per role, and a small
 * HTTP client for tests. Users other than admin are inserted straight into the database: creating
 * them is not what these tests are about.
 */
public final class HubTestServer implements AutoCloseable {

  public static final String ADMIN_PASSWORD = "Admin-Passw0rd!";
  public static final String PASSWORD = "Test-Passw0rd!";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The hub's clock, and the one these helpers stamp rows with: it stands still until a test moves
   * it ({@link TestClock#advance}, {@link TestClock#set}), so "later" never needs a sleep.
   */
  public final TestClock clock;
  private final HubConfig config;
  public final Main.Hub hub;
  public final HubDatabase db;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  public final Map<String, String> tokens;

  private HubTestServer(Main.Hub hub, TestClock clock, HubConfig config) throws Exception {
    this.hub = hub;
    this.clock = clock;
    this.config = config;
    this.db = hub.database();
    db.dsl().execute("insert into area (id, name, created_at) values ('NORTH', 'North', current_timestamp), "
        + "('SOUTH', 'South', current_timestamp)");
    addUser("bella", Role.BILLER, null);
    addUser("nina", Role.DISPATCHER, "NORTH");
    addUser("sam", Role.DISPATCHER, "SOUTH");
    this.tokens = Map.of(
        "admin", token("admin", ADMIN_PASSWORD),
        "biller", token("bella", PASSWORD),
        "dispatcher", token("nina", PASSWORD),
        "dispatcher-south", token("sam", PASSWORD));
  }

  /** A hub on H2 (the embedded default) or a fresh PostgreSQL database. */
  public static HubTestServer start(String kind) throws Exception {
    return start(kind, new String[0]);
  }

  /** A hub as {@link #start(String)}, with more flags ({@code --trusted-proxies 127.0.0.1}, say). */
  public static HubTestServer start(String kind, String... flags) throws Exception {
    Path dir = Files.createTempDirectory("hub-test-");
    java.util.List<String> args = new java.util.ArrayList<>(
        java.util.List.of("--port", "0", "--bind", "127.0.0.1", "--data", dir.toString()));
    args.addAll(java.util.List.of(flags));
    HubConfig config = HubConfig.parse(args.toArray(String[]::new), Map.of("HUB_ADMIN_PASSWORD", ADMIN_PASSWORD));
    HubDatabase db = TestDatabases.fresh(kind, 20);
    // starts at today's time (tests ask for "today's" end-of-day counts), then moves only when told
    TestClock clock = new TestClock(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    return new HubTestServer(Main.Hub.start(config, db, clock), clock, config);
  }

  /**
   * A second hub instance over the same database, signing key and clock, on its own port: what a
   * scaled-out deployment runs: its own pool, caches and services. Closing it leaves this one running.
   */
  public Instance anotherInstance() {
    return new Instance(Main.Hub.start(config, TestDatabases.another(db), clock));
  }

  /** Another instance of the hub (see {@link #anotherInstance}). */
  public final class Instance implements AutoCloseable {
    private final Main.Hub other;

    Instance(Main.Hub other) {
      this.other = other;
    }

    /** The running hub behind this instance. */
    public Main.Hub hub() {
      return other;
    }

    /** Sends a request to this instance as {@code who} (a key of {@link #tokens}, or null for anonymous). */
    public Answer send(String method, String path, String body, String who) {
      return send(method, path, who == null ? null : tokens.get(who), body == null ? null : "application/json", body);
    }

    /** Sends a request to this instance with any token. */
    public Answer send(String method, String path, String token, String contentType, String body) {
      return HubTestServer.this.send(other.server().port(), method, path, token, contentType, body);
    }

    @Override
    public void close() {
      other.close();
    }
  }

  public void addUser(String name, Role role, String area) {
    OffsetDateTime now = now();
    db.dsl().insertInto(APP_USER)
        .set(APP_USER.USERNAME, name).set(APP_USER.ROLE, role.name()).set(APP_USER.AREA_ID, area)
        .set(APP_USER.PASSWORD_HASH, Passwords.hash(PASSWORD)).set(APP_USER.CREATED_AT, now).set(APP_USER.UPDATED_AT, now)
        .execute();
  }

  private String token(String user, String password) throws Exception {
    HttpResponse<String> res = send("POST", "/api/v1/auth/token",
        JSON.writeValueAsString(Map.of("username", user, "password", password)), null);
    if (res.statusCode() != 200) {
      throw new IllegalStateException("sign-in of " + user + " failed: " + res.body());
    }
    return JSON.readTree(res.body()).get("access_token").asText();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + hub.server().port() + path);
  }

  /** Sends a request as {@code who} (a key of {@link #tokens}, or null for anonymous). */
  public HttpResponse<String> send(String method, String path, String body, String who) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (who != null) {
      b.header("Authorization", "Bearer " + tokens.get(who));
    }
    HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    io.tracetrack.hub.web.ApiContract.observe(method, path, body, res.statusCode(),
        res.headers().firstValue("Content-Type").orElse(""), res.body());
    return res;
  }

  /** Adds a user (and their area) straight to the store and signs them in; returns the token. */
  public String tokenFor(String username, Role role, String area) throws Exception {
    if (area != null) {
      db.dsl().insertInto(io.tracetrack.hub.db.jooq.Tables.AREA).set(io.tracetrack.hub.db.jooq.Tables.AREA.ID, area)
          .set(io.tracetrack.hub.db.jooq.Tables.AREA.NAME, area)
          .set(io.tracetrack.hub.db.jooq.Tables.AREA.CREATED_AT, now()).onConflictDoNothing().execute();
    }
    addUser(username, role, area);
    return token(username, PASSWORD);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
  }

  public String adminToken() {
    return tokens.get("admin");
  }

  /** An answer: status, content type and body. */
  public record Answer(int status, String contentType, String text) {
    public JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("not JSON: " + text, e);
      }
    }
  }

  /** Sends a request with any token and content type (hostile-input tests need odd ones). */
  public Answer send(String method, String path, String token, String contentType, String body) {
    return send(hub.server().port(), method, path, token, contentType, body);
  }

  private Answer send(int port, String method, String path, String token, String contentType, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      // every answer a test receives is held to the API document (ApiContract)
      io.tracetrack.hub.web.ApiContract.observe(method, path, body, res.statusCode(),
          res.headers().firstValue("Content-Type").orElse(""), res.body());
      return new Answer(res.statusCode(), res.headers().firstValue("Content-Type").orElse(""), res.body());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode json(HttpResponse<String> res) throws Exception {
    return JSON.readTree(res.body());
  }

  @Override
  public void close() {
    hub.close();
  }

  /**
   * The status {@code call} answers once it answers {@code expected}, or its last answer after
   * {@code limit}: for what holds on other instances "within a second" (a read may use an account
   * answer of the last second there; see AccountCheck), where an exact wait would be a guess.
   */
  public static int eventually(java.time.Duration limit, java.util.function.IntSupplier call, int expected) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    int status = call.getAsInt();
    while (status != expected && System.nanoTime() < end) {
      Thread.sleep(50);
      status = call.getAsInt();
    }
    return status;
  }
}
