package io.tracetrack.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** JSON over HTTP/1.1 to either app; transport failures are {@link IOException}s for the caller to judge. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** An answer: status and body. */
  record Reply(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("not JSON (" + status + "): " + body, e);
      }
    }

    boolean ok() {
      return status / 100 == 2;
    }
  }

  Reply call(String method, String url, String bearer, Object body, Map<String, String> headers, Duration timeout)
      throws IOException, InterruptedException {
    String text = body == null ? null : JSON.writeValueAsString(body);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
    if (text != null) {
      b.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    headers.forEach(b::header);
    HttpResponse<String> res = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(res.statusCode(), res.body());
  }

  Reply call(String method, String url, String bearer, Object body) throws IOException, InterruptedException {
    return call(method, url, bearer, body, Map.of(), Duration.ofSeconds(30));
  }
}
