package io.tracetrack.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stations scanning into the same parent at once, one through the page's HTTP endpoint of a
 * running server, one through terminal capture in a second process on the same data folder. Their
 * writes meet only in SQLite, so this proves the limit holds across processes.
 */
class TwoStationsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String PARENT = "P777-30";

  @TempDir Path data;

  @Test
  void pageAndTerminalTogether_neverExceedTheLimit() throws Exception {
    try (EdgeProcess server = EdgeProcess.server(data)) {
      int port = server.port();
      String token = JSON.readTree(post(port, "/api/session",
          "{\"station\":\"page\",\"user\":\"pia\",\"password\":\"Page-password-1\"}", null).body()).get("token").asText();
      assertThat(scan(port, token, PARENT).get("accepted").asBoolean()).isTrue();

      EdgeProcess terminal = EdgeProcess.start(Map.of(),
          "scan", "--data", data.toString(), "--station", "term", "--user", "tom");
      CountDownLatch go = new CountDownLatch(1);
      Thread feeder = Thread.ofPlatform().start(() -> {
        try (OutputStream in = terminal.process.getOutputStream()) {
          in.write((PARENT + "\nC50\n").getBytes(StandardCharsets.US_ASCII));
          in.flush();
          go.await(60, TimeUnit.SECONDS);
          for (int i = 1; i <= 39; i++) {
            in.write(("C5" + i + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
            Thread.sleep(10);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      // start both streams once the terminal process is up and has linked its first child, so the
      // two really overlap instead of one finishing while the other JVM is still starting
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (terminal.stdoutLines().size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      go.countDown();
      int pageAccepted = 0;
      List<String> pageReasons = new ArrayList<>();
      List<Instant> pageTimes = new ArrayList<>();
      for (int i = 1; i <= 40; i++) {
        Thread.sleep(10); // a scanner-paced stream on both stations, so they interleave
        JsonNode r = scan(port, token, "C6" + i);
        pageTimes.add(Instant.parse(r.get("at").asText()));
        if (r.get("accepted").asBoolean()) {
          pageAccepted++;
        } else {
          pageReasons.add(r.get("reason").asText());
        }
      }
      feeder.join(60_000);
      assertThat(terminal.waitForExit()).as(terminal.stderr()).isZero();
      List<String> terminalLines = terminal.stdoutLines();
      assertThat(terminalLines).hasSize(41);
      int terminalAccepted = 0;
      List<Instant> terminalTimes = new ArrayList<>();
      for (String line : terminalLines.subList(1, 41)) { // line 0 is the parent
        JsonNode r = JSON.readTree(line);
        terminalTimes.add(Instant.parse(r.get("at").asText()));
        if (r.get("accepted").asBoolean()) {
          terminalAccepted++;
        }
      }
      // the two streams really ran at the same time...
      assertThat(pageTimes.getFirst()).isBefore(terminalTimes.getLast());
      assertThat(terminalTimes.getFirst()).isBefore(pageTimes.getLast());
      // ...and together they filled the parent exactly to its limit, not one past it. Which station
      // got how many is up to SQLite's lock (its busy handler is not fair), so it is only reported.
      System.out.printf("page linked %d, terminal linked %d%n", pageAccepted, terminalAccepted);
      assertThat(pageAccepted + terminalAccepted).isEqualTo(30);
      assertThat(pageReasons).allSatisfy(r -> assertThat(r).isIn("PARENT_FULL"));
      assertThat(TestEdge.count(data.resolve("edge.db"), "select count(*) from bag where parent_code = '" + PARENT + "'")).isEqualTo(30);
      assertThat(TestEdge.count(data.resolve("edge.db"), "select child_count from bag where code = '" + PARENT + "'")).isEqualTo(30);
      assertThat(TestEdge.count(data.resolve("edge.db"), "select count(*) from outbox where op_type = 'LINK'")).isEqualTo(30);
    }
  }

  private static JsonNode scan(int port, String token, String code) throws Exception {
    HttpResponse<String> res = post(port, "/api/scan", "{\"code\":\"" + code + "\"}", token);
    assertThat(res.statusCode()).isEqualTo(200);
    return JSON.readTree(res.body());
  }

  private static HttpResponse<String> post(int port, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
