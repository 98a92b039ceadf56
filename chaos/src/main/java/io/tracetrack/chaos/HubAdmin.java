package io.tracetrack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The hub's API as its first admin uses it; signs in again when a token ran out. */
final class HubAdmin implements Checker.Hub {

  private final HubNode hub;
  private final Http http;
  private String token;

  HubAdmin(HubNode hub, Http http) {
    this.hub = hub;
    this.http = http;
  }

  void signIn() throws IOException, InterruptedException {
    Http.Reply r = http.call("POST", hub.url() + "/api/v1/auth/token", null,
        Map.of("username", "admin", "password", HubNode.ADMIN_PASSWORD));
    if (r.status() != 200) {
      throw new IOException("admin sign-in refused: " + r.status() + " " + r.body());
    }
    token = r.json().get("access_token").asText();
  }

  Http.Reply call(String method, String path, Object body) throws IOException, InterruptedException {
    Http.Reply r = http.call(method, hub.url() + path, token, body);
    if (r.status() == 401) {
      signIn();
      r = http.call(method, hub.url() + path, token, body);
    }
    return r;
  }

  JsonNode expect(String method, String path, Object body, int status) throws IOException, InterruptedException {
    Http.Reply r = call(method, path, body);
    if (r.status() != status) {
      throw new IOException(method + " " + path + ": expected " + status + ", got " + r.status() + " " + r.body());
    }
    return r.json();
  }

  /** The fleet by dock name. */
  @Override
  public Map<String, JsonNode> docks() throws IOException, InterruptedException {
    JsonNode body = expect("GET", "/api/v1/docks", null, 200);
    JsonNode list = body.isArray() ? body : body.get("docks");
    Map<String, JsonNode> out = new TreeMap<>();
    list.forEach(d -> out.put(d.get("name").asText(), d));
    return out;
  }

  /** The {@code conflict} part of every conflict, open and resolved, all pages. */
  @Override
  public List<JsonNode> conflicts() throws IOException, InterruptedException {
    List<JsonNode> out = new ArrayList<>();
    for (String status : List.of("OPEN", "RESOLVED")) {
      String after = "";
      while (true) {
        JsonNode page = expect("GET", "/api/v1/conflicts?status=" + status + "&limit=500" + after, null, 200);
        page.get("conflicts").forEach(c -> out.add(c.get("conflict")));
        JsonNode next = page.path("next");
        if (next.isNull() || next.isMissingNode() || page.get("conflicts").isEmpty()) {
          break;
        }
        after = "&after=" + URLEncoder.encode(next.asText(), StandardCharsets.UTF_8);
      }
    }
    return out;
  }

  /** A bag with every page of its history, or null when the hub does not know it. */
  @Override
  public JsonNode bag(String code) throws IOException, InterruptedException {
    String path = "/api/v1/bags/" + URLEncoder.encode(code, StandardCharsets.UTF_8);
    Http.Reply r = call("GET", path, null);
    if (r.status() == 404) {
      return null;
    }
    if (r.status() != 200) {
      throw new IOException("GET " + path + ": " + r.status() + " " + r.body());
    }
    var bag = (com.fasterxml.jackson.databind.node.ObjectNode) r.json();
    var history = (com.fasterxml.jackson.databind.node.ArrayNode) bag.withArray("history");
    JsonNode before = bag.path("historyBefore");
    while (before.isNumber()) {
      JsonNode older = expect("GET", path + "?historyBefore=" + before.asLong(), null, 200);
      older.path("history").forEach(history::add);
      before = older.path("historyBefore");
    }
    return bag;
  }

  /** The change log's newest position, asked as a dock asks (with its credential). */
  long head(EdgeNode dock) throws IOException, InterruptedException {
    Http.Reply r = http.call("GET", hub.url() + "/api/v1/sync/changes?after=0&limit=1", dock.credential, null,
        Map.of("X-Edge-Id", dock.edgeId), Duration.ofSeconds(10));
    if (r.status() != 200) {
      throw new IOException("change-log head: " + r.status() + " " + r.body());
    }
    return r.json().get("head").asLong();
  }
}
