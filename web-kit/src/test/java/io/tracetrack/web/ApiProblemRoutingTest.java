package io.tracetrack.web;

import io.tracetrack.model.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one shape handlers have: read a {@link Form}, {@code check()}, act. Whatever the parsing
 * helpers throw is answered by the kit's routing as problem+json with its code, and the handler's
 * own work never runs. A real server, a real HTTP client.
 */
class ApiProblemRoutingTest {

  private static final JsonBody BODY = new JsonBody(1024, 8);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger done = new AtomicInteger();
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static WebServer server;

  private enum Colour { RED, GREEN }

  @BeforeAll
  static void start() {
    WebSettings settings = new WebSettings("test", "127.0.0.1", 0, 4096, HostPolicy.loopbackAnd("127.0.0.1", List.of()),
        false, Duration.ofSeconds(2));
    server = WebServers.start(settings, WebServers.routing(settings, routing -> routing
        .post("/paint", (req, res) -> {
          Form f = BODY.form(req).only(Set.of("name", "colour", "coats"));
          String name = f.required("name", 10);
          Colour colour = f.oneOf("colour", Colour.class, true, ErrorCode.INVALID_ROLE);
          Integer coats = f.integer("coats", 1, 3);
          f.check();
          done.incrementAndGet();
          Json.send(res, 200, Map.of("name", name, "colour", colour.name(), "coats", coats == null ? 1 : coats));
        })
        .get("/locked", (req, res) -> {
          throw new ApiProblem(401, ErrorCode.UNAUTHENTICATED, "sign in first", Map.of("hint", "token"),
              Map.of("WWW-Authenticate", "Bearer"));
        })));
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  private static HttpResponse<String> post(String contentType, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/paint"))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode problem(HttpResponse<String> res, int status, ErrorCode code) throws Exception {
    assertThat(res.statusCode()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).contains(Problems.MEDIA_TYPE);
    // the guard's headers survive the error mapping
    assertThat(res.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    JsonNode body = JSON.readTree(res.body());
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("code").asText()).isEqualTo(code.name());
    return body;
  }

  @Test
  void wellFormedForm_reachesTheHandler() throws Exception {
    HttpResponse<String> res = post("application/json", "{\"name\":\"door\",\"colour\":\"green\",\"coats\":2}");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(res.body()).get("colour").asText()).isEqualTo("GREEN");
  }

  @Test
  void missingField_is400InvalidRequest_andTheHandlerDoesNothing() throws Exception {
    int before = done.get();
    JsonNode body = problem(post("application/json", "{\"colour\":\"RED\"}"), 400, ErrorCode.INVALID_REQUEST);
    assertThat(body.get("detail").asText()).isEqualTo("missing field: name");
    assertThat(done.get()).isEqualTo(before);
  }

  @Test
  void firstProblemWins_inTheOrderTheHandlerReads() throws Exception {
    JsonNode body = problem(post("application/json", "{\"name\":5,\"colour\":\"BLUE\",\"coats\":9}"), 400,
        ErrorCode.INVALID_REQUEST);
    assertThat(body.get("detail").asText()).isEqualTo("name must be a string");
  }

  @Test
  void enumOutsideItsNames_carriesItsOwnCode() throws Exception {
    JsonNode body = problem(post("application/json", "{\"name\":\"door\",\"colour\":\"BLUE\"}"), 400, ErrorCode.INVALID_ROLE);
    assertThat(body.get("detail").asText()).isEqualTo("colour is one of RED, GREEN");
  }

  @Test
  void unknownField_isRefused_withControlCharactersMasked() throws Exception {
    JsonNode body = problem(post("application/json", "{\"name\":\"door\",\"colour\":\"RED\",\"x\\u0007\":1}"), 400,
        ErrorCode.INVALID_REQUEST);
    assertThat(body.get("detail").asText()).startsWith("unknown field: x?;");
  }

  @Test
  void wrongMediaType_andBrokenJson_keepTheirCodes() throws Exception {
    problem(post("text/plain", "{}"), 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    problem(post("application/json", "{\"name\":"), 400, ErrorCode.MALFORMED_JSON);
    problem(post("application/json", "[1]"), 400, ErrorCode.INVALID_REQUEST);
  }

  @Test
  void thrownProblem_carriesItsHeadersAndExtraMembers() throws Exception {
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/locked"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = problem(res, 401, ErrorCode.UNAUTHENTICATED);
    assertThat(res.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(body.get("hint").asText()).isEqualTo("token");
    assertThat(body.get("detail").asText()).isEqualTo("sign in first");
  }
}
