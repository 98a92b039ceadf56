package io.tracetrack.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tracetrack.hub.HubTestServer;
import java.net.http.HttpResponse;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document parses, and documents every route the role matrix exercises. */
class OpenApiTest {

  @Test
  void openapi_isServed_andCoversEveryRoute() throws Exception {
    try (HubTestServer server = HubTestServer.start("h2")) {
      HttpResponse<String> res = server.send("GET", "/openapi", null, null);
      assertThat(res.statusCode()).isEqualTo(200);
      JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(res.body());
      assertThat(doc.get("openapi").asText()).startsWith("3.");
      for (RouteMatrixTest.Route route : RouteMatrixTest.routes()) {
        String path = route.path().replaceAll("\\?.*", "")
            .replace("/bags/P7-5", "/bags/{code}").replace("/links/C71", "/links/{child}")
            .replace("/parents/P7-5", "/parents/{parent}").replace("/bills/BILL001", "/bills/{id}")
            .replaceAll("/users/(bella|ghost)", "/users/{username}").replace("/promotion-requests/999", "/promotion-requests/{id}");
        JsonNode operations = doc.get("paths").get(path);
        assertThat(operations).as("documented: " + path).isNotNull();
        assertThat(operations.get(route.method().toLowerCase(Locale.ROOT))).as(route.toString()).isNotNull();
      }
    }
  }
}
