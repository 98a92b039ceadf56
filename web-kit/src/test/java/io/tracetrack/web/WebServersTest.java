package io.tracetrack.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.testing.RawHttp;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A real server built by the kit, spoken to over raw sockets. */
class WebServersTest {

  private static final JsonBody BODY = new JsonBody(1024, 8);
  private static final CountDownLatch droppedRequestDone = new CountDownLatch(1);
  private static WebServer server;
  private static int port;
  private static String host;

  @BeforeAll
  static void start() {
    WebSettings settings = new WebSettings("test", "127.0.0.1", 0, 4096,
        HostPolicy.loopbackAnd("127.0.0.1", List.of("dock7.example")), true, Duration.ofSeconds(1));
    server = WebServers.start(settings, WebServers.routing(settings, routing -> routing
        .post("/echo", (req, res) -> Json.send(res, 200, BODY.read(req)))
        .post("/drop", (req, res) -> {
          try {
            BODY.read(req);
          } finally {
            droppedRequestDone.countDown();
          }
        })
        .get("/boom", (req, res) -> {
          throw new IllegalStateException("a bug");
        })
        .get("/disk", (req, res) -> {
          throw new java.io.UncheckedIOException(new IOException("no space left on device"));
        })
        .register("/", StaticFiles.fromClasspath("/kit-web/", List.of("index.html", "app.js")))));
    port = server.port();
    host = "127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  private static RawHttp.Answer send(String request) throws IOException {
    return RawHttp.send(port, request);
  }

