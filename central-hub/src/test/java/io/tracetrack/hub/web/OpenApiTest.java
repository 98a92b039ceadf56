package io.tracetrack.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tracetrack.hub.HubTestServer;
import io.tracetrack.hub.audit.AuditAction;
import io.tracetrack.hub.audit.AuditEntity;
import io.tracetrack.model.ErrorCode;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document parses, documents every route the hub serves (read from its mounts,
 * not from a list kept by hand), and documents no route the hub does not serve.
 */
class OpenApiTest {

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  @Test
  void openapi_isServed_andMatchesTheRoutesExactly() throws Exception {
    try (HubTestServer server = HubTestServer.start("h2")) {
      HttpResponse<String> res = server.send("GET", "/openapi", null, null);
      assertThat(res.statusCode()).isEqualTo(200);
      JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(res.body());
      assertThat(doc.get("openapi").asText()).startsWith("3.");
      Set<String> documented = new TreeSet<>();
      doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
        if (METHODS.contains(op.getKey())) {
          documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      }));
      Set<String> served = new TreeSet<>(RegisteredRoutes.of(server.hub.mounts()));
      // the web UI's files are pages, not API: they are listed in UiRoutes, not in the API's description
      io.tracetrack.hub.ui.UiRoutes.paths().forEach(path -> served.remove("GET " + path));
      assertThat(documented).as("routes the hub serves that /openapi does not document").containsAll(served);
      assertThat(served).as("routes /openapi documents that the hub does not serve").containsAll(documented);
    }
  }

  /** The codes and audit names the document lists are exactly the enums': nothing missing, nothing stale. */
  @Test
  void openapi_listsEveryErrorCodeAndAuditName() throws Exception {
    JsonNode doc;
    try (InputStream in = OpenApiTest.class.getResourceAsStream("/openapi.yaml")) {
      doc = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    assertThat(texts(doc.at("/components/schemas/Problem/properties/code/enum")))
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    JsonNode params = doc.at("/paths/~1api~1v1~1audit/get/parameters");
    JsonNode action = null;
    JsonNode entity = null;
    for (JsonNode p : params) {
      action = p.path("name").asText().equals("action") ? p : action;
      entity = p.path("name").asText().equals("entityType") ? p : entity;
    }
    assertThat(texts(action.at("/schema/enum")))
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(AuditAction.values()).map(Enum::name).toList());
    assertThat(texts(entity.at("/schema/enum")))
        .containsExactlyInAnyOrderElementsOf(Arrays.stream(AuditEntity.values()).map(Enum::name).toList());
  }

  private static List<String> texts(JsonNode array) {
    assertThat(array.isArray()).as("an enum list").isTrue();
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
