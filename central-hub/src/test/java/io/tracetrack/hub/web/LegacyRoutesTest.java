package io.tracetrack.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.hub.HubTestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An integrator still calling the old system's routes is sent to their successors, never a bare 404. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LegacyRoutesTest {

  private HubTestServer server;
  private final HttpClient stay = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final HttpClient follow = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

  @BeforeAll
  void start() throws Exception {
    server = HubTestServer.start("h2");
    assertThat(server.send("POST", "/api/v1/bags", "{\"code\":\"P7-5\"}", "dispatcher").statusCode()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @CsvSource({
      "GET, /api/bag/P7-5, /api/v1/bags/P7-5",
      "GET, /api/bag/P7%2D5?historyBefore=9, /api/v1/bags/P7%2D5?historyBefore=9",
      "GET, /api/bills?status=OPEN, /api/v1/bills?status=OPEN",
      "POST, /api/bills, /api/v1/bills",
      "GET, /api/health, /health",
      "GET, /api/system_health, /api/v1/system/health",
      "GET, /eod_summary_preview, /#/eod",
  })
  void anOldRoute_answers308_toItsSuccessor_withDeprecationAndLink(String method, String path, String successor) throws Exception {
    HttpResponse<String> res = stay.send(request(method, path, null, "{}"), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(308);
    assertThat(res.headers().firstValue("Location")).hasValue(successor);
    assertThat(res.headers().firstValue("Deprecation")).hasValue("@1796428800");
    assertThat(res.headers().firstValue("Link")).hasValue("<" + successor + ">; rel=\"successor-version\"");
  }

  @Test
  void followingTheRedirect_isTheSuccessor_withItsOwnAccessRules() throws Exception {
    // a bag, as the new route answers it, for a signed-in caller
    HttpResponse<String> bag = follow.send(request("GET", "/api/bag/P7-5", server.adminToken(), null), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> direct = follow.send(request("GET", "/api/v1/bags/P7-5", server.adminToken(), null), HttpResponse.BodyHandlers.ofString());
    assertThat(bag.statusCode()).isEqualTo(200);
    assertThat(bag.body()).isEqualTo(direct.body());
    // the POST and its body go along: the successor judges the body (an empty bill is refused)
    HttpResponse<String> bill = follow.send(request("POST", "/api/bills", server.adminToken(), "{}"), HttpResponse.BodyHandlers.ofString());
    assertThat(bill.statusCode()).as(bill.body()).isEqualTo(400);
    // no token: the successor's 401, not a way around it
    HttpResponse<String> health = follow.send(request("GET", "/api/system_health", null, null), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(401);
    // a route the old system never had is still a 404
    HttpResponse<String> none = stay.send(request("GET", "/api/bagz/P7-5", null, null), HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(404);
  }

  private HttpRequest request(String method, String path, String token, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.build();
  }
}