  private static void assertProblem(RawHttp.Answer answer, int status, ErrorCode code) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.body()).contains("\"code\":\"" + code.name() + "\"");
  }

  /** The idle sweep runs every half read timeout, between once a second and every 5 s. */
  @org.junit.jupiter.api.Test
  void idleConnectionsAreSweptAtHalfTheReadTimeout_betweenOneAndFiveSeconds() {
    assertThat(WebServers.idleCheck(WebSettings.DEFAULT_READ_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    assertThat(WebServers.idleCheck(Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(4));
    assertThat(WebServers.idleCheck(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
    assertThat(WebServers.idleCheck(Duration.ofMillis(300))).isEqualTo(Duration.ofSeconds(1));
  }

  @Nested
  class StrictJson {

    @Test
    void post_validObject_echoed() throws IOException {
      RawHttp.Answer a = send(RawHttp.post(host, "/echo", "application/json", "{\"a\":1}"));
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body()).isEqualTo("{\"a\":1}");
    }

    @Test
    void post_duplicateKey_400() throws IOException {
      assertProblem(send(RawHttp.post(host, "/echo", "application/json", "{\"user\":\"a\",\"user\":\"b\"}")),
          400, ErrorCode.MALFORMED_JSON);
    }

    @Test
    void post_trailingData_400() throws IOException {
      assertProblem(send(RawHttp.post(host, "/echo", "application/json", "{\"a\":1} {\"a\":2}")), 400, ErrorCode.MALFORMED_JSON);
      assertProblem(send(RawHttp.post(host, "/echo", "application/json", "{\"a\":1}x")), 400, ErrorCode.MALFORMED_JSON);
    }

    @Test
    void post_jsonWithCharset_accepted() throws IOException {
      assertThat(send(RawHttp.post(host, "/echo", "Application/JSON; charset=UTF-8", "{}")).status()).isEqualTo(200);
    }

    @Test
    void post_lookalikeMediaTypes_415() throws IOException {
      for (String type : List.of("application/jsonx", "application/json-patch+json", "text/plain", "application/json; charset=latin1")) {
        assertProblem(send(RawHttp.post(host, "/echo", type, "{}")), 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
      }
    }

    @Test
    void post_tooDeep_400() throws IOException {
      assertProblem(send(RawHttp.post(host, "/echo", "application/json", "{\"a\":".repeat(20) + "1" + "}".repeat(20))),
          400, ErrorCode.JSON_LIMIT_EXCEEDED);
    }

    @Test
    void post_overTheBodyLimit_413() throws IOException {
      assertProblem(send(RawHttp.post(host, "/echo", "application/json", "{\"a\":\"" + "x".repeat(2000) + "\"}")),
          413, ErrorCode.BODY_TOO_LARGE);
    }

    @Test
    void post_overTheServerPayloadLimit_413ProblemJson() throws IOException {
      assertProblem(send(RawHttp.post(host, "/echo", "application/json", "{\"a\":\"" + "x".repeat(5000) + "\"}")),
          413, ErrorCode.BODY_TOO_LARGE);
    }
  }

  @Nested
  class Framing {

    @Test
    void twoDifferentContentLengths_400() throws IOException {
      assertProblem(send("POST /echo HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: 2\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{}"), 400, ErrorCode.BAD_REQUEST);
    }

    @Test
    void twoEqualContentLengths_400() throws IOException {
      assertProblem(send("POST /echo HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"), 400, ErrorCode.BAD_REQUEST);
    }

    @Test
    void contentLengthList_400() throws IOException {
      assertProblem(send("POST /echo HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: 2, 2\r\nConnection: close\r\n\r\n{}"), 400, ErrorCode.BAD_REQUEST);
    }

    @Test
    void negativeContentLength_400() throws IOException {
      assertProblem(send("POST /echo HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: -1\r\nConnection: close\r\n\r\n{}"), 400, ErrorCode.BAD_REQUEST);
    }

    @Test
    void contentLengthAndChunked_400() throws IOException {
      assertProblem(send("POST /echo HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
          400, ErrorCode.BAD_REQUEST);
    }

    @Test
    void garbageRequestLine_closedOrProblemJson() throws IOException {
      // not HTTP at all: Helidon finds no protocol for it and closes without an answer
      RawHttp.Answer a = send("HELLO\r\n\r\n");
      assertThat(a.status()).isIn(0, 400);
    }

    @Test
    void hugeRequestLine_problemJson() throws IOException {
      RawHttp.Answer a = send("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      // a request line past the limit is not recognised as HTTP/1.1 and closed unanswered
      assertThat(a.status()).isIn(0, 400, 414);
      if (a.status() != 0) {
        assertThat(a.header("Content-Type")).isEqualTo(Problems.MEDIA_TYPE);
      }
    }

    @Test
    void hugeHeaders_problemJson() throws IOException {
      RawHttp.Answer a = send("GET / HTTP/1.1\r\nHost: " + host + "\r\nX-Big: " + "a".repeat(40_000) + "\r\nConnection: close\r\n\r\n");
      assertThat(a.status()).isIn(400, 431);
      assertThat(a.header("Content-Type")).isEqualTo(Problems.MEDIA_TYPE);
    }

    /**
     * Slow-loris: a request line, then nothing. The server (read timeout 2 s here) must close the
     * connection by itself; RawHttp gives up after a minute, so a server that never closes fails.
     */
    @Test
    void stalledHeaders_connectionClosedByTheServer() throws IOException {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(RawHttp.GIVE_UP_MILLIS);
        s.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: " + host + "\r\nX-Slow: a").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        RawHttp.Answer a = RawHttp.read(s.getInputStream());
        assertThat(a.status()).as("closed without an answer (the request never ended)").isZero();
      }
      assertThat(send("GET /index.html HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void stalledBody_connectionClosedByTheServer_handlerNotLeftWaiting() throws IOException {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(RawHttp.GIVE_UP_MILLIS);
        s.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: " + host
            + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        RawHttp.Answer a = RawHttp.read(s.getInputStream());
        assertThat(a.status()).as("closed without an answer").isZero();
      }
      assertThat(send("GET /index.html HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").status()).isEqualTo(200);
    }

    @Test
    void stalledRequestLine_connectionClosedByTheServer() throws IOException {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(RawHttp.GIVE_UP_MILLIS);
        s.getOutputStream().write("GET /index.ht".getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        assertThat(RawHttp.read(s.getInputStream()).status()).isZero();
      }
    }

    @Test
    void clientDropsMidBody_noSevereLog() throws Exception {
      List<LogRecord> severe = new CopyOnWriteArrayList<>();
      Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            severe.add(r);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
      Logger root = Logger.getLogger("");
      root.addHandler(capture);
      try {
        try (Socket s = new Socket("127.0.0.1", port)) {
          s.getOutputStream().write(("POST /drop HTTP/1.1\r\nHost: " + host
              + "\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"a\":").getBytes(StandardCharsets.UTF_8));
          s.getOutputStream().flush();
        }
        assertThat(droppedRequestDone.await(60, TimeUnit.SECONDS)).isTrue();
        // the answer to the gone client is written after the handler; a request after it is
        // handled by the same server, so its answer means the dropped one is fully behind us
        send("GET /index.html HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      } finally {
        root.removeHandler(capture);
      }
      assertThat(severe).extracting(r -> r.getMessage() + " " + r.getThrown()).isEmpty();
    }

    @Test
    void bug_500ProblemJson() throws IOException {
      assertProblem(send("GET /boom HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"), 500, ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void ourOwnIoFailure_isA500_notMistakenForAClientThatLeft() throws IOException {
      assertProblem(send("GET /disk HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"), 500, ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void unknownPath_404ProblemJson() throws IOException {
      assertProblem(send("GET /nope HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"), 404, ErrorCode.NOT_FOUND);
    }
  }

  @Nested
  class Hosts {

    @Test
    void loopbackNamesAnyPort_answered() throws IOException {
      for (String h : List.of(host, "localhost:" + port, "LOCALHOST", "[::1]:" + port, "127.0.0.1:1", "dock7.example:" + port)) {
        assertThat(send("GET /index.html HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n").status()).as(h).isEqualTo(200);
      }
    }

    @Test
    void foreignHost_421_handlerNotRun() throws IOException {
      RawHttp.Answer a = send("POST /echo HTTP/1.1\r\nHost: evil.example:" + port + "\r\nOrigin: http://evil.example:" + port
          + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
      assertProblem(a, 421, ErrorCode.HOST_NOT_ALLOWED);
    }

    @Test
    void rebindingLookalikes_421() throws IOException {
      for (String h : List.of("127.0.0.1.evil.example", "localhost.evil.example:" + port, "evil.example@127.0.0.1")) {
        RawHttp.Answer a = send("GET /index.html HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n");
        assertThat(a.status()).as(h).isIn(400, 421);
        assertThat(a.header("Content-Type")).isEqualTo(Problems.MEDIA_TYPE);
      }
    }

    @Test
    void foreignOrigin_403() throws IOException {
      assertProblem(send("GET /index.html HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n"),
          403, ErrorCode.CROSS_ORIGIN);
    }

    @Test
    void sameOrigin_answered() throws IOException {
      assertThat(send("GET /index.html HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host + "\r\nConnection: close\r\n\r\n")
          .status()).isEqualTo(200);
    }
  }

  @Nested
  class Files {

    @Test
    void index_servedWithSecurityHeaders() throws IOException {
      RawHttp.Answer a = send("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
      assertThat(a.header("Content-Security-Policy")).isEqualTo(WebServers.CSP).doesNotContain("unsafe-inline");
      assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(a.header("Cache-Control")).isEqualTo("no-cache");
    }

    @Test
    void script_servedAsJavascript() throws IOException {
      RawHttp.Answer a = send("GET /app.js HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      assertThat(a.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    }

    @Test
    void pathTricks_404() throws IOException {
      for (String path : List.of("/../pom.xml", "/kit-web/app.js", "/%2e%2e/app.js", "/APP.JS")) {
        assertThat(send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").status()).as(path).isIn(400, 404);
      }
    }

    @Test
    void missingFile_failsAtStart() {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> StaticFiles.fromClasspath("/kit-web/", List.of("gone.js")))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("gone.js");
    }
  }
}
