package io.tracetrack.edge.station;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.model.CodeInput;
import io.tracetrack.model.CodeNormalizer;
import io.tracetrack.model.ErrorCode;
import io.tracetrack.web.Problems;
import io.tracetrack.web.StaticFiles;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The station page and its assets (loaded once from the jar: the page must work with the network
 * unplugged, so everything it needs is here), printable barcodes, and {@code /health}.
 */
public final class PageRoutes implements HttpService {

  /** The page's files in {@code /web/}; a new station module is added here. */
  static final List<String> ASSETS = List.of(
      "index.html", "station.css", "commands.html", "commands.css",
      // the station's ES modules: main.js is the entry, commands-page.js the command sheet's
      "station/main.js", "station/state.js", "station/text.js", "station/model.js", "station/commands.js",
      "station/api.js", "station/scanning.js", "station/finish.js", "station/idle.js", "station/snapshot.js",
      "station/view.js", "station/feedback.js", "station/sync-strip.js", "station/conflicts.js",
      "station/signin.js", "station/commands-page.js");

  private final StaticFiles assets = StaticFiles.fromClasspath("/web/", ASSETS);
  /**
   * Shared with the hub's pages, from the web kit's jar: the visual language, and the wedge
   * scanner's framing, tones and flash (the station modules import {@code ../scan-kit.js}).
   */
  private final StaticFiles shared = StaticFiles.fromClasspath("/web-kit/", List.of("tokens.css", "scan-kit.js"));
  private final EdgeDatabase db;

  public PageRoutes(EdgeDatabase db) {
    this.db = db;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/health", this::health)
        .get("/barcode/{text}", this::barcode)
        .register(assets)
        .register(shared);
  }

  private void barcode(ServerRequest req, ServerResponse res) {
    String raw = req.path().pathParameters().get("text");
    String text = raw.endsWith(".svg") ? raw.substring(0, raw.length() - 4) : raw;
    if (!(CodeNormalizer.normalize(text) instanceof CodeInput.Valid(String code))) {
      Problems.send(res, 400, ErrorCode.INVALID_CODE, "barcodes are printed for codes of A-Z, 0-9 and '-' only");
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, "image/svg+xml");
    res.header(HeaderNames.CACHE_CONTROL, "max-age=86400");
    res.send(Barcodes.svg(code).getBytes(StandardCharsets.UTF_8));
  }

  private void health(ServerRequest req, ServerResponse res) {
    Map<String, Object> out = new LinkedHashMap<>();
    boolean reads = db.answers();
    java.util.Optional<String> writeFailure = db.writeFailure();
    boolean up = reads && writeFailure.isEmpty();
    out.put("status", up ? "UP" : "DOWN");
    Map<String, Object> writes = new LinkedHashMap<>();
    writes.put("name", "sqlite-write");
    writes.put("status", writeFailure.isEmpty() ? "UP" : "DOWN");
    // the last write refused (a full disk): scans are answered NOT RECORDED until one is stored again
    writeFailure.ifPresent(why -> writes.put("reason", why));
    out.put("checks", List.of(Map.of("name", "sqlite", "status", reads ? "UP" : "DOWN"), writes));
    // 503 when down (a monitor reads the status code, not the body)
    io.tracetrack.web.Json.send(res, up ? 200 : 503, out);
  }
}
