package io.tracetrack.hub;

import static io.tracetrack.hub.db.jooq.Tables.APP_USER;
import static io.tracetrack.hub.db.jooq.Tables.AREA;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.hub.auth.Passwords;
import io.tracetrack.model.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The real hub for HTTP tests: {@link Main.Hub#start} on a free port with a fresh H2 database in a
 * temporary folder, the first admin's password set as {@code HUB_ADMIN_PASSWORD} would set it, and
 * a plain JDK HTTP client.
 */
public final class TestHub implements AutoCloseable {

  public static final String ADMIN_PASSWORD = "Admin-Pass-2025!";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Main.Hub hub;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  private TestHub(Main.Hub hub) {
    this.hub = hub;
    this.base = "http://127.0.0.1:" + hub.server().port();
  }

  public static TestHub start() {
    try {
      Path dir = Files.createTempDirectory("hub-http-");
      HubConfig config = new HubConfig(0, "127.0.0.1", dir, null, null, null, ADMIN_PASSWORD, null,
          Duration.ofMinutes(15), 10);
      return new TestHub(Main.Hub.start(config, Clock.systemUTC()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Main.Hub hub() {
    return hub;
  }

  /** A bearer token for {@code admin}, signed in over HTTP. */
  public String adminToken() {
    return signIn("admin", ADMIN_PASSWORD);
  }

  /** Adds a user straight to the store (there is no user API yet) and signs them in over HTTP. */
  public String tokenFor(String username, Role role, String area) {
    String password = "Pass-" + username + "-2025!";
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    if (area != null) {
      hub.database().dsl().insertInto(AREA).set(AREA.ID, area).set(AREA.NAME, area).set(AREA.CREATED_AT, now)
          .onConflictDoNothing().execute();
    }
    hub.database().dsl().insertInto(APP_USER)
        .set(APP_USER.USERNAME, username)
        .set(APP_USER.ROLE, role.name())
        .set(APP_USER.AREA_ID, area)
        .set(APP_USER.PASSWORD_HASH, Passwords.hash(password))
        .set(APP_USER.CREATED_AT, now)
        .set(APP_USER.UPDATED_AT, now)
        .execute();
    return signIn(username, password);
  }

  private String signIn(String username, String password) {
    Answer answer = send("POST", "/api/v1/auth/token", null, "application/json",
        json(Map.of("username", username, "password", password)));
    if (answer.status() != 200) {
      throw new IllegalStateException("sign-in of " + username + " failed: " + answer.status() + " " + answer.text());
    }
    return answer.json().get("access_token").asText();
  }

  /** An answer: status, content type and body. */
  public record Answer(int status, String contentType, String text) {
    public JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + text, e);
      }
    }
  }

  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends a request.
   *
   * @param token bearer token, or {@code null} for none
   * @param body request body, or {@code null} for none
   */
  public Answer send(String method, String path, String token, String contentType, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    hub.close();
  }
}
