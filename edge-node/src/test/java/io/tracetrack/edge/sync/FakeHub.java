package io.tracetrack.edge.sync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A tiny real HTTP server standing in for the hub in client tests: each path answers what the test
 * set, canned protocol bytes or a fault, and every request is kept for the test to look at.
 */
public final class FakeHub implements AutoCloseable {

  /** One request as it arrived. */
  public record Seen(String method, String path, String query, String authorization, String edgeId, String acceptEncoding,
      String body) {}

  @FunctionalInterface
  public interface Answer {
    void answer(HttpExchange exchange) throws IOException, InterruptedException;
  }

  /**
   * Each exchange's request body, read before its answer runs (to keep it for {@link #seen}). Not an
   * exchange attribute: the JDK's server keeps those in the context's one map, shared by every
   * exchange of it, so two pushes in flight at once read each other's body (SyncWorkerTest's
   * overlapping batches failed one run in five so).
   */
  private static final Map<HttpExchange, String> BODIES = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  public final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

  public FakeHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      try (exchange) {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        URI uri = exchange.getRequestURI();
        BODIES.put(exchange, body);
        seen.add(new Seen(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(),
            exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("X-Edge-Id"),
            exchange.getRequestHeaders().getFirst("Accept-Encoding"), body));
        Answer answer = answers.get(uri.getPath());
        if (answer == null) {
          send(exchange, 404, "application/problem+json", "{\"code\":\"NOT_FOUND\",\"detail\":\"no route\"}");
          return;
        }
        try {
          answer.answer(exchange);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } finally {
        BODIES.remove(exchange);
      }
    });
    server.start();
  }

  /** The request body (already read, to keep it for {@link #seen}). */
  public static String body(HttpExchange exchange) {
    return BODIES.get(exchange);
  }

  public void on(String path, Answer answer) {
    answers.put(path, answer);
  }

  public void onJson(String path, int status, String body) {
    on(path, ex -> send(ex, status, status >= 400 ? "application/problem+json" : "application/json", body));
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
    if (status != 204) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  public static String problem(String code, String detail) {
    return "{\"type\":\"about:blank\",\"code\":\"" + code + "\",\"detail\":\"" + detail + "\"}";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
