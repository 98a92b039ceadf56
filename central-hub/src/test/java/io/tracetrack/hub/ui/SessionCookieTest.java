package io.tracetrack.hub.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracetrack.hub.HubTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The web UI's cookie session over real HTTP: the cookie's attributes, CSRF on every unsafe
 * cookie request (and not on bearer requests), idle expiry and refresh within the maximum age,
 * sign-out, and the pages' security headers.
 */
class SessionCookieTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private record Reply(int status, Map<String, List<String>> headers, String body) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }

    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of()).stream().findFirst().orElse(null);
    }
  }

  private Reply send(HubTestServer s, String method, String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(res.statusCode(), res.headers().map(), res.body());
  }

  /** Signs in for a session; returns the cookie pair ("tt_session=...") and the CSRF token. */
  private String[] signIn(HubTestServer s, String user, String password) throws Exception {
    Reply r = send(s, "POST", "/api/v1/auth/session", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}", Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String setCookie = r.header("set-cookie");
    return new String[] {setCookie.substring(0, setCookie.indexOf(';')), r.json().get("csrfToken").asText()};
  }

  @Test
  void signIn_setsAnHttpOnlyStrictCookie_andTheTokenIsNeverInTheBody() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      Reply r = send(s, "POST", "/api/v1/auth/session",
          "{\"username\":\"admin\",\"password\":\"" + HubTestServer.ADMIN_PASSWORD + "\"}", Map.of());
      assertThat(r.status()).isEqualTo(200);
      String cookie = r.header("set-cookie");
      assertThat(cookie).startsWith("tt_session=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict")
          .contains("Path=/");
      // plain HTTP here: Secure would make the browser drop it
      assertThat(cookie).doesNotContain("Secure");
      String token = cookie.substring("tt_session=".length(), cookie.indexOf(';'));
      assertThat(r.body()).doesNotContain(token);
      JsonNode body = r.json();
      assertThat(body.get("username").asText()).isEqualTo("admin");
      assertThat(body.get("role").asText()).isEqualTo("ADMIN");
      assertThat(body.get("csrfToken").asText()).hasSizeGreaterThan(20);
      assertThat(body.get("idleSeconds").asLong()).isEqualTo(30 * 60);
    }
  }

  @Test
  void behindATrustedProxyThatSaysHttps_theCookieIsSecure_andNotForAnyoneElse() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2", "--trusted-proxies", "127.0.0.1")) {
      String body = "{\"username\":\"bella\",\"password\":\"" + HubTestServer.PASSWORD + "\"}";
      Reply viaProxy = send(s, "POST", "/api/v1/auth/session", body, Map.of("X-Forwarded-Proto", "https"));
      assertThat(viaProxy.header("set-cookie")).contains("Secure");
    }
    try (HubTestServer s = HubTestServer.start("h2")) {
      String body = "{\"username\":\"bella\",\"password\":\"" + HubTestServer.PASSWORD + "\"}";
      Reply forged = send(s, "POST", "/api/v1/auth/session", body, Map.of("X-Forwarded-Proto", "https"));
      assertThat(forged.header("set-cookie")).doesNotContain("Secure");
    }
  }

  @Test
  void theCookie_readsWithoutCsrf_butEveryChangeNeedsTheSessionsCsrfToken() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      String[] bella = signIn(s, "bella", HubTestServer.PASSWORD);
      String[] admin = signIn(s, "admin", HubTestServer.ADMIN_PASSWORD);
      assertThat(send(s, "GET", "/api/v1/me", null, Map.of("Cookie", bella[0])).status()).isEqualTo(200);
      String bill = "{\"id\":\"CSRF001\",\"destination\":\"Pune\",\"vehicle\":\"MH12AB1234\",\"capacity\":5}";
      // no token, a made-up one, and another session's: all refused, nothing created
      for (Map<String, String> headers : List.of(Map.of("Cookie", bella[0]),
          Map.of("Cookie", bella[0], "X-CSRF-Token", "made-up"),
          Map.of("Cookie", bella[0], "X-CSRF-Token", admin[1]))) {
        Reply refused = send(s, "POST", "/api/v1/bills", bill, headers);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().get("code").asText()).isEqualTo("CSRF_INVALID");
      }
      assertThat(s.send("GET", "/api/v1/bills/CSRF001", null, "admin").statusCode()).isEqualTo(404);
      Reply made = send(s, "POST", "/api/v1/bills", bill, Map.of("Cookie", bella[0], "X-CSRF-Token", bella[1]));
      assertThat(made.status()).as(made.body()).isEqualTo(201);
      // integrators' bearer tokens need no CSRF token: browsers never send them by themselves
      assertThat(s.send("POST", "/api/v1/bills",
          "{\"id\":\"CSRF002\",\"destination\":\"Pune\",\"vehicle\":\"MH12AB1234\",\"capacity\":5}", "biller").statusCode())
          .isEqualTo(201);
    }
  }

  @Test
  void aBearerTokenInTheCookie_isNoSession() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      Reply r = send(s, "GET", "/api/v1/me", null, Map.of("Cookie", "tt_session=" + s.tokens.get("biller")));
      assertThat(r.status()).isEqualTo(401);
    }
  }

  @Test
  void aSessionEndsWhenIdle_refreshKeepsItGoing_butNeverPastItsMaximumAge() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2", "--session-idle-minutes", "30", "--session-max-hours", "1")) {
      String[] bella = signIn(s, "bella", HubTestServer.PASSWORD);
      s.clock.advance(Duration.ofMinutes(25));
      Reply refreshed = send(s, "POST", "/api/v1/auth/session/refresh", null, Map.of("Cookie", bella[0], "X-CSRF-Token", bella[1]));
      assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
      String[] next = {refreshed.header("set-cookie").substring(0, refreshed.header("set-cookie").indexOf(';')),
          refreshed.json().get("csrfToken").asText()};
      s.clock.advance(Duration.ofMinutes(25)); // 50 min in: idle 25 min on the refreshed token
      assertThat(send(s, "GET", "/api/v1/me", null, Map.of("Cookie", next[0])).status()).isEqualTo(200);
      assertThat(send(s, "GET", "/api/v1/me", null, Map.of("Cookie", bella[0])).status()).as("the first token idled out").isEqualTo(401);
      // at 50 min a refresh still works, but the session ends at 60 whatever happens
      Reply again = send(s, "POST", "/api/v1/auth/session/refresh", null, Map.of("Cookie", next[0], "X-CSRF-Token", next[1]));
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.json().get("sessionEndsAt").asText()).isNotBlank();
      String third = again.header("set-cookie").substring(0, again.header("set-cookie").indexOf(';'));
      s.clock.advance(Duration.ofMinutes(11));
      assertThat(send(s, "GET", "/api/v1/me", null, Map.of("Cookie", third)).status()).as("past the maximum age").isEqualTo(401);
    }
  }

  @Test
  void signOut_revokesTheSession_andClearsTheCookie_butOnlyWithTheCsrfToken() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      String[] bella = signIn(s, "bella", HubTestServer.PASSWORD);
      Reply forged = send(s, "DELETE", "/api/v1/auth/session", null, Map.of("Cookie", bella[0]));
      assertThat(forged.status()).isEqualTo(403);
      assertThat(send(s, "GET", "/api/v1/me", null, Map.of("Cookie", bella[0])).status()).isEqualTo(200);
      Reply out = send(s, "DELETE", "/api/v1/auth/session", null, Map.of("Cookie", bella[0], "X-CSRF-Token", bella[1]));
      assertThat(out.status()).isEqualTo(204);
      assertThat(out.header("set-cookie")).startsWith("tt_session=;").contains("Expires=Thu, 1 Jan 1970");
      assertThat(send(s, "GET", "/api/v1/me", null, Map.of("Cookie", bella[0])).status()).isEqualTo(401);
      // without any session it still answers 204, so a page can always get back to sign-in
      assertThat(send(s, "DELETE", "/api/v1/auth/session", null, Map.of()).status()).isEqualTo(204);
    }
  }

  @Test
  void hostileSessionRequests_getClearErrors() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      assertThat(send(s, "GET", "/api/v1/auth/session", null, Map.of()).status()).isEqualTo(401);
      assertThat(send(s, "GET", "/api/v1/auth/session", null, Map.of("Cookie", "tt_session=not.a.token")).status()).isEqualTo(401);
      assertThat(send(s, "GET", "/api/v1/auth/session", null, Map.of("Cookie", "tt_session=" + "x".repeat(5000))).status())
          .isEqualTo(401);
      Reply bad = send(s, "POST", "/api/v1/auth/session", "{\"username\":\"bella\"}", Map.of());
      assertThat(bad.status()).isEqualTo(400);
      Reply wrong = send(s, "POST", "/api/v1/auth/session", "{\"username\":\"bella\",\"password\":\"nope-nope-nope\"}", Map.of());
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.json().get("code").asText()).isEqualTo("BAD_CREDENTIALS");
      assertThat(wrong.header("set-cookie")).isNull();
    }
  }

  @Test
  void thePages_areServedWithAStrictContentSecurityPolicy() throws Exception {
    try (HubTestServer s = HubTestServer.start("h2")) {
      for (String path : List.of("/", "/app.js", "/kit.js", "/app.css", "/tokens.css", "/vendor/uplot.js", "/page-dashboard.js")) {
        Reply r = send(s, "GET", path, null, Map.of());
        assertThat(r.status()).as(path).isEqualTo(200);
        String csp = r.header("content-security-policy");
        assertThat(csp).as(path).contains("script-src 'self'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(r.header("x-frame-options")).isEqualTo("DENY");
      }
      assertThat(send(s, "GET", "/", null, Map.of()).body()).contains("<script type=\"module\" src=\"app.js\">")
          .doesNotContain("<script>").doesNotContain("style=");
      assertThat(send(s, "GET", "/../pom.xml", null, Map.of()).status()).isIn(400, 404);
      assertThat(send(s, "GET", "/vendor/../index.html", null, Map.of()).status()).isIn(200, 400, 404);
    }
  }
}
