package io.tracetrack.hub.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An integrator's endpoint (outside the system, so a stand-in is fair): a real HTTP server on
 * 127.0.0.1 that records what it is sent and answers as its mode says.
 */
final class Receiver implements AutoCloseable {

  enum Mode { OK, FAIL_500, REDIRECT, SLOW }

  /** One request as it arrived. */
  record Received(Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final HttpServer server;
  volatile Mode mode;
  final List<Received> received = new CopyOnWriteArrayList<>();

  Receiver(Mode mode) throws IOException {
    this.mode = mode;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      Map<String, String> headers = new java.util.TreeMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
      received.add(new Received(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      switch (mode) {
        case OK -> exchange.sendResponseHeaders(204, -1);
        case FAIL_500 -> exchange.sendResponseHeaders(500, -1);
        case REDIRECT -> {
          exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
          exchange.sendResponseHeaders(302, -1);
        }
        case SLOW -> {
          try {
            Thread.sleep(1_500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(204, -1);
        }
      }
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
