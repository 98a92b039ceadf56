package io.tracetrack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP scan endpoint measured as a dock meets it: the real edge node in its own JVM, driven
 * by wrk (a native load generator, so the client's own cost stays out of the figures). Each wrk
 * connection is one signed-in station scanning a parent, then 30 children, again and again; every
 * answer is checked for {@code "accepted":true}.
 */
final class WrkScanLoad implements AutoCloseable {

  /** One wrk run's figures. */
  record Result(String label, long requests, double perSecond, double p50Millis, double p99Millis, long refused) {
    String row(double baselinePerSecond) {
      return String.format(Locale.ROOT, "| %s | %d | %,.0f | %.3f | %.3f | %.2f× |", label, requests, perSecond,
          p50Millis, p99Millis, perSecond / baselinePerSecond);
    }
  }

  private static final Pattern STATION_URL = Pattern.compile("Station page: http://127\\.0\\.0\\.1:(\\d+)/");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process server;
  private final int port;
  private final Path workDir;
  private int runCounter;

  private WrkScanLoad(Process server, int port, Path workDir) {
    this.server = server;
    this.port = port;
    this.workDir = workDir;
  }

  static boolean wrkAvailable() {
    try {
      Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor(10, TimeUnit.SECONDS);
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Starts the edge node from this jar's classpath in a JVM of its own. */
  static WrkScanLoad start(Path workDir) throws Exception {
    Files.createDirectories(workDir);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process server = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dorg.jooq.no-logo=true",
        "-cp", System.getProperty("java.class.path"), "io.tracetrack.edge.Main",
        "serve", "--data", workDir.resolve("edge").toString(), "--port", "0")
        .redirectError(workDir.resolve("server.err").toFile())
        .start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          Matcher m = STATION_URL.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException ignored) {
        // server gone
      }
      port.completeExceptionally(new IllegalStateException("edge server exited; see " + workDir.resolve("server.err")));
    });
    return new WrkScanLoad(server, port.get(60, TimeUnit.SECONDS), workDir);
  }

  /** Runs wrk with one station per connection for {@code seconds}. */
  Result run(String label, int connections, int seconds) throws Exception {
    List<String> tokens = new ArrayList<>();
    HttpClient client = HttpClient.newHttpClient();
    int run = ++runCounter;
    for (int i = 1; i <= connections; i++) {
      String station = "wrk" + run + "-" + i;
      String token = JSON.readTree(post(client, "/api/session", null,
          "{\"station\":\"" + station + "\",\"user\":\"bench\",\"password\":\"Bench-passw0rd\"}")).get("token").asText();
      // the first parent is scanned here: wrk may build (and never send) one request per connection
      // before it starts, so the script only ever opens later parents
      post(client, "/api/scan", token, "{\"code\":\"" + parentCode(run, i, 0) + "\"}");
      tokens.add(token);
    }
    Path script = workDir.resolve("scan-" + run + ".lua");
    Files.writeString(script, lua(tokens, run));
    Process wrk = new ProcessBuilder("wrk", "-t" + connections, "-c" + connections, "-d" + seconds + "s",
        "-s", script.toString(), "http://127.0.0.1:" + port + "/api/scan")
        .redirectErrorStream(true)
        .start();
    String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!wrk.waitFor(seconds + 60L, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
      throw new IllegalStateException("wrk failed:\n" + out);
    }
    Matcher m = Pattern.compile("RESULT requests=(\\d+) rps=([0-9.]+) p50us=([0-9.]+) p99us=([0-9.]+) accepted=(\\d+) refused=(\\d+)")
        .matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no result from wrk:\n" + out);
    }
    if (Long.parseLong(m.group(6)) > 0) {
      System.err.println(out);
    }
    return new Result(label, Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
        Double.parseDouble(m.group(3)) / 1000, Double.parseDouble(m.group(4)) / 1000, Long.parseLong(m.group(6)));
  }

  /** P-codes are unbounded, so every run and connection gets parents of its own. */
  private static String parentCode(int run, int connection, int k) {
    return String.format(Locale.ROOT, "P%d%02d%07d-30", run, connection, k);
  }

  private String post(HttpClient client, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> res = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200 || (path.endsWith("/scan") && !res.body().contains("\"accepted\":true"))) {
      throw new IllegalStateException(path + " failed: " + res.body());
    }
    return res.body();
  }

  /** Each thread: its token, its own code prefix; 30 children, then the next parent, and so on. */
  private static String lua(List<String> tokens, int run) {
    StringBuilder t = new StringBuilder("local tokens = {");
    for (String token : tokens) {
      t.append('"').append(token).append("\",");
    }
    t.append("}\n");
    return t + """
        local threads = {}
        local next_id = 0
        function setup(thread)
          next_id = next_id + 1
          thread:set("id", next_id)
          thread:set("token", tokens[next_id])
          table.insert(threads, thread)
        end
        function init(args)
          n = 0
          parents = 0
          accepted = 0
          refused = 0
          prefix = string.format("%d%02d", RUN, id)
          wrk.method = "POST"
          wrk.headers["Content-Type"] = "application/json"
          wrk.headers["Authorization"] = "Bearer " .. token
        end
        function request()
          local body
          n = n + 1
          if n % 31 == 0 then
            parents = parents + 1
            body = string.format('{"code":"P%s%07d-30"}', prefix, parents)
          else
            body = string.format('{"code":"C%s%09d"}', prefix, n)
          end
          return wrk.format(nil, nil, nil, body)
        end
        function response(status, headers, body)
          if status == 200 and string.find(body, '"accepted":true', 1, true) then
            accepted = accepted + 1
          else
            refused = refused + 1
            if refused == 1 then
              io.write("REFUSED " .. status .. " " .. string.sub(body, 1, 300) .. "\\n")
            end
          end
        end
        function done(summary, latency, requests)
          local a, r = 0, 0
          for _, th in ipairs(threads) do
            a = a + th:get("accepted")
            r = r + th:get("refused")
          end
          io.write(string.format("RESULT requests=%d rps=%.1f p50us=%.1f p99us=%.1f accepted=%d refused=%d\\n",
            summary.requests, summary.requests / (summary.duration / 1e6),
            latency:percentile(50), latency:percentile(99), a, r))
        end
        """.replace("RUN", String.valueOf(run));
  }

  @Override
  public void close() throws InterruptedException {
    server.destroy();
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
  }
}
