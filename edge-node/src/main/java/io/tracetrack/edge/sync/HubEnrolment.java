package io.tracetrack.edge.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One call to the hub's {@code POST /api/v1/sync/enroll}, with the JDK's HTTP client. */
public final class HubEnrolment {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** What the hub answered. */
  public sealed interface Result {
    /** @param credential the device credential: shown once, kept only in the data folder */
    record Enrolled(String dock, String area, String edgeId, String credential) implements Result {
      public Enrolled {
        Objects.requireNonNull(dock, "dock");
        Objects.requireNonNull(credential, "credential");
      }
    }

    /** The hub refused the code or the request (a 4xx): asking again with the same code will not help. */
    record Refused(int status, String code, String detail) implements Result {}

    /** No answer worth the name: not reachable, timed out, a 5xx or 429, or not the hub's JSON. */
    record Unreachable(String why) implements Result {}
  }

  private final HttpClient http;

  public HubEnrolment(HttpClient http) {
    this.http = http;
  }

  public static HubEnrolment withDefaults() {
    // no redirects: a credential must not follow a redirect to wherever it points
    return new HubEnrolment(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build());
  }

  public Result enroll(URI hub, String code, String edgeId, String dock) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("edgeId", edgeId);
    body.put("dock", dock);
    HttpResponse<String> res;
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(hub + "/api/v1/sync/enroll")).timeout(TIMEOUT)
          .header("Content-Type", "application/json").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
      res = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Result.Unreachable(HubClient.plainly(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result.Unreachable("interrupted");
    }
    JsonNode json;
    try {
      json = JSON.readTree(res.body());
    } catch (IOException e) {
      json = null;
    }
    int status = res.statusCode();
    if (status == 200 && json != null && json.path("credential").isTextual() && json.path("dock").isTextual()) {
      return new Result.Enrolled(json.get("dock").asText(), json.path("area").asText(null), json.path("edgeId").asText(edgeId),
          json.get("credential").asText());
    }
    if (status >= 400 && status < 500 && status != 429 && json != null && json.path("code").isTextual()) {
      return new Result.Refused(status, json.get("code").asText(), json.path("detail").asText(""));
    }
    return new Result.Unreachable("the hub answered HTTP " + status + (json == null ? ", not JSON" : "")
        + "; is " + hub + " a TraceTrack hub?");
  }
}
